"""The commands of an initiative from its submission to the decision in principle
(domain.md §3 to §5): receipt, clarification, amendment, the party opinion, the
leadership meeting, approval, rejection, escalation, withdrawal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import ConflictError, ForbiddenError, InvalidError, WrongStateError
from domain.initiative_core import InitiativeCore
from domain.initiative_status import BEFORE_DECISION, IN_REVIEW, Phase, Status
from domain.proposal import PROPOSAL_FIELDS, ApprovalBasis, check_period, tally, validate_proposal
from domain.values import Actor, Context, require_text


class ProposalCommands(InitiativeCore):
    """Submit, review and decide the proposal (Art. 4, 7, 8)."""

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
