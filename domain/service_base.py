"""The eventsourcing Application and the plumbing every service shares.

Every command on an initiative takes one path, `ServiceBase.execute`, driven by its entry in
the command registry (`domain/commands.py`): load, resolve the actor's authority from the
directory as of the command's day, call the aggregate's command, save atomically. `may()`
evaluates the same entry's rules without running anything. Each registry command is also a
method of the application (`app.approve(ctx, initiative_id, expected_version, **body)`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TypeVar, cast
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

from domain import commands as registry
from domain.authority import Candidate, authorise_any
from domain.calendar import WorkingCalendar, vietnam
from domain.command_positions import inspectors
from domain.command_rules import Asking, Command, Lookups, holds_any
from domain.directory import Organisation, Person
from domain.errors import (
    ConcurrentWriteError,
    InvalidError,
    NotFoundError,
    StaleVersionError,
)
from domain.initiative import Initiative
from domain.initiative_state import STATE_CLASSES
from domain.messages import CommandWords, msg
from domain.read_policy import concerns
from domain.transcodings import (
    DateAsISO,
    OrganisationDetailsAsDict,
    PersonDetailsAsDict,
    PositionAsDict,
    StateAsDict,
)
from domain.values import Actor, Context, utc_now

A = TypeVar("A", bound=Aggregate)

# The directory as one request reads it (`ServiceBase.directory_reads`): each person and
# organisation it names is loaded once, by service, whoever asks (authentication, the command's
# candidates, the actor, the read policy). None outside a request: each call loads its own.
_REQUEST_READS: ContextVar[dict[ServiceBase, _Loaded] | None] = ContextVar(
    "request_reads", default=None
)


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
        transcoder.register(OrganisationDetailsAsDict())
        transcoder.register(PersonDetailsAsDict())
        for cls in STATE_CLASSES:
            transcoder.register(StateAsDict(cls))

    # Running one command --------------------------------------------------------------------

    def execute(
        self,
        name: str,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        **body: object,
    ) -> int:
        """Run the registry's command `name` (`domain/commands.py`): load, authorise the actor
        against the command's candidate positions as of the day, let the aggregate check its
        rules and record the event, check the body against the directory, save.

        Nothing is saved when any step refuses.
        """
        command = registry.command(name)
        initiative = self._load(initiative_id, expected_version)
        lookups = self._lookups()
        asking = Asking(ctx.person_id, body, ctx.local_date)
        candidates = command.who.positions(lookups, initiative, asking)
        actor = self._actor_among(ctx, candidates, CommandWords(command.act, command.name))
        arguments = command.arguments(body)
        if command.derive is not None:
            arguments |= command.derive(lookups, initiative, ctx, actor, body)
        made = getattr(initiative, command.name)(actor, ctx, **arguments)
        if command.check is not None:
            command.check(lookups, body)
        return self._save(initiative, *(made or ()))

    # May this person perform this command now? ----------------------------------------------

    def may(self, ctx: Context, initiative_id: UUID, name: str) -> bool:
        """Whether `ctx.person_id` may perform the command `name` on the initiative now, with
        some body: the registry's rules, evaluated (nothing runs, nothing is saved)."""
        initiative = self._get(Initiative, initiative_id)
        return self._may(ctx, initiative, registry.command(name), self._lookups())

    def offered(self, ctx: Context, initiative_id: UUID) -> list[str]:
        """The commands `ctx.person_id` may perform on the initiative now, in registry order
        (the forms of its page)."""
        initiative = self._get(Initiative, initiative_id)
        lookups = self._lookups()
        return [c.name for c in registry.REGISTRY if self._may(ctx, initiative, c, lookups)]

    def _may(
        self, ctx: Context, initiative: Initiative, command: Command, lookups: Lookups
    ) -> bool:
        """The state, the actor rules and the facts first (the initiative alone), then the
        candidate positions as of the day (a rule that reads the body reads as "with some
        body": any organisation the initiative concerns where the person holds the role)."""
        if command.refusal(initiative, ctx.person_id) is not None:
            return False
        asking = Asking(ctx.person_id, day=ctx.local_date)
        candidates = command.who.positions(lookups, initiative, asking)
        return holds_any(ctx.person_id, candidates, ctx.local_date)

    def _lookups(self) -> Lookups:
        """What the command rules read of the directory and of the recorded acts, each read
        once per call: a page's `offered()` asks every command, and most ask for the same
        organisations (every load is a query and a deep copy of the cached aggregate)."""
        loaded = self._directory()
        acts: dict[UUID, dict[int, dict[str, str]]] = {}

        def acts_of(initiative_id: UUID) -> dict[int, dict[str, str]]:
            if initiative_id not in acts:
                acts[initiative_id] = self._acts(initiative_id)
            return acts[initiative_id]

        return Lookups(
            organisation=lambda i, field: loaded.get(Organisation, i, field),
            organisations_of=loaded.organisations_of,
            person=lambda i, field: loaded.get(Person, i, field),
            concerns=lambda org, initiative: concerns(
                org, initiative, lambda i: loaded.find(Organisation, i)
            ),
            acts=acts_of,
        )

    def _acts(self, initiative_id: UUID) -> dict[int, dict[str, str]]:
        """Who recorded each version of an initiative, and where."""
        acts: dict[int, dict[str, str]] = {}
        for event in self.events.get(initiative_id):
            actor = getattr(event, "actor", None)
            if isinstance(actor, dict):
                acts[event.originator_version] = actor
        return acts

    def _actor_among(self, ctx: Context, candidates: Iterable[Candidate], act: str) -> Actor:
        person = self._directory().get(Person, ctx.person_id)
        return authorise_any(person, candidates, ctx.local_date, act)

    def _inspectors(self, person_id: UUID) -> list[Candidate]:
        """The inspection bodies in which this person holds or held a position."""
        return inspectors(self._lookups(), person_id)

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
        return _present(cls, aggregate_id, self._find(cls, aggregate_id), field)

    def _save(self, *aggregates: Aggregate) -> int:
        reads = _REQUEST_READS.get()
        if reads is not None and self in reads:
            reads[self].forget(a.id for a in aggregates)
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

    def _organisations_of(self, person_id: UUID) -> list[Organisation]:
        """The organisations in which this person holds or held a position."""
        return self._directory().organisations_of(person_id)

    # The directory as one request reads it ---------------------------------------------------

    @staticmethod
    @contextmanager
    def directory_reads() -> Iterator[None]:
        """Within: the people and organisations a service reads for authorisation are loaded
        once (web/app.py opens one per request; nested, the outer one serves). Each read is as
        the directory stood when it was first made; an aggregate this service saves meanwhile
        is read again."""
        if _REQUEST_READS.get() is not None:
            yield
            return
        token = _REQUEST_READS.set({})
        try:
            yield
        finally:
            _REQUEST_READS.reset(token)

    def _directory(self) -> _Loaded:
        """The loader of the people and organisations of this call, or of this request."""
        reads = _REQUEST_READS.get()
        if reads is None:
            return _Loaded(self)
        if self not in reads:
            reads[self] = _Loaded(self)
        return reads[self]

    def _directory_find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """`_find` through the loader of this call or request (a person, an organisation)."""
        return self._directory().find(cls, aggregate_id)


