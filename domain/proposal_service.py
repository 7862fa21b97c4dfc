"""Commands from the draft to the decision in principle (domain.md §3 to §5)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.authority import ANY_MEMBER, Candidate, authorise, eligible_voters
from domain.directory import Organisation, Person
from domain.errors import ConflictError
from domain.initiative import Initiative, Regime
from domain.service_base import HEAD, ServiceBase
from domain.values import Context, Role

RECEIVERS = frozenset({Role.CLERK, Role.HEAD})


class ProposalService(ServiceBase):
    """Draft, submit, review and decide."""

    def create_initiative(
        self,
        ctx: Context,
        *,
        title: str,
        employing_organisation_id: UUID,
        regime: str = Regime.REGULAR.value,
        co_proposer_ids: list[UUID] | None = None,
        summary: str = "",
    ) -> dict[str, Any]:
        """Open a draft as its first proposer, who must hold a position in the employing agency."""
        employer = self._get(Organisation, employing_organisation_id, "employing_organisation_id")
        actor = self._actor(ctx, employer, ANY_MEMBER, "propose an initiative there")
        for co in co_proposer_ids or []:
            co_person = self._get(Person, co, "co_proposer_ids")
            authorise(co_person, employer, ANY_MEMBER, ctx.local_date, "co-propose there")
        initiative = Initiative.draft(
            actor,
            ctx,
            title=title,
            regime=Regime(regime),
            employing_organisation_id=employer.id,
            co_proposer_ids=co_proposer_ids or [],
            summary=summary,
        )
        self._save(initiative)
        return {"id": initiative.id, "version": initiative.version}

    def submit(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **proposal: Any
    ) -> int:
        """Submit the proposal; the head's own proposal goes to the superior agency (Art. 7)."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._employer,
            "submit a proposal from there",
            lambda i, a: i.submit(a, ctx, self._competent_authority_for(i, ctx), proposal),
        )

    def receive(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        receipt_date: date,
        incoming_number: str,
    ) -> int:
        """The addressee's clerk or head logs the proposal in."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._addressed(RECEIVERS),
            "receive proposals",
            lambda i, a: i.receive(a, ctx, receipt_date, incoming_number),
        )

    def request_clarification(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        items: list[str],
        due_date: date,
    ) -> int:
        """The addressee's head asks for clarification."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._addressed(HEAD),
            "request clarification",
            lambda i, a: i.request_clarification(a, ctx, items, due_date),
        )

    def amend(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        changes: dict[str, Any],
        note: str = "",
    ) -> int:
        """A proposer changes fields of the proposal under review."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._employer,
            "amend a proposal from there",
            lambda i, a: i.amend(a, ctx, changes, note),
        )

    def give_party_opinion(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        phase: str,
        opinion: str,
        document_ref: str,
    ) -> int:
        """A member of the deciding agency's same-level party committee records its opinion."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._party,
            "give the party committee's opinion",
            lambda i, a: i.give_party_opinion(a, ctx, phase, opinion, document_ref),
        )

    def hold_leadership_meeting(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        meeting_date: date,
        attendee_ids: list[UUID],
        votes: list[dict[str, Any]],
        minutes_ref: str,
    ) -> int:
        """The head records the collective's meeting; voters are computed from the directory."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "chair the leadership meeting",
            lambda i, a: i.hold_leadership_meeting(
                a,
                ctx,
                meeting_date=meeting_date,
                attendee_ids=attendee_ids,
                eligible_voters=lambda day: eligible_voters(
                    self._authority(i), day, i.proposer_ids
                ),
                votes=votes,
                minutes_ref=minutes_ref,
            ),
            after=lambda: self._known_people(attendee_ids, "attendee_ids"),
        )

    def approve(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        basis: str,
        decision_document: str,
        approved_scope: str,
        approved_start: date,
        approved_end: date,
        resources: str,
        assignee_ids: list[UUID],
        directions: str = "",
        justification: str = "",
    ) -> int:
        """The addressee's head approves in principle (Art. 8)."""
        terms = {
            "scope": approved_scope,
            "start": approved_start,
            "end": approved_end,
            "resources": resources,
            "assignee_ids": assignee_ids,
            "directions": directions,
        }
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._addressed(HEAD),
            "approve proposals",
            lambda i, a: i.approve(
                a,
                ctx,
                basis=basis,
                decision_document=decision_document,
                justification=justification,
                approval=terms,
            ),
            after=lambda: self._assignees(assignee_ids),
        )

    def reject(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        reasons: list[str],
        document_ref: str,
    ) -> int:
        """The addressee's head refuses, with reasons."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._addressed(HEAD),
            "reject proposals",
            lambda i, a: i.reject(a, ctx, reasons, document_ref),
        )

    def escalate(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, *, reason: str
    ) -> int:
        """The addressee's head sends the proposal to its superior agency."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._addressed(HEAD),
            "escalate proposals",
            lambda i, a: i.escalate(a, ctx, self._superior_id(i), reason),
        )

    def withdraw(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, *, reason: str
    ) -> int:
        """A proposer withdraws before the decision."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._employer,
            "withdraw a proposal from there",
            lambda i, a: i.withdraw(a, ctx, reason),
        )

    # Helpers ---------------------------------------------------------------------------------

    def _employer(self, initiative: Initiative) -> list[Candidate]:
        return [(self._get(Organisation, initiative.employing_organisation_id), ANY_MEMBER)]

    def _addressed(self, roles: frozenset[Role]) -> Any:
        return lambda initiative: [(self._addressee(initiative), roles)]

    def _superior_id(self, initiative: Initiative) -> UUID:
        superior = self._addressee(initiative).superior_id
        if superior is None:
            raise ConflictError("the addressee has no superior agency to escalate to")
        return superior
