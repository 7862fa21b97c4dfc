"""The eventsourcing Application and the plumbing every service shares.

Every command loads the aggregates it needs, resolves the actor's authority from the
directory as of the command's day, calls one aggregate command and saves atomically.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Notification,
    Transcoder,
)
from eventsourcing.utils import get_topic

from domain.authority import ANY_MEMBER, Candidate, any_holds, authorise_any
from domain.calendar import WorkingCalendar, vietnam
from domain.directory import Organisation, Person
from domain.errors import (
    ConcurrentWriteError,
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
    StaleVersionError,
    WrongStateError,
)
from domain.initiative import Initiative
from domain.read_policy import concerns
from domain.transcodings import DateAsISO, PositionAsDict
from domain.values import Actor, Context, OrganisationKind, Role, utc_now

A = TypeVar("A", bound=Aggregate)

HEAD = frozenset({Role.HEAD})
PARTY = frozenset({Role.PARTY_COMMITTEE, Role.HEAD, Role.DEPUTY})
INSPECTION_BODIES = frozenset(
    {OrganisationKind.INSPECTION_COMMISSION, OrganisationKind.INSPECTORATE}
)


class Probed(Exception):  # noqa: N818 - a signal, not an error
    """A probe got past a command's guards; nothing was saved (see `ServiceBase.may`)."""