# What a refusal calls a missing aggregate, by its class.
AGGREGATES = {
    "Initiative": msg("initiative"),
    "Person": msg("person"),
    "Organisation": msg("organisation"),
    "UnitPlan": msg("unitplan"),
    "UnitReviews": msg("unitreviews"),
    "AccessLog": msg("accesslog"),
}


def _present(cls: type[A], aggregate_id: UUID, aggregate: A | None, field: str | None) -> A:
    """`aggregate`, or the refusal for a missing one: 422 on `field` if the body named it,
    404 otherwise."""
    if aggregate is None:
        what = AGGREGATES.get(cls.__name__, cls.__name__.lower())
        if field is not None:
            raise InvalidError("no {what} with id {id}", field=field, what=what, id=aggregate_id)
        raise NotFoundError("no {what} with id {id}", what=what, id=aggregate_id)
    return aggregate


class _Loaded:
    """The aggregates one call reads, each loaded once (the directory's do not change while a
    command runs)."""

    def __init__(self, service: ServiceBase) -> None:
        self.service = service
        self.loaded: dict[tuple[type[Aggregate], UUID], Aggregate | None] = {}

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        key = (cls, aggregate_id)
        if key not in self.loaded:
            self.loaded[key] = self.service._find(cls, aggregate_id)
        return cast("A | None", self.loaded[key])

    def get(self, cls: type[A], aggregate_id: UUID, field: str | None = None) -> A:
        return _present(cls, aggregate_id, self.find(cls, aggregate_id), field)

    def forget(self, aggregate_ids: Iterable[UUID]) -> None:
        """Load these again when next asked (they are being saved)."""
        ids = set(aggregate_ids)
        for key in [key for key in self.loaded if key[1] in ids]:
            del self.loaded[key]

    def organisations_of(self, person_id: UUID) -> list[Organisation]:
        """The organisations in which this person holds or held a position."""
        person = self.find(Person, person_id)
        return [self.get(Organisation, i) for i in person.organisation_ids] if person else []


def _command_method(name: str) -> Callable[..., int]:
    """`app.<name>(ctx, initiative_id, expected_version, **body)`: `execute` of that command."""

    def run(
        self: ServiceBase,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        **body: object,
    ) -> int:
        return self.execute(name, ctx, initiative_id, expected_version, **body)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = registry.command(name).summary
    return run


for _command in registry.REGISTRY:
    setattr(ServiceBase, _command.name, _command_method(_command.name))
