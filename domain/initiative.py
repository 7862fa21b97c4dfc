"""The Initiative aggregate from draft to the decision in principle (domain.md §3 to §5).

Commands check every rule and then trigger exactly one event; the `@event` methods only
change state, because they run again on every replay. Authority ("did this person hold
the head position in the addressee on that day?") is resolved by the application against
the directory and handed in as an `Actor`; the aggregate checks what depends on its own
history (status, proposers, party opinion, votes).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, ForbiddenError, InvalidError
from domain.proposal import (
    PROPOSAL_FIELDS,
    ApprovalBasis,
    Tally,
    check_period,
    tally,
    validate_proposal,
)
from domain.values import Actor, Context, require_text


class Status(StrEnum):
    """Where an initiative stands in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CLARIFICATION_REQUESTED = "clarification_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Regime(StrEnum):
    """Ordinary procedure or the urgent path."""

    REGULAR = "regular"
    URGENT = "urgent"


class Phase(StrEnum):
    """The two moments at which the same-level party committee gives its opinion."""

    APPROVAL = "approval"
    EVALUATION = "evaluation"


BEFORE_DECISION = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.CLARIFICATION_REQUESTED}
)
IN_REVIEW = frozenset({Status.UNDER_REVIEW, Status.CLARIFICATION_REQUESTED})


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

    @event(Drafted)
    def __init__(
        self,
        title: str,
        regime: str,
        employing_organisation_id: UUID,
        proposer_ids: list[UUID],
        summary: str,
    ) -> None:
        self.title = title
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
        self, actor: Actor, ctx: Context, phase: Phase, opinion: str, document_ref: str
    ) -> None:
        """Record the same-level party committee's opinion (Art. 4)."""
        if phase is not Phase.APPROVAL:
            raise ConflictError("an evaluation-phase opinion needs a reported result")
        self._require_status(IN_REVIEW, "give the party opinion on")
        self._require_not_proposer(actor, "give the party opinion on")
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
        eligible_voter_ids: list[UUID],
        votes: list[dict[str, Any]],
        minutes_ref: str,
    ) -> None:
        """Record the collective's discussion and vote (Art. 8); voters come from the directory."""
        self._require_status({Status.UNDER_REVIEW}, "hold a meeting on")
        self._require_not_proposer(actor, "chair the meeting on")
        assert self.received is not None  # under review implies received
        if not self.received["receipt_date"] <= meeting_date <= ctx.local_date:
            raise InvalidError(
                "the meeting date must fall between receipt and today", field="meeting_date"
            )
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
        basis: ApprovalBasis,
        decision_document: str,
        justification: str,
        approval: dict[str, Any],
    ) -> None:
        """Approve in principle, on a basis the recorded vote supports (Art. 8)."""
        self._require_status({Status.UNDER_REVIEW}, "approve")
        self._require_not_proposer(actor, "approve")
        if Phase.APPROVAL.value not in self.party_opinions:
            raise ConflictError(
                "approval needs the same-level party committee's opinion (Art. 4);"
                " none is recorded since the proposal last changed"
            )
        if self.last_meeting is None:
            raise ConflictError(
                "approval needs a leadership meeting (Art. 8);"
                " none is recorded since the proposal last changed"
            )
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
    def _approved(self, basis: str, decision_document: str, approval: dict[str, Any]) -> None:
        self.status = Status.APPROVED
        self.approval = {**approval, "basis": basis, "decision_document": decision_document}

    @event(Rejected)
    def _rejected(self, reasons: list[str]) -> None:
        self.status = Status.REJECTED
        self.decision = {"reasons": list(reasons)}

    @event(Escalated)
    def _escalated(self, superior_id: UUID) -> None:
        self.status = Status.SUBMITTED
        self.addressee_id = superior_id
        self.received = None
        self._new_review_round()

    @event(Withdrawn)
    def _withdrawn(self, reason: str) -> None:
        self.status = Status.WITHDRAWN
        self.decision = {"reason": reason}

    # Helpers ----------------------------------------------------------------------------

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
            raise ConflictError(f"cannot {act} an initiative that is {self.status.value}")

    def _require_proposer(self, actor: Actor, act: str) -> None:
        if actor.person_id not in self.proposer_ids:
            raise ForbiddenError(f"only a proposer may {act} this initiative")

    def _require_not_proposer(self, actor: Actor, act: str) -> None:
        if actor.person_id in self.proposer_ids:
            raise ForbiddenError(f"a proposer cannot {act} their own initiative")
