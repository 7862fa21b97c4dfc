"""The service layer: the eventsourcing Application that runs every command and query.

Views call one method each; methods take plain values and a `Context` (who, when, which
request) and return plain values. Every command loads the aggregates it needs, resolves
the actor's authority from the directory as of the command's day, calls one aggregate
command and saves atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Notification
from eventsourcing.utils import get_topic

from domain.authority import ANY_MEMBER, any_holds, authorise, eligible_voters
from domain.directory import Organisation, Person
from domain.errors import (
    ConcurrentWriteError,
    ConflictError,
    InvalidError,
    NotFoundError,
    StaleVersionError,
)
from domain.importer import ImportReport, plan_import
from domain.initiative import Initiative, Phase, Regime
from domain.proposal import ApprovalBasis
from domain.queries import describe_event, describe_initiative, describe_organisation
from domain.transcodings import DateAsISO
from domain.values import Actor, Context, Role, utc_now

A = TypeVar("A", bound=Aggregate)


class LedgerApplication(Application[UUID]):
    """Commands and queries over directory and initiatives, on one global event log."""

    name = "Ledger"
    snapshotting_intervals = {Initiative: 200, Organisation: 200}  # noqa: RUF012

    def __init__(
        self, env: dict[str, str] | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(env)
        self.clock = clock

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add dates to the library's UUID, Decimal and datetime transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # Directory ---------------------------------------------------------------------------

    def import_directory(self, data: dict[str, Any], source: str) -> dict[str, int]:
        """Record what differs between `data` and the directory, atomically."""
        report: ImportReport = plan_import(
            data,
            lambda i: self._find(Organisation, i),
            lambda i: self._find(Person, i),
            source,
            self.clock(),
        )
        if report.dirty:
            self._save(*report.dirty)
        return report.as_dict()

    def get_organisation(self, organisation_id: UUID) -> dict[str, Any]:
        """One organisation with its positions."""
        return describe_organisation(self._get(Organisation, organisation_id))

    def get_person(self, person_id: UUID) -> dict[str, Any]:
        """One person with the positions they hold or held anywhere."""
        person = self._get(Person, person_id)
        positions = []
        for org in self._organisations_of(person_id):
            for position in org.positions.values():
                if position.person_id == person_id:
                    positions.append({**position.as_dict(), "organisation_id": org.id})
        return {"id": person.id, "key": person.key, **person.details, "positions": positions}

    def list_organisations(self) -> list[dict[str, Any]]:
        """Every organisation, ordered by key."""
        orgs = [self._get(Organisation, i) for i in self._created_ids(Organisation.Registered)]
        return sorted(
            ({"id": o.id, "key": o.key, **o.details} for o in orgs), key=lambda o: o["key"]
        )

    def list_people(self) -> list[dict[str, Any]]:
        """Every person, ordered by key."""
        people = [self._get(Person, i) for i in self._created_ids(Person.Registered)]
        return sorted(
            ({"id": p.id, "key": p.key, **p.details} for p in people), key=lambda p: p["key"]
        )

    def person_exists(self, person_id: UUID) -> bool:
        """Whether the directory knows this person (used to authenticate tokens)."""
        return self._find(Person, person_id) is not None

    # Initiatives: commands ------------------------------------------------------------------

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
        initiative = self._load(initiative_id, expected_version)
        employer = self._get(Organisation, initiative.employing_organisation_id)
        actor = self._actor(ctx, employer, ANY_MEMBER, "submit a proposal from there")
        addressee = employer.id
        if any_holds(employer, initiative.proposer_ids, Role.HEAD, ctx.local_date):
            if employer.superior_id is None:
                raise ConflictError(
                    f"the head's own proposal goes to the superior agency,"
                    f" but {employer.name} has none in the directory"
                )
            addressee = employer.superior_id
        initiative.submit(actor, ctx, addressee, proposal)
        return self._save(initiative)

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
        initiative, actor = self._as_addressee(
            ctx, initiative_id, expected_version, {Role.CLERK, Role.HEAD}, "receive proposals"
        )
        initiative.receive(actor, ctx, receipt_date, incoming_number)
        return self._save(initiative)

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
        initiative, actor = self._as_addressee(
            ctx, initiative_id, expected_version, {Role.HEAD}, "request clarification"
        )
        initiative.request_clarification(actor, ctx, items, due_date)
        return self._save(initiative)

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
        initiative = self._load(initiative_id, expected_version)
        employer = self._get(Organisation, initiative.employing_organisation_id)
        actor = self._actor(ctx, employer, ANY_MEMBER, "amend a proposal from there")
        initiative.amend(actor, ctx, changes, note)
        return self._save(initiative)

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
        """A member of the addressee's same-level party committee records its opinion."""
        initiative = self._load(initiative_id, expected_version)
        addressee = self._addressee(initiative)
        if addressee.party_committee_id is None:
            raise ConflictError(f"{addressee.name} has no same-level party committee on record")
        committee = self._get(Organisation, addressee.party_committee_id)
        actor = self._actor(
            ctx,
            committee,
            {Role.PARTY_COMMITTEE, Role.HEAD, Role.DEPUTY},
            "give the party committee's opinion",
        )
        initiative.give_party_opinion(actor, ctx, Phase(phase), opinion, document_ref)
        return self._save(initiative)

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
        initiative, actor = self._as_addressee(
            ctx, initiative_id, expected_version, {Role.HEAD}, "chair the leadership meeting"
        )
        for attendee in attendee_ids:
            self._get(Person, attendee, "attendee_ids")
        addressee = self._addressee(initiative)
        voters = eligible_voters(addressee, meeting_date, initiative.proposer_ids)
        initiative.hold_leadership_meeting(
            actor,
            ctx,
            meeting_date=meeting_date,
            attendee_ids=attendee_ids,
            eligible_voter_ids=voters,
            votes=votes,
            minutes_ref=minutes_ref,
        )
        return self._save(initiative)

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
        initiative, actor = self._as_addressee(
            ctx, initiative_id, expected_version, {Role.HEAD}, "approve proposals"
        )
        for assignee in assignee_ids:
            self._get(Person, assignee, "assignee_ids")
        if not assignee_ids:
            raise InvalidError("name at least one assignee", field="assignee_ids")
        initiative.approve(
            actor,
            ctx,
            basis=ApprovalBasis(basis),
            decision_document=decision_document,
            justification=justification,
            approval={
                "scope": approved_scope,
                "start": approved_start,
                "end": approved_end,
                "resources": resources,
                "assignee_ids": assignee_ids,
                "directions": directions,
            },
        )
        return self._save(initiative)

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
        initiative, actor = self._as_addressee(
            ctx, initiative_id, expected_version, {Role.HEAD}, "reject proposals"
        )
        initiative.reject(actor, ctx, reasons, document_ref)
        return self._save(initiative)

    def escalate(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, *, reason: str
    ) -> int:
        """The addressee's head sends the proposal to its superior agency."""
        initiative, actor = self._as_addressee(
            ctx, initiative_id, expected_version, {Role.HEAD}, "escalate proposals"
        )
        superior = self._addressee(initiative).superior_id
        if superior is None:
            raise ConflictError("the addressee has no superior agency to escalate to")
        initiative.escalate(actor, ctx, superior, reason)
        return self._save(initiative)

    def withdraw(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, *, reason: str
    ) -> int:
        """A proposer withdraws before the decision."""
        initiative = self._load(initiative_id, expected_version)
        employer = self._get(Organisation, initiative.employing_organisation_id)
        actor = self._actor(ctx, employer, ANY_MEMBER, "withdraw a proposal from there")
        initiative.withdraw(actor, ctx, reason)
        return self._save(initiative)

    # Initiatives: queries ------------------------------------------------------------------

    def get_initiative(self, initiative_id: UUID) -> dict[str, Any]:
        """The current state of one initiative."""
        return describe_initiative(self._get(Initiative, initiative_id))

    def get_history(self, initiative_id: UUID) -> list[dict[str, Any]]:
        """Every event of one initiative in order, with who acted under which position."""
        self._get(Initiative, initiative_id)
        return [describe_event(e) for e in self.events.get(initiative_id)]  # type: ignore[arg-type]

    # Plumbing ---------------------------------------------------------------------------------

    def _as_addressee(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        roles: set[Role],
        act: str,
    ) -> tuple[Initiative, Actor]:
        initiative = self._load(initiative_id, expected_version)
        addressee = self._addressee(initiative)
        return initiative, self._actor(ctx, addressee, roles, act)

    def _addressee(self, initiative: Initiative) -> Organisation:
        if initiative.addressee_id is None:
            raise ConflictError("the initiative has not been submitted")
        return self._get(Organisation, initiative.addressee_id)

    def _actor(
        self, ctx: Context, org: Organisation, roles: set[Role] | frozenset[Role], act: str
    ) -> Actor:
        person = self._get(Person, ctx.person_id)
        return authorise(person, org, roles, ctx.local_date, act)

    def _load(self, initiative_id: UUID, expected_version: int | None) -> Initiative:
        initiative = self._get(Initiative, initiative_id)
        if expected_version is not None and initiative.version != expected_version:
            raise StaleVersionError(expected_version, initiative.version)
        return initiative

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def _get(self, cls: type[A], aggregate_id: UUID, field: str | None = None) -> A:
        aggregate = self._find(cls, aggregate_id)
        if aggregate is None:
            what = cls.__name__.lower()
            if field is not None:
                raise InvalidError(f"no {what} with id {aggregate_id}", field=field)
            raise NotFoundError(f"no {what} with id {aggregate_id}")
        return aggregate

    def _save(self, *aggregates: Aggregate) -> int:
        try:
            self.save(*aggregates)
        except IntegrityError as error:
            raise ConcurrentWriteError(
                "another command was recorded on this initiative at the same moment; retry"
            ) from error
        return aggregates[0].version

    def _notifications(self, event_class: type[Aggregate.Event]) -> Iterator[Notification]:
        """Every stored event of one type, in log order, read page by page."""
        topic, start, page_size = get_topic(event_class), None, 500
        while True:
            page = self.recorder.select_notifications(
                start=start, limit=page_size, topics=[topic], inclusive_of_start=start is None
            )
            yield from page
            if len(page) < page_size:
                return
            start = page[-1].id

    def _created_ids(self, created: type[Aggregate.Event]) -> Iterator[UUID]:
        return (UUID(str(n.originator_id)) for n in self._notifications(created))

    def _organisations_of(self, person_id: UUID) -> list[Organisation]:
        org_ids: set[UUID] = set()
        for n in self._notifications(Organisation.PositionAssigned):
            position = self.mapper.to_domain_event(n).position  # type: ignore[attr-defined]
            if UUID(str(position["person_id"])) == person_id:
                org_ids.add(UUID(str(n.originator_id)))
        return [self._get(Organisation, i) for i in sorted(org_ids, key=str)]
