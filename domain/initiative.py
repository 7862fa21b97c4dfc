"""The Initiative aggregate from draft to the decision in principle (domain.md §3 to §5).

Commands check every rule and then trigger exactly one event; the `@event` methods only
change state, because they run again on every replay. Authority ("did this person hold
the head position in the addressee on that day?") is resolved by the application against
the directory and handed in as an `Actor`; the aggregate checks what depends on its own
history (status, proposers, party opinion, votes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ForbiddenError, InvalidError, WrongStateError
from domain.proposal import (
    PROPOSAL_FIELDS,
    ApprovalBasis,
    Tally,
    check_period,
    tally,
    validate_proposal,
)
from domain.protection import Measure, Outcome, recommend
from domain.rules import (
    TERMS,
    CommendationForm,
    ProtectionTrigger,
    SupervisionKind,
    check_damage,
    checked_evaluation,
    checked_terms,
    require_items,
    validate_urgent_report,
)
from domain.values import Actor, Context, local_date, require_text


class Status(StrEnum):
    """Where an initiative stands in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CLARIFICATION_REQUESTED = "clarification_requested"
    URGENT_REPORTED = "urgent_reported"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    COMPLETED = "completed"
    UNDER_EVALUATION = "under_evaluation"
    EVALUATED = "evaluated"
    ARCHIVED = "archived"


class Regime(StrEnum):
    """Ordinary procedure or the urgent path."""

    REGULAR = "regular"
    URGENT = "urgent"


class Phase(StrEnum):
    """The two moments at which the same-level party committee gives its opinion."""

    APPROVAL = "approval"
    EVALUATION = "evaluation"


BEFORE_DECISION = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.CLARIFICATION_REQUESTED,
        Status.URGENT_REPORTED,
    }
)
IN_REVIEW = frozenset({Status.UNDER_REVIEW, Status.CLARIFICATION_REQUESTED})
RUNNING = frozenset({Status.IN_PROGRESS, Status.SUSPENDED})
AFTER_APPROVAL = frozenset(
    {
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
        Status.TERMINATED,
        Status.COMPLETED,
        Status.UNDER_EVALUATION,
        Status.EVALUATED,
        Status.ARCHIVED,
    }
)
EVALUATED = frozenset({Status.EVALUATED, Status.ARCHIVED})


