"""The commands of an initiative from its submission to the decision in principle
(domain.md §3 to §5): receipt, clarification, amendment, the party opinion, the
leadership meeting, approval, rejection, escalation, withdrawal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain import initiative_events as events
from domain.commands import (
    AMEND,
    APPROVE,
    ESCALATE,
    GIVE_PARTY_OPINION,
    HOLD_LEADERSHIP_MEETING,
    RECEIVE,
    REJECT,
    REQUEST_CLARIFICATION,
    SUBMIT,
    WITHDRAW,
)
from domain.errors import ConflictError, InvalidError
from domain.initiative_core import InitiativeCore, approved_terms
from domain.initiative_payloads import Payload, VoteCast
from domain.messages import Listed, msg
from domain.proposal import (
    PROPOSAL_FIELDS,
    check_attendance,
    check_period,
    check_votes,
    confirmed_grounds,
    tally,
    validate_proposal,
)
from domain.quorum import Quorum
from domain.values import Actor, Context, require_text, require_texts
from domain.vocabulary import ApprovalBasis, Phase


class ProposalCommands(InitiativeCore):
    """Submit, review and decide the proposal (Art. 4, 7, 8)."""

    def submit(self, actor: Actor, ctx: Context, addressee_id: UUID, **proposal: object) -> None:
        """Send the complete proposal (Art. 7) to the addressee the application determined."""
        self._guard(SUBMIT, actor)
        validate_proposal(proposal)
        self._trigger(events.Submitted, actor, ctx, addressee_id=addressee_id, proposal=proposal)

    def receive(
        self, actor: Actor, ctx: Context, receipt_date: date, incoming_number: str
    ) -> None:
        """Log the proposal in at the addressee; this starts the decision clock."""
        self._guard(RECEIVE, actor)
        self._trigger(
            events.Received,
            actor,
            ctx,
            receipt_date=self._stated(ctx, "receipt_date", receipt_date),
            **require_texts(incoming_number=incoming_number),
        )

    def request_clarification(
        self, actor: Actor, ctx: Context, items: list[str], due_date: date
    ) -> None:
        """Ask the proposer to clarify or complete the proposal."""
        self._guard(REQUEST_CLARIFICATION, actor)
        if not items:
            raise InvalidError("name at least one item to clarify", field="items")
        if due_date < ctx.local_date:
            raise InvalidError("the due date is in the past", field="due_date")
        self._trigger(events.ClarificationRequested, actor, ctx, items=items, due_date=due_date)

    def amend(self, actor: Actor, ctx: Context, changes: Payload, note: str = "") -> None:
        """Change fields of the proposal while it is under review."""
        self._guard(AMEND, actor)
        unknown = sorted(set(changes) - set(PROPOSAL_FIELDS))
        if unknown:
            raise InvalidError(
                "not a proposal field: {fields}", field=unknown[0], fields=Listed(unknown)
            )
        changes = {k: v for k, v in changes.items() if self.proposal.get(k) != v}
        if not changes:
            raise InvalidError("the amendment changes nothing", field="changes")
        validate_proposal({**self.proposal, **changes})
        self._trigger(events.Amended, actor, ctx, changes=changes, note=note)

    def give_party_opinion(
        self, actor: Actor, ctx: Context, phase: Phase | str, opinion: str, document_ref: str
    ) -> None:
        """Record the same-level party committee's opinion (Art. 4)."""
        phase = Phase(phase)
        self._guard(GIVE_PARTY_OPINION, actor, phase=phase)
        self._trigger(
            events.PartyOpinionGiven,
            actor,
            ctx,
            phase=phase.value,
            **require_texts(opinion=opinion, document_ref=document_ref),
        )

    def hold_leadership_meeting(
        self,
        actor: Actor,
        ctx: Context,
        *,
        meeting_date: date,
        attendee_ids: list[UUID],
        eligible_voters: Callable[[date], list[UUID]],
        quorum: Callable[[date], Quorum],
        votes: list[VoteCast],
        minutes_ref: str,
    ) -> None:
        """Record the collective's discussion and vote (Art. 8): the members present (a quorum
        of the eligible ones, §5.11) and their votes; who is eligible, and the quorum, come
        from the directory as of the meeting day."""
        self._guard(HOLD_LEADERSHIP_MEETING, actor)
        self._stated(ctx, "meeting_date", meeting_date)
        eligible_voter_ids = eligible_voters(meeting_date)
        check_votes(votes, attendee_ids, eligible_voter_ids, self.proposer_ids)
        check_attendance(attendee_ids, eligible_voter_ids, quorum(meeting_date))
        counted = tally(votes, actor.person_id)
        self._trigger(
            events.LeadershipMeetingHeld,
            actor,
            ctx,
            meeting_date=meeting_date,
            attendee_ids=attendee_ids,
            eligible_voter_ids=eligible_voter_ids,
            votes=votes,
            **require_texts(minutes_ref=minutes_ref),
            passed=counted.passed,
        )

    def approve(
        self,
        actor: Actor,
        ctx: Context,
        *,
        basis: ApprovalBasis | str,
        decision_document: str,
        justification: str = "",
        grounds_confirmed: bool = False,
        **terms: object,
    ) -> None:
        """Approve in principle, on a basis the recorded vote supports (Art. 8), confirming
        the proposer's declaration of grounds (domain.md §5.13) and setting the terms
        (`approved_scope`, `approved_start`, `approved_end`, `resources`, `assignee_ids`,
        `directions`)."""
        self._guard(APPROVE, actor)
        approval = approved_terms(terms)
        basis = ApprovalBasis(basis)
        if not self.meeting_tally().allows(basis):
            raise ConflictError(
                "the recorded vote does not support the basis '{basis}'", basis=basis
            )
        if basis is ApprovalBasis.HEAD_OVERRIDE:
            require_text(justification, "justification")
        check_period(approval["start"], approval["end"], "end")
        self._trigger(
            events.Approved,
            actor,
            ctx,
            basis=basis.value,
            **require_texts(decision_document=decision_document),
            justification=justification,
            approval={**approval, "scope": require_text(approval["scope"], "scope")},
            grounds_confirmed=confirmed_grounds(grounds_confirmed),
        )

    def reject(self, actor: Actor, ctx: Context, reasons: list[str], document_ref: str) -> None:
        """Refuse the proposal; the reasons are required."""
        unstated = msg("a rejection must state its reasons")
        self._refuse(REJECT, events.Rejected, actor, ctx, reasons, document_ref, unstated)

    def escalate(self, actor: Actor, ctx: Context, superior_id: UUID, reason: str) -> None:
        """Send the proposal up to the superior agency, which reviews it afresh."""
        texts = {"reason": reason}
        self._record(ESCALATE, events.Escalated, actor, ctx, texts, superior_id=superior_id)

    def withdraw(self, actor: Actor, ctx: Context, reason: str) -> None:
        """The proposer takes the proposal back before any decision."""
        self._record(WITHDRAW, events.Withdrawn, actor, ctx, {"reason": reason})