class ServiceBase(Application[UUID]):
    """Loading, authorising and saving; the services build their commands on it."""

    name = "Ledger"
    # No snapshots: every state served is folded from events the ledger covers
    # (docs/ledger.md §6); the aggregate cache keeps the cost of a read in memory.

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        calendar: WorkingCalendar | None = None,
        mapper: Callable[[Transcoder], Mapper[UUID]] | None = None,
    ) -> None:
        # `mapper` builds the storage mapper: the infrastructure's act-signing mapper in
        # every deployed process (projections.ledger.acts), the library's plain one in tests
        # of the rules alone.
        self._mapper_factory = mapper
        super().__init__(env)
        self.clock = clock
        self.calendar = calendar or vietnam()
        self._recorded = threading.local()

    def construct_mapper(self) -> Mapper[UUID]:
        """The injected mapper (acts signed and checked), or the library's default."""
        if self._mapper_factory is None:
            return super().construct_mapper()
        return self._mapper_factory(self.construct_transcoder())

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add dates to the library's UUID, Decimal and datetime transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(PositionAsDict())

    # Running one command --------------------------------------------------------------------

    def _run(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        candidates: Callable[[Initiative], Iterable[Candidate]],
        act: str,
        command: Callable[[Initiative, Actor], object],
        after: Callable[[], object] | None = None,
    ) -> int:
        """Load, authorise against the first matching candidate position, command, save.

        `after` checks the body against the directory once the command's own guards passed
        (nothing is saved if it refuses).
        """
        initiative = self._load(initiative_id, expected_version)
        if self._probing():
            actor = self._probe_actor(ctx, initiative, candidates, act)
            command(initiative, actor)
            raise Probed
        actor = self._actor_among(ctx, candidates(initiative), act)
        command(initiative, actor)
        if after is not None:
            after()
        return self._save(initiative)

    # Probing: may this person perform this command now? ------------------------------------

    def may(
        self, ctx: Context, initiative_id: UUID, method: str, fields: Iterable[str] = ()
    ) -> bool:
        """Whether `ctx.person_id` may perform the command `method` on the initiative now.

        The command itself runs, with every body value (`fields`, and the method's own
        keyword parameters) missing, against a copy of the
        initiative that is never saved: its guards of who (the position, proposer or assignee)
        and when (the state) run before it reads its body, so a `ForbiddenError` or a
        `WrongStateError` means no, and anything else (the body was needed) means yes. Where
        the body names the organisation that authorises (a commendation, a liability outcome),
        only the state decides. This is how pages offer exactly the forms the rules allow
        without a second copy of the rules.
        """
        self._get(Initiative, initiative_id)
        function = getattr(self, method)
        missing: dict[str, Any] = dict.fromkeys(fields)
        missing |= {
            name: None
            for name, p in list(inspect.signature(function).parameters.items())[3:]
            if p.default is p.empty and p.kind is p.KEYWORD_ONLY
        }
        self._recorded.probing = ctx.person_id
        try:
            function(ctx, initiative_id, None, **missing)
        except (ForbiddenError, WrongStateError):
            return False
        except Probed:
            return True
        except (DomainError, TypeError, KeyError, AttributeError, ValueError):
            return True  # the body was needed before the guards could answer
        finally:
            self._recorded.probing = None
        return True

    def _probing(self) -> UUID | None:
        """The person a probe runs for, or None outside a probe."""
        prober: UUID | None = getattr(self._recorded, "probing", None)
        return prober

    def _probe_actor(
        self,
        ctx: Context,
        initiative: Initiative,
        candidates: Callable[[Initiative], Iterable[Candidate]],
        act: str,
    ) -> Actor:
        """The actor a probe runs as: authorised, or unresolved when the body names where."""
        try:
            found = list(candidates(initiative))
        except (ForbiddenError, WrongStateError):
            raise
        except (DomainError, TypeError, KeyError, AttributeError, ValueError):
            found = None  # the candidate organisation comes from the body
        if found is not None:
            return self._actor_among(ctx, found, act)
        person = self._get(Person, ctx.person_id)
        memberships = self._organisations_of(person.id)
        if not memberships:
            raise ForbiddenError(f"{person.full_name} holds no position anywhere")
        return Actor(ctx.person_id, person.full_name, Role.STAFF, memberships[0].id)

    def _actor_among(self, ctx: Context, candidates: Iterable[Candidate], act: str) -> Actor:
        person = self._get(Person, ctx.person_id)
        return authorise_any(person, candidates, ctx.local_date, act)

    def _actor(self, ctx: Context, org: Organisation, roles: Iterable[Role], act: str) -> Actor:
        return self._actor_among(ctx, [(org, frozenset(roles))], act)

    # Who may act: candidate positions relative to an initiative ------------------------------

    def _addressee(self, initiative: Initiative) -> Organisation:
        if initiative.addressee_id is None:
            raise WrongStateError("the initiative has not been submitted")
        return self._get(Organisation, initiative.addressee_id)

    def _authority(self, initiative: Initiative) -> Organisation:
        """The organisation that approved; before approval, the addressee."""
        if initiative.authority_id is not None:
            return self._get(Organisation, initiative.authority_id)
        return self._addressee(initiative)

    def _competent_authority_for(self, initiative: Initiative, ctx: Context) -> UUID:
        """The employing agency, or its superior when a proposer heads it (Art. 7)."""
        employer = self._get(Organisation, initiative.employing_organisation_id)
        if not any_holds(employer, initiative.proposer_ids, Role.HEAD, ctx.local_date):
            return employer.id
        if employer.superior_id is None:
            raise ConflictError(
                f"the head's own proposal goes to the superior agency,"
                f" but {employer.name} has none in the directory"
            )
        return employer.superior_id

    def _superior_of(self, org: Organisation) -> Organisation | None:
        return self._get(Organisation, org.superior_id) if org.superior_id else None

    def _party_committee_of(self, org: Organisation) -> Organisation:
        if org.party_committee_id is None:
            raise ConflictError(f"{org.name} has no same-level party committee on record")
        return self._get(Organisation, org.party_committee_id)

    def _heads(self, initiative: Initiative) -> list[Candidate]:
        """The head of the approving authority."""
        return [(self._authority(initiative), HEAD)]

    def _heads_or_superior(self, initiative: Initiative) -> list[Candidate]:
        """The head of the approving authority, or of its superior."""
        authority = self._authority(initiative)
        superior = self._superior_of(authority)
        return [(authority, HEAD)] + ([(superior, HEAD)] if superior else [])

    def _members(self, initiative: Initiative) -> list[Candidate]:
        """Anyone holding a position in the employing agency or the approving authority."""
        employer = self._get(Organisation, initiative.employing_organisation_id)
        found = [(employer, ANY_MEMBER)]
        if initiative.authority_id and initiative.authority_id != employer.id:
            found.append((self._authority(initiative), ANY_MEMBER))
        return found

    def _party(self, initiative: Initiative) -> list[Candidate]:
        """Members of the approving authority's same-level party committee."""
        return [(self._party_committee_of(self._authority(initiative)), PARTY)]

    def _inspectors(self, person_id: UUID) -> list[Candidate]:
        """The inspection bodies in which this person holds or held a position."""
        return [
            (org, frozenset({Role.INSPECTOR}))
            for org in self._organisations_of(person_id)
            if org.kind in INSPECTION_BODIES
        ]

    def _in_concerned(
        self,
        initiative: Initiative,
        organisation_id: UUID | None,
        roles: Role | frozenset[Role],
        field: str,
    ) -> list[Candidate]:
        """A named organisation and role, refused unless the organisation is concerned by the
        initiative (authority is relative to the initiative, never to the body's word)."""
        candidates = self._named_organisation(organisation_id, roles, field)
        kept = [(org, r) for org, r in candidates if concerns(org, initiative, self._find_org)]
        if candidates and not kept and organisation_id is not None:
            raise ForbiddenError(
                f"{candidates[0][0].name} is not concerned by this initiative: it may act on it"
                " only as its employing agency, deciding authority, one of their superiors or"
                " party committees, or an inspection body with jurisdiction over them"
            )
        return kept

    def _find_org(self, organisation_id: UUID) -> Organisation | None:
        return self._find(Organisation, organisation_id)

    def _named_organisation(
        self, organisation_id: UUID | None, roles: Role | frozenset[Role], field: str
    ) -> list[Candidate]:
        """One named organisation and role (commendation, personnel, clerk of a body).

        A probe does not know the organisation the body will name: any of the person's own.
        """
        wanted = frozenset({roles}) if isinstance(roles, Role) else roles
        prober = self._probing()
        if organisation_id is None and isinstance(prober, UUID):
            return [(org, wanted) for org in self._organisations_of(prober)]
        return [(self._get(Organisation, organisation_id, field), wanted)]  # type: ignore[arg-type]

    # Loading and saving -------------------------------------------------------------------

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
        if self._probing():
            raise Probed
        try:
            recordings = self.save(*aggregates)
        except IntegrityError as error:
            raise ConcurrentWriteError(
                "another command was recorded on this initiative at the same moment; retry"
            ) from error
        if recordings:
            self._recorded.position = recordings[-1].notification.id
        return aggregates[0].version

    def last_position(self) -> int | None:
        """The log position of the last event this thread recorded (for read-your-writes)."""
        position: int | None = getattr(self._recorded, "position", None)
        return position

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

    def _known_people(self, person_ids: Iterable[UUID], field: str) -> None:
        """Refuse ids the directory does not know (422 on `field`)."""
        for person in person_ids:
            self._get(Person, person, field)

    def _assignees(self, assignee_ids: list[UUID]) -> None:
        """At least one assignee, each known to the directory."""
        if not assignee_ids:
            raise InvalidError("name at least one assignee", field="assignee_ids")
        self._known_people(assignee_ids, "assignee_ids")

    def _organisations_of(self, person_id: UUID) -> list[Organisation]:
        """The organisations in which this person holds or held a position."""
        person = self._find(Person, person_id)
        return [self._get(Organisation, i) for i in person.organisation_ids] if person else []