class Initiative(Aggregate):
    """One innovation initiative: its proposal, review, decision and everything after."""

    class Event(Aggregate.Event):
        actor: dict[str, str]
        request_id: str

    class Drafted(Aggregate.Created):
        title: str
        regime: str
        employing_organisation_id: UUID
        proposer_ids: list[UUID]
        summary: str

    class Submitted(Event):
        addressee_id: UUID
        proposal: dict[str, Any]

    class Received(Event):
        receipt_date: date
        incoming_number: str

    class ClarificationRequested(Event):
        items: list[str]
        due_date: date

    class Amended(Event):
        changes: dict[str, Any]
        note: str

    class PartyOpinionGiven(Event):
        phase: str
        opinion: str
        document_ref: str

    class LeadershipMeetingHeld(Event):
        meeting_date: date
        attendee_ids: list[UUID]
        eligible_voter_ids: list[UUID]
        votes: list[dict[str, Any]]
        minutes_ref: str
        passed: bool

    class Approved(Event):
        basis: str
        decision_document: str
        justification: str
        approval: dict[str, Any]

    class Rejected(Event):
        reasons: list[str]
        document_ref: str

    class Escalated(Event):
        superior_id: UUID
        reason: str

    class Withdrawn(Event):
        reason: str

    class UrgentReported(Event):
        addressee_id: UUID
        report: dict[str, Any]

    class UrgentAuthorized(Event):
        decision_document: str
        approval: dict[str, Any]

    class UrgentRatified(Event):
        decision_document: str
        approval: dict[str, Any]

    class UrgentRefused(Event):
        reasons: list[str]
        document_ref: str

    class ResourcesAllocated(Event):
        people: list[str]
        equipment: str
        funds_vnd: int
        funding_source: str

    class ImplementationStarted(Event):
        actual_start: date

    class ProgressReported(Event):
        period: str
        progress: str
        issues: str
        outside_approval: bool

    class SupervisionNoteRecorded(Event):
        kind: str
        findings: str
        recommendations: str
        part_of_work: str
        outside_approved_scope: bool

    class ObstacleRaised(Event):
        obstacle: str

    class ObstacleResolved(Event):
        obstacle_version: int
        measure: str

    class AdjustmentRequested(Event):
        changes: dict[str, Any]
        reason: str

    class AdjustmentApproved(Event):
        request_version: int
        decision_document: str

    class AdjustmentRejected(Event):
        request_version: int
        reasons: list[str]

    class Suspended(Event):
        reason: str
        decision_document: str

    class Resumed(Event):
        reason: str
        decision_document: str

    class Terminated(Event):
        reason: str
        decision_document: str

    class Completed(Event):
        completion_date: date
        outside_approval: bool

    class ResultReported(Event):
        results: list[dict[str, str]]
        damage_caused: bool
        damage_description: str
        damage_amount_vnd: int
        causes: str
        honesty_declaration: bool

    class Evaluated(Event):
        parts: list[dict[str, str]]
        outcome: str
        damage_caused: bool
        damage_description: str
        damage_amount_vnd: int
        objective_causes: str
        subjective_causes: str
        findings: dict[str, bool]
        self_interest_or_abuse: bool
        document_ref: str

    class ProtectionRequested(Event):
        trigger: str
        proceeding_ref: str
        reason: str

    class ProtectionDetermined(Event):
        measure: str
        recommended: str | None
        reasons: str
        evidence: list[str]
        document_ref: str

    class LiabilityOutcomeRecorded(Event):
        body: str
        decision: str
        document_ref: str

    class Commended(Event):
        form: str
        person_ids: list[UUID]
        decision_document: str

    class CadreEvaluationInputRecorded(Event):
        person_id: UUID
        period: str
        facts: str

    class EarlySalaryStepConsidered(Event):
        person_id: UUID
        months_early: int
        decision: str
        decision_document: str

    class InterimReviewHeld(Event):
        lessons: str
        document_ref: str

    class FinalReviewHeld(Event):
        lessons: str
        document_ref: str

    class ReplicationProposed(Event):
        target_organisation_ids: list[UUID]
        reason: str

    class ReplicationApproved(Event):
        proposal_version: int
        decision_document: str
        children: dict[str, UUID]

    class InstitutionalisationRecommended(Event):
        target_instrument: str
        drafting_body: str
        reason: str

    class CorrectionProposed(Event):
        corrected_version: int
        reason: str
        corrections: dict[str, Any]
        organisation_id: UUID

    class Corrected(Event):
        correction_version: int
        corrected_version: int
        reason: str
        corrections: dict[str, Any]

    class Archived(Event):
        archive_ref: str

    class Replicated(Aggregate.Created):
        title: str
        regime: str
        employing_organisation_id: UUID
        proposer_ids: list[UUID]
        summary: str
        parent_id: UUID

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
        self.status = Status.DRAFT
        self.addressee_id: UUID | None = None
        self.proposal: dict[str, Any] = {}
        self.received: dict[str, Any] | None = None
        self.clarification: dict[str, Any] | None = None
        # Opinions and meetings count only if given after the last change to the proposal.
        self.review_round = 0
        self.party_opinions: dict[str, int] = {}
        self.last_meeting: dict[str, Any] | None = None
        self.approval: dict[str, Any] | None = None
        self.decision: dict[str, Any] | None = None
        self.review_started_on: date | None = None
        self.urgent: dict[str, Any] = {}
        self.terms: dict[str, Any] | None = None
        self.resources_allocated: list[dict[str, Any]] = []
        self.implementation: dict[str, Any] = {}
        self.progress_reports = 0
        self.supervision: dict[str, Any] = {"notes": 0, "last_on": None}
        self.obstacles: dict[str, dict[str, Any]] = {}  # keyed by version, as text: JSON-safe
        self.adjustments: dict[str, dict[str, Any]] = {}
        self.outside_approval: list[dict[str, Any]] = []
        self.result: dict[str, Any] | None = None
        self.evaluation: dict[str, Any] | None = None
        self.protection: dict[str, Any] = {
            "requests": [],
            "determined": None,
            "liability_outcomes": [],
        }
        self.recognition: dict[str, list[dict[str, Any]]] = {
            "commendations": [],
            "evaluation_inputs": [],
            "salary_steps": [],
        }
        self.reviews: list[dict[str, Any]] = []
        self.replications: dict[str, dict[str, Any]] = {}
        self.institutionalisation: list[dict[str, Any]] = []
        self.corrections: list[dict[str, Any]] = []
        self.pending_corrections: dict[int, dict[str, Any]] = {}
        self.archive_ref: str | None = None
        self.clocks: list[dict[str, Any]] = []

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
            actor=actor.as_dict(),
            request_id=ctx.request_id,
            timestamp=ctx.at,
            title=title,
            regime=regime.value,
            employing_organisation_id=employing_organisation_id,
            proposer_ids=proposers,
            summary=summary,
        )

    # Commands -------------------------------------------------------------------------

    def submit(
        self, actor: Actor, ctx: Context, addressee_id: UUID, proposal: dict[str, Any]
    ) -> None:
        """Send the complete proposal (Art. 7) to the addressee the application determined."""
        self._require_status({Status.DRAFT}, "submit")
        self._require_proposer(actor, "submit")
        validate_proposal(proposal)
        self._trigger(self.Submitted, actor, ctx, addressee_id=addressee_id, proposal=proposal)

    def receive(
        self, actor: Actor, ctx: Context, receipt_date: date, incoming_number: str
    ) -> None:
        """Log the proposal in at the addressee; this starts the decision clock."""
        self._require_status({Status.SUBMITTED}, "receive")
        if receipt_date > ctx.local_date:
            raise InvalidError("the receipt date is in the future", field="receipt_date")
        self._trigger(
            self.Received,
            actor,
            ctx,
            receipt_date=receipt_date,
            incoming_number=require_text(incoming_number, "incoming_number"),
        )

    def request_clarification(
        self, actor: Actor, ctx: Context, items: list[str], due_date: date
    ) -> None:
        """Ask the proposer to clarify or complete the proposal."""
        self._require_status({Status.UNDER_REVIEW}, "request clarification on")
        self._require_not_proposer(actor, "request clarification on")
        if not items:
            raise InvalidError("name at least one item to clarify", field="items")
        if due_date < ctx.local_date:
            raise InvalidError("the due date is in the past", field="due_date")
        self._trigger(self.ClarificationRequested, actor, ctx, items=items, due_date=due_date)

    def amend(self, actor: Actor, ctx: Context, changes: dict[str, Any], note: str) -> None:
        """Change fields of the proposal while it is under review."""
        self._require_status(IN_REVIEW, "amend")
        self._require_proposer(actor, "amend")
        unknown = sorted(set(changes) - set(PROPOSAL_FIELDS))
        if unknown:
            raise InvalidError(f"not a proposal field: {', '.join(unknown)}", field=unknown[0])
        changes = {k: v for k, v in changes.items() if self.proposal.get(k) != v}
        if not changes:
            raise InvalidError("the amendment changes nothing", field="changes")
        validate_proposal({**self.proposal, **changes})
        self._trigger(self.Amended, actor, ctx, changes=changes, note=note)

    def give_party_opinion(
        self, actor: Actor, ctx: Context, phase: Phase | str, opinion: str, document_ref: str
    ) -> None:
        """Record the same-level party committee's opinion (Art. 4)."""
        self._require_status(IN_REVIEW | {Status.UNDER_EVALUATION}, "give a party opinion on")
        self._require_not_proposer(actor, "give the party opinion on")
        phase = Phase(phase)
        if phase is Phase.APPROVAL:
            self._require_status(IN_REVIEW, "give the approval-phase party opinion on")
        else:
            self._require_status({Status.UNDER_EVALUATION}, "give the evaluation-phase opinion on")
        self._trigger(
            self.PartyOpinionGiven,
            actor,
            ctx,
            phase=phase.value,
            opinion=require_text(opinion, "opinion"),
            document_ref=require_text(document_ref, "document_ref"),
        )

    def hold_leadership_meeting(
        self,
        actor: Actor,
        ctx: Context,
        *,
        meeting_date: date,
        attendee_ids: list[UUID],
        eligible_voters: Callable[[date], list[UUID]],
        votes: list[dict[str, Any]],
        minutes_ref: str,
    ) -> None:
        """Record the collective's discussion and vote (Art. 8); voters come from the directory."""
        self._require_status({Status.UNDER_REVIEW, Status.UNDER_EVALUATION}, "hold a meeting on")
        self._require_not_proposer(actor, "chair the meeting on")
        opened = self.review_started_on or date.min
        if not opened <= meeting_date <= ctx.local_date:
            raise InvalidError(
                "the meeting date must fall between the receipt of the proposal (or of the"
                " result report) and today",
                field="meeting_date",
            )
        eligible_voter_ids = eligible_voters(meeting_date)
        voters = [UUID(str(v["person_id"])) for v in votes]
        if len(set(voters)) != len(voters):
            raise InvalidError("a member voted twice", field="votes")
        for voter in voters:
            if voter in self.proposer_ids:
                raise ForbiddenError("a proposer cannot vote on their own initiative")
            if voter not in eligible_voter_ids:
                raise InvalidError(
                    f"{voter} is not an eligible voter (head or deputy, not a proposer)",
                    field="votes",
                )
            if voter not in attendee_ids:
                raise InvalidError(f"{voter} voted but is not among the attendees", field="votes")
        if not votes:
            raise InvalidError("a meeting needs at least one vote", field="votes")
        counted = tally(votes, actor.person_id)
        self._trigger(
            self.LeadershipMeetingHeld,
            actor,
            ctx,
            meeting_date=meeting_date,
            attendee_ids=attendee_ids,
            eligible_voter_ids=eligible_voter_ids,
            votes=votes,
            minutes_ref=require_text(minutes_ref, "minutes_ref"),
            passed=counted.passed,
        )

    def approve(
        self,
        actor: Actor,
        ctx: Context,
        *,
        basis: ApprovalBasis | str,
        decision_document: str,
        justification: str,
        approval: dict[str, Any],
    ) -> None:
        """Approve in principle, on a basis the recorded vote supports (Art. 8)."""
        self._require_status({Status.UNDER_REVIEW}, "approve")
        self._require_not_proposer(actor, "approve")
        if Phase.APPROVAL.value not in self.party_opinions:
            raise WrongStateError(
                "approval needs the same-level party committee's opinion (Art. 4);"
                " none is recorded since the proposal last changed"
            )
        if self.last_meeting is None:
            raise WrongStateError(
                "approval needs a leadership meeting (Art. 8);"
                " none is recorded since the proposal last changed"
            )
        basis = ApprovalBasis(basis)
        if not self.meeting_tally().allows(basis):
            raise ConflictError(f"the recorded vote does not support the basis '{basis}'")
        if basis is ApprovalBasis.HEAD_OVERRIDE:
            require_text(justification, "justification")
        check_period(approval["start"], approval["end"], "end")
        self._trigger(
            self.Approved,
            actor,
            ctx,
            basis=basis.value,
            decision_document=require_text(decision_document, "decision_document"),
            justification=justification,
            approval={**approval, "scope": require_text(approval["scope"], "scope")},
        )

    def reject(self, actor: Actor, ctx: Context, reasons: list[str], document_ref: str) -> None:
        """Refuse the proposal; the reasons are required."""
        self._require_status(IN_REVIEW, "reject")
        self._require_not_proposer(actor, "reject")
        if not reasons or any(not r.strip() for r in reasons):
            raise InvalidError("a rejection must state its reasons", field="reasons")
        self._trigger(
            self.Rejected,
            actor,
            ctx,
            reasons=reasons,
            document_ref=require_text(document_ref, "document_ref"),
        )

    def escalate(self, actor: Actor, ctx: Context, superior_id: UUID, reason: str) -> None:
        """Send the proposal up to the superior agency, which reviews it afresh."""
        self._require_status({Status.UNDER_REVIEW}, "escalate")
        self._require_not_proposer(actor, "escalate")
        self._trigger(
            self.Escalated,
            actor,
            ctx,
            superior_id=superior_id,
            reason=require_text(reason, "reason"),
        )

    def withdraw(self, actor: Actor, ctx: Context, reason: str) -> None:
        """The proposer takes the proposal back before any decision."""
        self._require_status(BEFORE_DECISION, "withdraw")
        self._require_proposer(actor, "withdraw")
        self._trigger(self.Withdrawn, actor, ctx, reason=require_text(reason, "reason"))

    # Urgent path --------------------------------------------------------------------------

    def report_urgent(
        self, actor: Actor, ctx: Context, addressee_id: UUID, report: dict[str, Any]
    ) -> None:
        """Report an urgent situation with at least two options (HCMC plan 124-KH/TU)."""
        self._require_status({Status.DRAFT}, "report as urgent")
        if self.regime is not Regime.URGENT:
            raise WrongStateError("only an initiative drafted on the urgent path can be reported")
        self._require_proposer(actor, "report")
        validate_urgent_report(report, ctx.local_date)
        self._trigger(self.UrgentReported, actor, ctx, addressee_id=addressee_id, report=report)

    def authorize_urgent(
        self, actor: Actor, ctx: Context, decision_document: str, approval: dict[str, Any]
    ) -> None:
        """The competent authority authorizes before the cadre acts."""
        self._require_urgent_decision(actor, acted=False, act="authorize")
        self._trigger(
            self.UrgentAuthorized,
            actor,
            ctx,
            decision_document=require_text(decision_document, "decision_document"),
            approval=checked_terms(approval),
        )

    def ratify_urgent(
        self, actor: Actor, ctx: Context, decision_document: str, approval: dict[str, Any]
    ) -> None:
        """The competent authority ratifies what the cadre had to do before the decision."""
        self._require_urgent_decision(actor, acted=True, act="ratify")
        self._trigger(
            self.UrgentRatified,
            actor,
            ctx,
            decision_document=require_text(decision_document, "decision_document"),
            approval=checked_terms(approval),
        )

    def refuse_urgent(
        self, actor: Actor, ctx: Context, reasons: list[str], document_ref: str
    ) -> None:
        """The competent authority refuses the urgent report (or what was done under it)."""
        self._require_status({Status.URGENT_REPORTED}, "refuse")
        self._require_not_proposer(actor, "refuse")
        self._trigger(
            self.UrgentRefused,
            actor,
            ctx,
            reasons=require_items(reasons, "reasons"),
            document_ref=require_text(document_ref, "document_ref"),
        )

    # Implementation and supervision ---------------------------------------------------------

    def allocate_resources(
        self,
        actor: Actor,
        ctx: Context,
        people: list[str],
        equipment: str,
        funds_vnd: int,
        funding_source: str,
    ) -> None:
        """The approving authority allocates people, equipment and funds (Art. 10)."""
        self._require_status({Status.APPROVED, Status.IN_PROGRESS}, "allocate resources to")
        self._require_not_proposer(actor, "allocate resources to")
        if funds_vnd < 0:
            raise InvalidError("funds cannot be negative", field="funds_vnd")
        self._trigger(
            self.ResourcesAllocated,
            actor,
            ctx,
            people=people,
            equipment=equipment,
            funds_vnd=funds_vnd,
            funding_source=funding_source,
        )

    def start_implementation(self, actor: Actor, ctx: Context, actual_start: date) -> None:
        """An assignee starts the work, within the approved (and adjusted) dates."""
        self._require_status({Status.APPROVED}, "start")
        self._require_assignee(actor, "start")
        terms = self._terms()
        if actual_start > ctx.local_date:
            raise InvalidError("the start date is in the future", field="actual_start")
        if not terms["start"] <= actual_start <= terms["end"]:
            raise ConflictError(
                f"work may start only within the approved dates {terms['start']:%d/%m/%Y}"
                f" to {terms['end']:%d/%m/%Y}; request an adjustment first"
            )
        self._trigger(self.ImplementationStarted, actor, ctx, actual_start=actual_start)

    def report_progress(
        self, actor: Actor, ctx: Context, period: str, progress: str, issues: str
    ) -> None:
        """An assignee reports progress; acts after the approved end are flagged."""
        self._require_status({Status.IN_PROGRESS}, "report progress on")
        self._require_assignee(actor, "report progress on")
        self._trigger(
            self.ProgressReported,
            actor,
            ctx,
            period=require_text(period, "period"),
            progress=require_text(progress, "progress"),
            issues=issues,
            outside_approval=not self._within_terms(ctx.local_date),
        )

    def record_supervision_note(
        self,
        actor: Actor,
        ctx: Context,
        kind: str,
        findings: str,
        recommendations: str,
        part_of_work: str,
        outside_approved_scope: bool,
    ) -> None:
        """A supervisor records an inspection, supervision or monitoring note."""
        self._require_status(AFTER_APPROVAL, "supervise")
        self._require_not_proposer(actor, "supervise")
        SupervisionKind(kind)
        self._trigger(
            self.SupervisionNoteRecorded,
            actor,
            ctx,
            kind=kind,
            findings=require_text(findings, "findings"),
            recommendations=recommendations,
            part_of_work=part_of_work,
            outside_approved_scope=outside_approved_scope,
        )

    def raise_obstacle(self, actor: Actor, ctx: Context, obstacle: str) -> None:
        """An assignee records an obstacle met in the work."""
        self._require_status({Status.IN_PROGRESS}, "raise an obstacle on")
        self._require_assignee(actor, "raise an obstacle on")
        self._trigger(self.ObstacleRaised, actor, ctx, obstacle=require_text(obstacle, "obstacle"))

    def resolve_obstacle(
        self, actor: Actor, ctx: Context, obstacle_version: int, measure: str
    ) -> None:
        """The approving authority or its superior records the measure taken."""
        self._require_status(RUNNING, "resolve an obstacle on")
        if all(o["resolved"] for o in self.obstacles.values()):
            raise WrongStateError("no obstacle is open")
        obstacle = self.obstacles.get(str(obstacle_version))
        if obstacle is None:
            raise InvalidError(f"no obstacle at version {obstacle_version}", "obstacle_version")
        if obstacle["resolved"]:
            raise ConflictError(f"the obstacle at version {obstacle_version} is resolved")
        self._trigger(
            self.ObstacleResolved,
            actor,
            ctx,
            obstacle_version=obstacle_version,
            measure=require_text(measure, "measure"),
        )

    def request_adjustment(
        self, actor: Actor, ctx: Context, changes: dict[str, Any], reason: str
    ) -> None:
        """An assignee or proposer asks to change the approved scope, dates or resources."""
        self._require_status(RUNNING, "request an adjustment of")
        if actor.person_id not in self.proposer_ids:
            self._require_assignee(actor, "request an adjustment of")
        unknown = sorted(set(changes) - set(TERMS))
        if unknown or not changes:
            raise InvalidError("change at least one of scope, start, end, resources", "changes")
        merged = {**self._terms(), **changes}
        check_period(merged["start"], merged["end"], "changes")
        self._trigger(
            self.AdjustmentRequested,
            actor,
            ctx,
            changes=changes,
            reason=require_text(reason, "reason"),
        )

    def approve_adjustment(
        self, actor: Actor, ctx: Context, request_version: int, decision_document: str
    ) -> None:
        """The authority that approved decides the adjustment; terms change from now on."""
        self._pending_adjustment(actor, request_version)
        self._trigger(
            self.AdjustmentApproved,
            actor,
            ctx,
            request_version=request_version,
            decision_document=require_text(decision_document, "decision_document"),
        )

    def reject_adjustment(
        self, actor: Actor, ctx: Context, request_version: int, reasons: list[str]
    ) -> None:
        """The authority that approved refuses the adjustment."""
        self._pending_adjustment(actor, request_version)
        self._trigger(
            self.AdjustmentRejected,
            actor,
            ctx,
            request_version=request_version,
            reasons=require_items(reasons, "reasons"),
        )

    def suspend(self, actor: Actor, ctx: Context, reason: str, decision_document: str) -> None:
        """The approving authority (or its superior) suspends the work."""
        self._require_status({Status.IN_PROGRESS}, "suspend")
        self._decision(self.Suspended, actor, ctx, reason, decision_document)

    def resume(self, actor: Actor, ctx: Context, reason: str, decision_document: str) -> None:
        """The approving authority (or its superior) resumes suspended work."""
        self._require_status({Status.SUSPENDED}, "resume")
        self._decision(self.Resumed, actor, ctx, reason, decision_document)

    def terminate(self, actor: Actor, ctx: Context, reason: str, decision_document: str) -> None:
        """The approving authority (or its superior) stops the work; it is still evaluated."""
        self._require_status(RUNNING, "terminate")
        self._decision(self.Terminated, actor, ctx, reason, decision_document)

    def complete(self, actor: Actor, ctx: Context, completion_date: date) -> None:
        """An assignee declares the work complete; the result report clock starts."""
        self._require_status({Status.IN_PROGRESS}, "complete")
        self._require_assignee(actor, "complete")
        started = self.implementation["actual_start"]
        if not started <= completion_date <= ctx.local_date:
            raise InvalidError(
                "the completion date must fall between the start and today", "completion_date"
            )
        self._trigger(
            self.Completed,
            actor,
            ctx,
            completion_date=completion_date,
            outside_approval=not self._within_terms(completion_date),
        )

    # Result, evaluation and protection -------------------------------------------------------

    def report_result(
        self,
        actor: Actor,
        ctx: Context,
        results: list[dict[str, str]],
        damage_caused: bool,
        damage_description: str,
        damage_amount_vnd: int,
        causes: str,
        honesty_declaration: bool,
    ) -> None:
        """The result against each objective, damage and causes; the evaluation clock starts."""
        self._require_status({Status.COMPLETED, Status.TERMINATED}, "report the result of")
        if actor.person_id not in self.proposer_ids:
            self._require_assignee(actor, "report the result of")
        if not results:
            raise InvalidError("report the result of at least one objective", "results")
        check_damage(damage_caused, damage_description, damage_amount_vnd)
        if honesty_declaration is not True:
            raise InvalidError("the report must be declared honest", "honesty_declaration")
        self._trigger(
            self.ResultReported,
            actor,
            ctx,
            results=results,
            damage_caused=damage_caused,
            damage_description=damage_description,
            damage_amount_vnd=damage_amount_vnd,
            causes=require_text(causes, "causes"),
            honesty_declaration=True,
        )

    def evaluate(self, actor: Actor, ctx: Context, **evaluation: Any) -> None:
        """The head of the approving agency evaluates after a meeting (Art. 11)."""
        self._require_status({Status.UNDER_EVALUATION}, "evaluate")
        self._require_not_proposer(actor, "evaluate")
        if Phase.EVALUATION.value not in self.party_opinions:
            raise WrongStateError(
                "evaluation needs the same-level party committee's opinion (Art. 4);"
                " none is recorded since the result was reported"
            )
        if self.last_meeting is None:
            raise WrongStateError(
                "evaluation needs a leadership meeting without proposer-deputies (Art. 11);"
                " none is recorded since the result was reported"
            )
        self._trigger(self.Evaluated, actor, ctx, **checked_evaluation(evaluation))

    def request_protection(
        self, actor: Actor, ctx: Context, trigger: str, proceeding_ref: str, reason: str
    ) -> None:
        """The cadre, the agency or a body opening a proceeding asks for protection."""
        if self.approval is None:
            raise WrongStateError("protection needs an approval or urgent authorization on record")
        ProtectionTrigger(trigger)
        self._trigger(
            self.ProtectionRequested,
            actor,
            ctx,
            trigger=trigger,
            proceeding_ref=proceeding_ref,
            reason=reason,
        )

    def determine_protection(
        self,
        actor: Actor,
        ctx: Context,
        measure: str,
        reasons: str,
        evidence: list[str],
        document_ref: str,
    ) -> None:
        """The employing agency's head determines the measure; a mismatch is flagged."""
        self._require_status(EVALUATED, "determine protection for")
        self._require_not_proposer(actor, "determine protection for")
        recommended, _ = self.recommended_measure()
        self._trigger(
            self.ProtectionDetermined,
            actor,
            ctx,
            measure=Measure(measure).value,
            recommended=recommended.value if recommended else None,
            reasons=require_text(reasons, "reasons"),
            evidence=evidence,
            document_ref=require_text(document_ref, "document_ref"),
        )

    def record_liability_outcome(
        self, actor: Actor, ctx: Context, body: str, decision: str, document_ref: str
    ) -> None:
        """The deciding body's clerk records its decision; the service never decides it."""
        if not self.protection["requests"]:
            raise WrongStateError("a liability outcome follows a protection request")
        self._trigger(
            self.LiabilityOutcomeRecorded,
            actor,
            ctx,
            body=require_text(body, "body"),
            decision=require_text(decision, "decision"),
            document_ref=require_text(document_ref, "document_ref"),
        )

    # Recognition and follow-up ------------------------------------------------------------------

    def commend(
        self,
        actor: Actor,
        ctx: Context,
        form: str,
        person_ids: list[UUID],
        decision_document: str,
    ) -> None:
        """Praise any time after approval; rewards only after a `completed` outcome (Art. 10)."""
        self._require_status(AFTER_APPROVAL, "commend")
        if CommendationForm(form) is not CommendationForm.PRAISE:
            self._require_outcome_completed("rewards")
        self._require_participants(person_ids, "person_ids")
        self._trigger(
            self.Commended,
            actor,
            ctx,
            form=form,
            person_ids=person_ids,
            decision_document=require_text(decision_document, "decision_document"),
        )

    def record_cadre_evaluation_input(
        self, actor: Actor, ctx: Context, person_id: UUID, period: str, facts: str
    ) -> None:
        """A personnel officer records what the cadre's annual evaluation uses (Art. 10)."""
        self._require_status(EVALUATED, "record evaluation inputs for")
        self._require_participants([person_id], "person_id")
        self._trigger(
            self.CadreEvaluationInputRecorded,
            actor,
            ctx,
            person_id=person_id,
            period=require_text(period, "period"),
            facts=require_text(facts, "facts"),
        )

    def consider_early_salary_step(
        self,
        actor: Actor,
        ctx: Context,
        person_id: UUID,
        months_early: int,
        decision: str,
        decision_document: str,
    ) -> None:
        """A personnel officer records an early salary step of at most 12 months (Art. 10)."""
        self._require_outcome_completed("an early salary step")
        self._require_participants([person_id], "person_id")
        if not 1 <= months_early <= 12:
            raise InvalidError("an early salary step is 1 to 12 months", "months_early")
        self._trigger(
            self.EarlySalaryStepConsidered,
            actor,
            ctx,
            person_id=person_id,
            months_early=months_early,
            decision=require_text(decision, "decision"),
            decision_document=decision_document,
        )

    def hold_interim_review(
        self, actor: Actor, ctx: Context, lessons: str, document_ref: str
    ) -> None:
        """An interim review (sơ kết) while the work runs."""
        self._require_status(RUNNING, "hold an interim review of")
        self._trigger(
            self.InterimReviewHeld,
            actor,
            ctx,
            lessons=require_text(lessons, "lessons"),
            document_ref=document_ref,
        )

    def hold_final_review(
        self, actor: Actor, ctx: Context, lessons: str, document_ref: str
    ) -> None:
        """A final review (tổng kết) after the evaluation."""
        self._require_status(EVALUATED, "hold a final review of")
        self._trigger(
            self.FinalReviewHeld,
            actor,
            ctx,
            lessons=require_text(lessons, "lessons"),
            document_ref=document_ref,
        )

    def propose_replication(
        self, actor: Actor, ctx: Context, target_organisation_ids: list[UUID], reason: str
    ) -> None:
        """Propose replicating a completed initiative in other organisations."""
        self._require_outcome_completed("replication")
        if not target_organisation_ids or len(set(target_organisation_ids)) != len(
            target_organisation_ids
        ):
            raise InvalidError("name distinct target organisations", "target_organisation_ids")
        if self.employing_organisation_id in target_organisation_ids:
            raise InvalidError("the initiative already runs there", "target_organisation_ids")
        self._trigger(
            self.ReplicationProposed,
            actor,
            ctx,
            target_organisation_ids=target_organisation_ids,
            reason=require_text(reason, "reason"),
        )

    def approve_replication(
        self, actor: Actor, ctx: Context, proposal_version: int, decision_document: str
    ) -> list[Initiative]:
        """Approve a replication; returns the linked child initiatives to save with this one."""
        if all(p["approved"] for p in self.replications.values()):
            raise WrongStateError("no replication proposal is waiting for approval")
        proposal = self.replications.get(str(proposal_version))
        if proposal is None:
            raise InvalidError(
                f"no replication proposal at version {proposal_version}", "proposal_version"
            )
        if proposal["approved"]:
            raise ConflictError(f"the replication at version {proposal_version} is approved")
        children = [
            Initiative._create(
                Initiative.Replicated,
                id=uuid4(),
                actor=actor.as_dict(),
                request_id=ctx.request_id,
                timestamp=ctx.at,
                title=self.title,
                regime=Regime.REGULAR.value,
                employing_organisation_id=target,
                proposer_ids=[],
                summary=f"Nhân rộng từ: {self.title}",
                parent_id=self.id,
            )
            for target in proposal["targets"]
        ]
        self._trigger(
            self.ReplicationApproved,
            actor,
            ctx,
            proposal_version=proposal_version,
            decision_document=require_text(decision_document, "decision_document"),
            children={str(c.employing_organisation_id): c.id for c in children},
        )
        return children

    def recommend_institutionalisation(
        self, actor: Actor, ctx: Context, target_instrument: str, drafting_body: str, reason: str
    ) -> None:
        """Recommend turning the result into a rule (thể chế hóa)."""
        self._require_status(EVALUATED, "recommend institutionalising")
        self._trigger(
            self.InstitutionalisationRecommended,
            actor,
            ctx,
            target_instrument=require_text(target_instrument, "target_instrument"),
            drafting_body=require_text(drafting_body, "drafting_body"),
            reason=require_text(reason, "reason"),
        )

    def correct(
        self,
        actor: Actor,
        ctx: Context,
        corrected_version: int,
        reason: str,
        corrections: dict[str, Any],
        original_actor: dict[str, str] | None,
    ) -> None:
        """The original actor proposes a correction of an event — never an edit; it takes
        effect when the head of the organisation it was recorded in countersigns it."""
        if not 1 <= corrected_version <= self.version:
            raise InvalidError(f"no event at version {corrected_version}", "corrected_version")
        if original_actor is None or original_actor["person_id"] != str(actor.person_id):
            raise ForbiddenError("only the person who recorded an event may correct it")
        if not corrections:
            raise InvalidError("name at least one corrected field", "corrections")
        self._trigger(
            self.CorrectionProposed,
            actor,
            ctx,
            corrected_version=corrected_version,
            reason=require_text(reason, "reason"),
            corrections=corrections,
            organisation_id=UUID(original_actor["organisation_id"]),
        )

    def countersign_correction(self, actor: Actor, ctx: Context, correction_version: int) -> None:
        """The head countersigns a proposed correction, by their own act: it takes effect."""
        proposal = self.pending_corrections.get(correction_version)
        if proposal is None:
            raise InvalidError(
                f"no correction proposed at version {correction_version} awaits a"
                " countersignature",
                "correction_version",
            )
        if proposal["proposed_by"] == str(actor.person_id):
            raise ForbiddenError("a correction is countersigned by someone other than its author")
        self._trigger(
            self.Corrected,
            actor,
            ctx,
            correction_version=correction_version,
            corrected_version=proposal["corrected_version"],
            reason=proposal["reason"],
            corrections=proposal["corrections"],
        )

    def archive(self, actor: Actor, ctx: Context, archive_ref: str) -> None:
        """The clerk archives the file of an evaluated initiative."""
        self._require_status({Status.EVALUATED}, "archive")
        self._trigger(
            self.Archived, actor, ctx, archive_ref=require_text(archive_ref, "archive_ref")
        )

    # Derived facts ------------------------------------------------------------------------------

    def recommended_measure(self) -> tuple[Measure | None, list[str]]:
        """The protection measure the record supports (domain.md §6)."""
        evaluation = self.evaluation or {}
        outcome = evaluation.get("outcome")
        return recommend(
            approved=self.approval is not None,
            outcome=Outcome(outcome) if outcome else None,
            damage_caused=bool(evaluation.get("damage_caused")),
            findings=evaluation.get("findings", {}),
            self_interest_or_abuse=bool(evaluation.get("self_interest_or_abuse")),
            acts_outside_approval=bool(self.outside_approval),
        )

    # Event methods: state changes only --------------------------------------------------

    @event(Submitted)
    def _submitted(self, addressee_id: UUID, proposal: dict[str, Any]) -> None:
        self.status = Status.SUBMITTED
        self.addressee_id = addressee_id
        self.proposal = dict(proposal)

    @event(Received)
    def _received(self, receipt_date: date, incoming_number: str) -> None:
        self.status = Status.UNDER_REVIEW
        self.received = {"receipt_date": receipt_date, "incoming_number": incoming_number}
        self.review_started_on = receipt_date
        self._start_clock("approval_decision", receipt_date)

    @event(ClarificationRequested)
    def _clarification_requested(self, items: list[str], due_date: date) -> None:
        self.status = Status.CLARIFICATION_REQUESTED
        self.clarification = {"items": list(items), "due_date": due_date}

    @event(Amended)
    def _amended(self, changes: dict[str, Any]) -> None:
        self.status = Status.UNDER_REVIEW
        self.proposal.update(changes)
        self.clarification = None
        self._new_review_round()

    @event(PartyOpinionGiven)
    def _party_opinion_given(self, phase: str) -> None:
        self.party_opinions[phase] = self.version

    @event(LeadershipMeetingHeld)
    def _meeting_held(
        self, meeting_date: date, votes: list[dict[str, Any]], actor: dict[str, str], passed: bool
    ) -> None:
        self.last_meeting = {
            "meeting_date": meeting_date,
            "votes": list(votes),
            "chair_id": actor["person_id"],
            "passed": passed,
        }

    @event(Approved)
    def _approved(
        self,
        basis: str,
        decision_document: str,
        approval: dict[str, Any],
        actor: dict[str, str],
        timestamp: datetime,
    ) -> None:
        self._set_approval(basis, decision_document, approval, actor, timestamp)
        self._finish_clock("approval_decision", local_date(timestamp))

    @event(Rejected)
    def _rejected(self, reasons: list[str], timestamp: datetime) -> None:
        self.status = Status.REJECTED
        self.decision = {"reasons": list(reasons)}
        self._finish_clock("approval_decision", local_date(timestamp))

    @event(Escalated)
    def _escalated(self, superior_id: UUID, timestamp: datetime) -> None:
        self._finish_clock("approval_decision", local_date(timestamp))
        self.status = Status.SUBMITTED
        self.addressee_id = superior_id
        self.received = None
        self._new_review_round()

    @event(Withdrawn)
    def _withdrawn(self, reason: str) -> None:
        self.status = Status.WITHDRAWN
        self.decision = {"reason": reason}

    @event(UrgentReported)
    def _urgent_reported(self, addressee_id: UUID, report: dict[str, Any]) -> None:
        self.status = Status.URGENT_REPORTED
        self.addressee_id = addressee_id
        self.urgent = dict(report)

    @event(UrgentAuthorized)
    def _urgent_authorized(
        self,
        decision_document: str,
        approval: dict[str, Any],
        actor: dict[str, str],
        timestamp: datetime,
    ) -> None:
        self._set_approval("urgent_authorized", decision_document, approval, actor, timestamp)

    @event(UrgentRatified)
    def _urgent_ratified(
        self,
        decision_document: str,
        approval: dict[str, Any],
        actor: dict[str, str],
        timestamp: datetime,
    ) -> None:
        self._set_approval("urgent_ratified", decision_document, approval, actor, timestamp)

    @event(UrgentRefused)
    def _urgent_refused(self, reasons: list[str]) -> None:
        self.status = Status.REJECTED
        self.decision = {"reasons": list(reasons), "urgent": True}

    @event(ResourcesAllocated)
    def _resources_allocated(
        self, people: list[str], equipment: str, funds_vnd: int, funding_source: str
    ) -> None:
        self.resources_allocated.append(
            {
                "people": people,
                "equipment": equipment,
                "funds_vnd": funds_vnd,
                "funding_source": funding_source,
            }
        )

    @event(ImplementationStarted)
    def _implementation_started(self, actual_start: date) -> None:
        self.status = Status.IN_PROGRESS
        self.implementation["actual_start"] = actual_start

    @event(ProgressReported)
    def _progress_reported(self, period: str, outside_approval: bool) -> None:
        self.progress_reports += 1
        if outside_approval:
            self.outside_approval.append(
                {"version": self.version + 1, "act": "progress", "detail": period}
            )

    @event(SupervisionNoteRecorded)
    def _supervision_noted(
        self, kind: str, outside_approved_scope: bool, part_of_work: str, timestamp: datetime
    ) -> None:
        self.supervision["notes"] += 1
        self.supervision["last_on"] = local_date(timestamp)
        if outside_approved_scope:
            self.outside_approval.append(
                {"version": self.version + 1, "act": "supervision", "detail": part_of_work}
            )

    @event(ObstacleRaised)
    def _obstacle_raised(self, obstacle: str) -> None:
        self.obstacles[str(self.version + 1)] = {"obstacle": obstacle, "resolved": False}

    @event(ObstacleResolved)
    def _obstacle_resolved(self, obstacle_version: int, measure: str) -> None:
        self.obstacles[str(obstacle_version)] = {
            **self.obstacles[str(obstacle_version)],
            "resolved": True,
            "measure": measure,
        }

    @event(AdjustmentRequested)
    def _adjustment_requested(self, changes: dict[str, Any], reason: str) -> None:
        self.adjustments[str(self.version + 1)] = {
            "changes": dict(changes),
            "reason": reason,
            "status": "requested",
        }

    @event(AdjustmentApproved)
    def _adjustment_approved(self, request_version: int) -> None:
        adjustment = self.adjustments[str(request_version)]
        adjustment["status"] = "approved"
        self.terms = {**self._terms(), **adjustment["changes"]}

    @event(AdjustmentRejected)
    def _adjustment_rejected(self, request_version: int) -> None:
        self.adjustments[str(request_version)]["status"] = "rejected"

    @event(Suspended)
    def _suspended(self) -> None:
        self.status = Status.SUSPENDED

    @event(Resumed)
    def _resumed(self) -> None:
        self.status = Status.IN_PROGRESS

    @event(Terminated)
    def _terminated(self, timestamp: datetime) -> None:
        self.status = Status.TERMINATED
        self.implementation["terminated_on"] = local_date(timestamp)
        self._start_clock("result_report", local_date(timestamp))

    @event(Completed)
    def _completed(self, completion_date: date, outside_approval: bool) -> None:
        self.status = Status.COMPLETED
        self.implementation["completion_date"] = completion_date
        if outside_approval:
            self.outside_approval.append(
                {
                    "version": self.version + 1,
                    "act": "completion",
                    "detail": completion_date.isoformat(),
                }
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
        self.result = {
            "results": list(results),
            "damage_caused": damage_caused,
            "damage_amount_vnd": damage_amount_vnd,
            "reported_on": local_date(timestamp),
        }
        self.review_started_on = local_date(timestamp)
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
        self.evaluation = {
            "parts": list(parts),
            "outcome": outcome,
            "damage_caused": damage_caused,
            "damage_amount_vnd": damage_amount_vnd,
            "findings": dict(findings),
            "self_interest_or_abuse": self_interest_or_abuse,
            "evaluated_on": local_date(timestamp),
        }
        self._finish_clock("evaluation", local_date(timestamp))
        self._start_clock("archiving", local_date(timestamp))

    @event(ProtectionRequested)
    def _protection_requested(self, trigger: str, proceeding_ref: str) -> None:
        self.protection["requests"].append(
            {"version": self.version + 1, "trigger": trigger, "proceeding_ref": proceeding_ref}
        )

    @event(ProtectionDetermined)
    def _protection_determined(self, measure: str, recommended: str | None) -> None:
        self.protection["determined"] = {"measure": measure, "recommended_then": recommended}

    @event(LiabilityOutcomeRecorded)
    def _liability_recorded(self, body: str, decision: str) -> None:
        self.protection["liability_outcomes"].append({"body": body, "decision": decision})

    @event(Commended)
    def _commended(self, form: str, person_ids: list[UUID], timestamp: datetime) -> None:
        self.recognition["commendations"].append(
            {"form": form, "person_ids": list(person_ids), "on": local_date(timestamp)}
        )

    @event(CadreEvaluationInputRecorded)
    def _evaluation_input(self, person_id: UUID, period: str) -> None:
        self.recognition["evaluation_inputs"].append({"person_id": person_id, "period": period})

    @event(EarlySalaryStepConsidered)
    def _salary_step(self, person_id: UUID, months_early: int, decision: str) -> None:
        self.recognition["salary_steps"].append(
            {"person_id": person_id, "months_early": months_early, "decision": decision}
        )

    @event(InterimReviewHeld)
    def _interim_review(self, timestamp: datetime) -> None:
        self.reviews.append({"kind": "interim", "on": local_date(timestamp)})

    @event(FinalReviewHeld)
    def _final_review(self, timestamp: datetime) -> None:
        self.reviews.append({"kind": "final", "on": local_date(timestamp)})

    @event(ReplicationProposed)
    def _replication_proposed(self, target_organisation_ids: list[UUID]) -> None:
        self.replications[str(self.version + 1)] = {
            "targets": list(target_organisation_ids),
            "approved": False,
            "children": {},
        }

    @event(ReplicationApproved)
    def _replication_approved(self, proposal_version: int, children: dict[str, UUID]) -> None:
        self.replications[str(proposal_version)] = {
            **self.replications[str(proposal_version)],
            "approved": True,
            "children": dict(children),
        }

    @event(InstitutionalisationRecommended)
    def _institutionalisation(self, target_instrument: str, drafting_body: str) -> None:
        self.institutionalisation.append(
            {"target_instrument": target_instrument, "drafting_body": drafting_body}
        )

    @event(CorrectionProposed)
    def _correction_proposed(
        self,
        actor: dict[str, str],
        corrected_version: int,
        reason: str,
        corrections: dict[str, Any],
        organisation_id: UUID,
    ) -> None:
        self.pending_corrections[self.version + 1] = {
            "corrected_version": corrected_version,
            "reason": reason,
            "corrections": corrections,
            "proposed_by": actor["person_id"],
            "organisation_id": str(organisation_id),
        }

    @event(Corrected)
    def _corrected(self, correction_version: int, corrected_version: int, reason: str) -> None:
        self.pending_corrections.pop(correction_version, None)
        self.corrections.append(
            {
                "version": self.version + 1,
                "correction_version": correction_version,
                "corrected_version": corrected_version,
                "reason": reason,
            }
        )

    @event(Archived)
    def _archived(self, archive_ref: str, timestamp: datetime) -> None:
        self.status = Status.ARCHIVED
        self.archive_ref = archive_ref
        self._finish_clock("archiving", local_date(timestamp))

    # Helpers ----------------------------------------------------------------------------

    def _set_approval(
        self,
        basis: str,
        decision_document: str,
        approval: dict[str, Any],
        actor: dict[str, str],
        timestamp: datetime,
    ) -> None:
        self.status = Status.APPROVED
        self.approval = {
            **approval,
            "basis": basis,
            "decision_document": decision_document,
            "authority_id": UUID(actor["organisation_id"]),
            "approved_on": local_date(timestamp),
        }
        self.terms = {name: approval[name] for name in TERMS}

    def _start_clock(self, name: str, day: date) -> None:
        responsible = {
            "approval_decision": self.addressee_id,
            "evaluation": self.authority_id or self.employing_organisation_id,
        }.get(name, self.employing_organisation_id)
        self.clocks.append(
            {"name": name, "started_on": day, "finished_on": None, "organisation_id": responsible}
        )

    def _finish_clock(self, name: str, day: date) -> None:
        for clock in reversed(self.clocks):
            if clock["name"] == name and clock["finished_on"] is None:
                clock["finished_on"] = day
                return

    @property
    def authority_id(self) -> UUID | None:
        """The organisation that approved (or authorized), which decides what follows."""
        return self.approval["authority_id"] if self.approval else None

    def _terms(self) -> dict[str, Any]:
        if self.terms is None:
            raise ConflictError("nothing has been approved")
        return self.terms

    def _within_terms(self, day: date) -> bool:
        terms = self._terms()
        return bool(terms["start"] <= day <= terms["end"])

    def _require_assignee(self, actor: Actor, act: str) -> None:
        assignees = self.approval["assignee_ids"] if self.approval else []
        if actor.person_id not in assignees:
            raise ForbiddenError(f"only an assignee of the approval may {act} this initiative")

    def _require_participants(self, person_ids: list[UUID], field: str) -> None:
        assignees = self.approval["assignee_ids"] if self.approval else []
        outsiders = [p for p in person_ids if p not in self.proposer_ids and p not in assignees]
        if not person_ids or outsiders:
            raise InvalidError("name proposers or assignees of this initiative", field=field)

    def _require_outcome_completed(self, what: str) -> None:
        outcome = (self.evaluation or {}).get("outcome")
        if self.status not in EVALUATED or outcome != "completed":
            raise WrongStateError(f"{what} need an evaluation with the outcome 'completed'")

    def _require_urgent_decision(self, actor: Actor, acted: bool, act: str) -> None:
        self._require_status({Status.URGENT_REPORTED}, act)
        self._require_not_proposer(actor, act)
        if (self.urgent.get("acted_on") is not None) is not acted:
            raise WrongStateError(
                "the cadre already acted: ratify or refuse what was done"
                if not acted
                else "the cadre has not acted yet: authorize or refuse"
            )

    def _pending_adjustment(self, actor: Actor, request_version: int) -> None:
        self._require_status(RUNNING, "decide an adjustment of")
        self._require_not_proposer(actor, "decide an adjustment of")
        if not any(a["status"] == "requested" for a in self.adjustments.values()):
            raise WrongStateError("no adjustment request is waiting for a decision")
        adjustment = self.adjustments.get(str(request_version))
        if adjustment is None:
            raise InvalidError(
                f"no adjustment request at version {request_version}", "request_version"
            )
        if adjustment["status"] != "requested":
            raise ConflictError(f"the adjustment at version {request_version} is decided")

    def _decision(
        self, event_class: type[Event], actor: Actor, ctx: Context, reason: str, document: str
    ) -> None:
        self._require_not_proposer(actor, "decide on")
        self._trigger(
            event_class,
            actor,
            ctx,
            reason=require_text(reason, "reason"),
            decision_document=require_text(document, "decision_document"),
        )

    def meeting_tally(self) -> Tally:
        """The tally of the last meeting that still counts."""
        assert self.last_meeting is not None
        return tally(self.last_meeting["votes"], UUID(self.last_meeting["chair_id"]))

    def _new_review_round(self) -> None:
        self.review_round += 1
        self.party_opinions = {
            k: v for k, v in self.party_opinions.items() if k != Phase.APPROVAL.value
        }
        self.last_meeting = None

    def _trigger(self, event_class: type[Event], actor: Actor, ctx: Context, **data: Any) -> None:
        self.trigger_event(
            event_class, actor=actor.as_dict(), request_id=ctx.request_id, timestamp=ctx.at, **data
        )

    def _require_status(self, allowed: set[Status] | frozenset[Status], act: str) -> None:
        if self.status not in allowed:
            raise WrongStateError(f"cannot {act} an initiative that is {self.status}")

    def _require_proposer(self, actor: Actor, act: str) -> None:
        if actor.person_id not in self.proposer_ids:
            raise ForbiddenError(f"only a proposer may {act} this initiative")

    def _require_not_proposer(self, actor: Actor, act: str) -> None:
        if actor.person_id in self.proposer_ids:
            raise ForbiddenError(f"a proposer cannot {act} their own initiative")
