"""The Initiative aggregate from draft to the decision in principle (domain.md §3 to §5).

Commands check every rule and then trigger exactly one event; the `@event` methods only
change state, because they run again on every replay. Authority ("did this person hold
the head position in the addressee on that day?") is resolved by the application against
the directory and handed in as an `Actor`; the aggregate checks what depends on its own
history (status, proposers, party opinion, votes): each command starts with `self._guard`
of its entry in the command registry (`domain/commands.py`), which declares those rules once.

`Initiative` is one aggregate class over one event stream, written in modules along its
phases. This module has the event classes (defined in `initiative_events.py`, redefined here
so that every stored topic reads `domain.initiative:Initiative.<Event>`), `__init__`, `draft`
and the `@event` state changes. The commands are mixins, one module per phase, over
`initiative_core.py` (the typed state, the shared guards, the state helpers):
`initiative_proposal.py` (submission to decision), `initiative_urgent.py` (the urgent path),
`initiative_pilot.py` (implementation and supervision), `initiative_outcome.py` (result,
evaluation, protection), `initiative_follow_up.py` (recognition and follow-up) and
`initiative_succession.py` (the handover to a merged unit's successor).
`Status`, `Regime` and `Phase` live in `initiative_status.py` (with the status sets) and are
imported from here as before.

The state is typed: the `@event` methods build the frozen dataclasses of
`initiative_state.py` (`Approval`, `Terms`, `Obstacle`, `Clock`…) from the events' fields and
replace them, never change them in place; the events keep carrying the dicts they always stored
(`initiative_payloads.py` types the shape of some of them).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain import initiative_events as events
from domain.errors import InvalidError
from domain.initiative_core import approval_change
from domain.initiative_events import InitiativeEvent
from domain.initiative_follow_up import FollowUpCommands
from domain.initiative_outcome import OutcomeCommands
from domain.initiative_payloads import (
    Payload,
    TermChanges,
    UrgentReport,
    VoteCast,
)
from domain.initiative_pilot import PilotCommands
from domain.initiative_proposal import ProposalCommands
from domain.initiative_state import (
    Adjustment,
    Clarification,
    Commendation,
    Correction,
    Decision,
    Determination,
    Evaluation,
    EvaluationInput,
    Handover,
    Institutionalisation,
    LiabilityOutcome,
    Meeting,
    Obstacle,
    OutsideApproval,
    PendingCorrection,
    ProtectionRequest,
    Receipt,
    Replication,
    ResourceAllocation,
    Result,
    Review,
    SalaryStep,
    Supervision,
)
from domain.initiative_succession import SuccessionCommands
from domain.initiative_urgent import UrgentCommands
from domain.values import Actor, Context, detached, local_date, require_text
from domain.vocabulary import Phase, Regime, Status

__all__ = [
    "Initiative",
    "Phase",
    "Regime",
    "Status",
]


class Initiative(
    ProposalCommands,
    UrgentCommands,
    PilotCommands,
    OutcomeCommands,
    FollowUpCommands,
    SuccessionCommands,
    Aggregate,
):
    """One innovation initiative: its proposal, review, decision and everything after."""

    class Event(InitiativeEvent):
        """The base event of an initiative; its fields are `InitiativeEvent`'s."""

    # The events, each redefined here by the metaclass as `Initiative.<Name>` of this module:
    # that class is what the commands trigger, and its topic is what is stored.
    Drafted = events.Drafted
    Submitted = events.Submitted
    Received = events.Received
    ClarificationRequested = events.ClarificationRequested
    Amended = events.Amended
    PartyOpinionGiven = events.PartyOpinionGiven
    LeadershipMeetingHeld = events.LeadershipMeetingHeld
    Approved = events.Approved
    Rejected = events.Rejected
    Escalated = events.Escalated
    Withdrawn = events.Withdrawn
    UrgentReported = events.UrgentReported
    UrgentAuthorized = events.UrgentAuthorized
    UrgentRatified = events.UrgentRatified
    UrgentRefused = events.UrgentRefused
    ResourcesAllocated = events.ResourcesAllocated
    ImplementationStarted = events.ImplementationStarted
    ProgressReported = events.ProgressReported
    SupervisionNoteRecorded = events.SupervisionNoteRecorded
    ObstacleRaised = events.ObstacleRaised
    ObstacleResolved = events.ObstacleResolved
    AdjustmentRequested = events.AdjustmentRequested
    AdjustmentApproved = events.AdjustmentApproved
    AdjustmentRejected = events.AdjustmentRejected
    Suspended = events.Suspended
    Resumed = events.Resumed
    Terminated = events.Terminated
    Completed = events.Completed
    ResultReported = events.ResultReported
    Evaluated = events.Evaluated
    ProtectionRequested = events.ProtectionRequested
    ProtectionDetermined = events.ProtectionDetermined
    LiabilityOutcomeRecorded = events.LiabilityOutcomeRecorded
    Commended = events.Commended
    CadreEvaluationInputRecorded = events.CadreEvaluationInputRecorded
    EarlySalaryStepConsidered = events.EarlySalaryStepConsidered
    InterimReviewHeld = events.InterimReviewHeld
    FinalReviewHeld = events.FinalReviewHeld
    ReplicationProposed = events.ReplicationProposed
    ReplicationApproved = events.ReplicationApproved
    ProposersNamed = events.ProposersNamed
    HandedOver = events.HandedOver
    InstitutionalisationRecommended = events.InstitutionalisationRecommended
    CorrectionProposed = events.CorrectionProposed
    Corrected = events.Corrected
    Archived = events.Archived
    Replicated = events.Replicated

    @event(Drafted)
    def __init__(
        self,
        title: str,
        regime: str,
        employing_organisation_id: UUID,
        proposer_ids: list[UUID],
        summary: str,
        parent_id: UUID | None = None,
    ) -> None:
        self.title = title
        self.parent_id = parent_id
        self.regime = Regime(regime)
        self.employing_organisation_id = employing_organisation_id
        self.proposer_ids = list(proposer_ids)
        self.summary = summary
        self._start_state()

    @classmethod
    def draft(
        cls,
        actor: Actor,
        ctx: Context,
        *,
        title: str,
        regime: Regime,
        employing_organisation_id: UUID,
        co_proposer_ids: list[UUID],
        summary: str,
    ) -> Initiative:
        """Open a draft; the actor is the first proposer."""
        require_text(title, "title")
        proposers = [actor.person_id, *(p for p in co_proposer_ids if p != actor.person_id)]
        if len(set(proposers)) != len(proposers):
            raise InvalidError("a co-proposer is named twice", field="co_proposer_ids")
        return cls._create(
            cls.Drafted,
            id=uuid4(),
            **ctx.stamp(actor),
            title=title,
            regime=regime.value,
            employing_organisation_id=employing_organisation_id,
            proposer_ids=proposers,
            summary=summary,
        )

    def __deepcopy__(self, memo: dict[int, object]) -> Initiative:
        """A copy that shares nothing the next state change could alter: every list, dict and
        set is copied (they are changed in place), the frozen values of the state are shared
        (they are replaced, never changed: `domain.initiative_state`). The repository copies
        each initiative it serves from its cache, so that a command that fails halfway leaves
        the cached one as it was; copying every frozen value as well was a seventh of the
        cost of a command."""
        copied = object.__new__(type(self))
        copied.__dict__.update({name: detached(value) for name, value in vars(self).items()})
        return copied

    # Event methods: state changes only ----------------------------------------------------

    @event(Submitted)
    def _submitted(self, addressee_id: UUID, proposal: Payload, timestamp: datetime) -> None:
        self.status = Status.SUBMITTED
        self.addressee_id = addressee_id
        self.proposal = dict(proposal)
        self._start_clock("receipt", local_date(timestamp))
        self.submitted_on = local_date(timestamp)

    @event(Received)
    def _received(self, receipt_date: date, incoming_number: str) -> None:
        self.status = Status.UNDER_REVIEW
        self.received = Receipt(receipt_date, incoming_number)
        self._finish_clock("receipt", receipt_date)
        self._start_clock("approval_decision", receipt_date)

    @event(ClarificationRequested)
    def _clarification_requested(self, items: list[str], due_date: date) -> None:
        self.status = Status.CLARIFICATION_REQUESTED
        self.clarification = Clarification(list(items), due_date)

    @event(Amended)
    def _amended(self, changes: Payload, timestamp: datetime) -> None:
        self.status = Status.UNDER_REVIEW
        self.proposal.update(changes)
        self.clarification = None
        self.amended_on = local_date(timestamp)
        self._new_review_round()

    @event(PartyOpinionGiven)
    def _party_opinion_given(self, phase: str) -> None:
        self.party_opinions[phase] = self.version

    @event(LeadershipMeetingHeld)
    def _meeting_held(
        self, meeting_date: date, votes: list[VoteCast], actor: dict[str, str], passed: bool
    ) -> None:
        self.last_meeting = Meeting(meeting_date, list(votes), actor["person_id"], passed)

    # An approval and the urgent decisions that set terms change the state alike.
    _approved = event(Approved)(approval_change(finishes="approval_decision"))
    _urgent_authorized = event(UrgentAuthorized)(approval_change("urgent_authorized"))
    _urgent_ratified = event(UrgentRatified)(approval_change("urgent_ratified"))

    @event(Rejected)
    def _rejected(self, reasons: list[str], timestamp: datetime) -> None:
        self.status = Status.REJECTED
        self.decision = Decision(reasons=list(reasons))
        self._finish_clock("approval_decision", local_date(timestamp))

    @event(Escalated)
    def _escalated(self, superior_id: UUID, timestamp: datetime) -> None:
        self._finish_clock("approval_decision", local_date(timestamp))
        self.status = Status.SUBMITTED
        self.addressee_id = superior_id
        self.escalated_on = local_date(timestamp)
        self.received = None
        self._new_review_round()
        self._start_clock("receipt", local_date(timestamp))  # at the superior

    @event(Withdrawn)
    def _withdrawn(self, reason: str, timestamp: datetime) -> None:
        self.status = Status.WITHDRAWN
        self.decision = Decision(reason=reason)
        # Nothing is awaited from the addressee any more.
        self._finish_clock("receipt", local_date(timestamp))
        self._finish_clock("approval_decision", local_date(timestamp))

    @event(UrgentReported)
    def _urgent_reported(self, addressee_id: UUID, report: UrgentReport) -> None:
        self.status = Status.URGENT_REPORTED
        self.addressee_id = addressee_id
        self.urgent = UrgentReport(**report)

    @event(UrgentRefused)
    def _urgent_refused(self, reasons: list[str]) -> None:
        self.status = Status.REJECTED
        self.decision = Decision(reasons=list(reasons), urgent=True)

    @event(ResourcesAllocated)
    def _resources_allocated(
        self, people: list[str], equipment: str, funds_vnd: int, funding_source: str
    ) -> None:
        self.resources_allocated.append(
            ResourceAllocation(people, equipment, funds_vnd, funding_source)
        )

    @event(ImplementationStarted)
    def _implementation_started(self, actual_start: date) -> None:
        self.status = Status.IN_PROGRESS
        self.implementation = replace(self.implementation, actual_start=actual_start)

    @event(ProgressReported)
    def _progress_reported(self, period: str, outside_approval: bool) -> None:
        self.progress_reports += 1
        if outside_approval:
            self.outside_approval.append(OutsideApproval(self.version + 1, "progress", period))

    @event(SupervisionNoteRecorded)
    def _supervision_noted(
        self, kind: str, outside_approved_scope: bool, part_of_work: str, timestamp: datetime
    ) -> None:
        self.supervision = Supervision(self.supervision.notes + 1, local_date(timestamp))
        if outside_approved_scope:
            self.outside_approval.append(
                OutsideApproval(self.version + 1, "supervision", part_of_work)
            )

    @event(ObstacleRaised)
    def _obstacle_raised(self, obstacle: str, timestamp: datetime) -> None:
        self.obstacles[str(self.version + 1)] = Obstacle(obstacle)
        # The approving authority's time to resolve it, one clock per obstacle.
        self._start_clock("obstacle_resolution", local_date(timestamp), self.version + 1)

    @event(ObstacleResolved)
    def _obstacle_resolved(self, obstacle_version: int, measure: str, timestamp: datetime) -> None:
        raised = self.obstacles[str(obstacle_version)]
        self.obstacles[str(obstacle_version)] = replace(raised, resolved=True, measure=measure)
        self._finish_clock("obstacle_resolution", local_date(timestamp), obstacle_version)

    @event(AdjustmentRequested)
    def _adjustment_requested(self, changes: TermChanges, reason: str) -> None:
        self.adjustments[str(self.version + 1)] = Adjustment(TermChanges(**changes), reason)

    @event(AdjustmentApproved)
    def _adjustment_approved(self, request_version: int) -> None:
        adjustment = self.adjustments[str(request_version)]
        self.adjustments[str(request_version)] = replace(adjustment, status="approved")
        self.terms = self._terms().adjusted(adjustment.changes)

    @event(AdjustmentRejected)
    def _adjustment_rejected(self, request_version: int) -> None:
        adjustment = self.adjustments[str(request_version)]
        self.adjustments[str(request_version)] = replace(adjustment, status="rejected")

    @event(Suspended)
    def _suspended(self) -> None:
        self.status = Status.SUSPENDED

    @event(Resumed)
    def _resumed(self) -> None:
        self.status = Status.IN_PROGRESS

    @event(Terminated)
    def _terminated(self, timestamp: datetime) -> None:
        self.status = Status.TERMINATED
        self.implementation = replace(self.implementation, terminated_on=local_date(timestamp))
        # The work ended: no obstacle can be resolved any more.
        self._finish_clocks("obstacle_resolution", local_date(timestamp))
        self._start_clock("result_report", local_date(timestamp))

    @event(Completed)
    def _completed(
        self, completion_date: date, outside_approval: bool, timestamp: datetime
    ) -> None:
        self.status = Status.COMPLETED
        self._finish_clocks("obstacle_resolution", local_date(timestamp))
        self.implementation = replace(self.implementation, completion_date=completion_date)
        if outside_approval:
            self.outside_approval.append(
                OutsideApproval(self.version + 1, "completion", completion_date.isoformat())
            )
        self._start_clock("result_report", completion_date)

    @event(ResultReported)
    def _result_reported(
        self,
        results: list[dict[str, str]],
        damage_caused: bool,
        damage_amount_vnd: int,
        timestamp: datetime,
    ) -> None:
        self.status = Status.UNDER_EVALUATION
        self.result = Result(
            list(results), damage_caused, damage_amount_vnd, local_date(timestamp)
        )
        self.last_meeting = None
        self._finish_clock("result_report", local_date(timestamp))
        self._start_clock("evaluation", local_date(timestamp))

    @event(Evaluated)
    def _evaluated(
        self,
        parts: list[dict[str, str]],
        outcome: str,
        damage_caused: bool,
        damage_amount_vnd: int,
        findings: dict[str, bool],
        self_interest_or_abuse: bool,
        timestamp: datetime,
    ) -> None:
        self.status = Status.EVALUATED
        self.evaluation = Evaluation(
            parts=list(parts),
            outcome=outcome,
            damage_caused=damage_caused,
            damage_amount_vnd=damage_amount_vnd,
            findings=dict(findings),
            self_interest_or_abuse=self_interest_or_abuse,
            evaluated_on=local_date(timestamp),
        )
        self._finish_clock("evaluation", local_date(timestamp))
        self._start_clock("archiving", local_date(timestamp))

    @event(ProtectionRequested)
    def _protection_requested(self, trigger: str, proceeding_ref: str) -> None:
        request = ProtectionRequest(self.version + 1, trigger, proceeding_ref)
        self.protection = replace(self.protection, requests=[*self.protection.requests, request])

    @event(ProtectionDetermined)
    def _protection_determined(self, measure: str, recommended: str | None) -> None:
        self.protection = replace(
            self.protection, determined=Determination(measure, recommended_then=recommended)
        )

    @event(LiabilityOutcomeRecorded)
    def _liability_recorded(self, body: str, decision: str) -> None:
        outcomes = [*self.protection.liability_outcomes, LiabilityOutcome(body, decision)]
        self.protection = replace(self.protection, liability_outcomes=outcomes)

    @event(Commended)
    def _commended(self, form: str, person_ids: list[UUID], timestamp: datetime) -> None:
        commendation = Commendation(form, list(person_ids), local_date(timestamp))
        commendations = [*self.recognition.commendations, commendation]
        self.recognition = replace(self.recognition, commendations=commendations)

    @event(CadreEvaluationInputRecorded)
    def _evaluation_input(self, person_id: UUID, period: str) -> None:
        inputs = [*self.recognition.evaluation_inputs, EvaluationInput(person_id, period)]
        self.recognition = replace(self.recognition, evaluation_inputs=inputs)

    @event(EarlySalaryStepConsidered)
    def _salary_step(self, person_id: UUID, months_early: int, decision: str) -> None:
        steps = [*self.recognition.salary_steps, SalaryStep(person_id, months_early, decision)]
        self.recognition = replace(self.recognition, salary_steps=steps)

    @event(InterimReviewHeld)
    def _interim_review(self, timestamp: datetime) -> None:
        self.reviews.append(Review("interim", local_date(timestamp)))

    @event(FinalReviewHeld)
    def _final_review(self, timestamp: datetime) -> None:
        self.reviews.append(Review("final", local_date(timestamp)))

    @event(ReplicationProposed)
    def _replication_proposed(self, target_organisation_ids: list[UUID]) -> None:
        self.replications[str(self.version + 1)] = Replication(list(target_organisation_ids))

    @event(ReplicationApproved)
    def _replication_approved(self, proposal_version: int, children: dict[str, UUID]) -> None:
        proposed = self.replications[str(proposal_version)]
        self.replications[str(proposal_version)] = replace(
            proposed, approved=True, children=dict(children)
        )

    @event(ProposersNamed)
    def _proposers_named(self, proposer_ids: list[UUID]) -> None:
        self.proposer_ids = list(proposer_ids)

    @event(HandedOver)
    def _handed_over(
        self,
        from_organisation_id: UUID,
        to_organisation_id: UUID,
        relation: str,
        effective_on: date,
        roles: list[str],
        timestamp: datetime,
    ) -> None:
        self._pass_to_successor(
            Handover(
                version=self.version + 1,
                from_organisation_id=from_organisation_id,
                to_organisation_id=to_organisation_id,
                relation=relation,
                effective_on=effective_on,
                roles=list(roles),
                handed_over_on=local_date(timestamp),
            )
        )

    @event(InstitutionalisationRecommended)
    def _institutionalisation(self, target_instrument: str, drafting_body: str) -> None:
        self.institutionalisation.append(Institutionalisation(target_instrument, drafting_body))

    @event(CorrectionProposed)
    def _correction_proposed(
        self,
        actor: dict[str, str],
        corrected_version: int,
        reason: str,
        corrections: Payload,
        organisation_id: UUID,
    ) -> None:
        self.pending_corrections[self.version + 1] = PendingCorrection(
            corrected_version=corrected_version,
            reason=reason,
            corrections=corrections,
            proposed_by=actor["person_id"],
            organisation_id=str(organisation_id),
        )

    @event(Corrected)
    def _corrected(self, correction_version: int, corrected_version: int, reason: str) -> None:
        self.pending_corrections.pop(correction_version, None)
        self.corrections.append(
            Correction(self.version + 1, correction_version, corrected_version, reason)
        )

    @event(Archived)
    def _archived(self, archive_ref: str, timestamp: datetime) -> None:
        self.status = Status.ARCHIVED
        self.archive_ref = archive_ref
        self._finish_clock("archiving", local_date(timestamp))
