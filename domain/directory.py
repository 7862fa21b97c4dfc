"""The directory: organisations (with their positions) and people, effective-dated.

Positions live in the organisation that appoints them, so every authority check
("did P hold role R in O on day D?") and the list of a collective's voters need only
that one aggregate. Directory facts carry `source`: what recorded them (an import file's
digest, an administrator's request).

The events carry dicts (`domain/directory_payloads.py`; their stored form is unchanged); the
state changes turn them into frozen dataclasses (`OrganisationDetails` with its `Succession`s,
`Position`, `PersonDetails`), whose `as_dict()` gives back the dict the queries serve (the same
keys, in the same order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, Self, TypeVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.directory_payloads import (
    Changes,
    OrganisationRecord,
    PersonRecord,
    PositionRecord,
    SuccessionRecord,
)
from domain.quorum import Quorum, quorum_on, quorum_rules
from domain.values import detached, organisation_id, person_id
from domain.vocabulary import Level, OrganisationKind, Role, SuccessionKind


def in_force(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    """Whether `day` is within `valid_from`..`valid_to` (inclusive; None: open-ended)."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


@dataclass(frozen=True)
class Position:
    """A person holding a role in an organisation from `valid_from` to `valid_to` (inclusive)."""

    key: str
    person_id: UUID
    role: Role
    title: str
    valid_from: date
    valid_to: date | None

    def held_on(self, day: date) -> bool:
        """Whether the position is in force on `day`."""
        return in_force(self.valid_from, self.valid_to, day)

    def as_dict(self) -> PositionRecord:
        """Plain values for queries (and what `PositionAssigned` records)."""
        return {
            "key": self.key,
            "person_id": self.person_id,
            "role": self.role.value,
            "title": self.title,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }


def position_from(data: PositionRecord) -> Position:
    """The position a record describes (a `title` or `valid_to` left out: none)."""
    return Position(
        key=data["key"],
        person_id=UUID(str(data["person_id"])),
        role=Role(data["role"]),
        title=data.get("title", ""),
        valid_from=data["valid_from"],
        valid_to=data.get("valid_to"),
    )


@dataclass(frozen=True)
class Succession:
    """How an organisation continues in, or came from, the one with key `organisation`."""

    relation: SuccessionKind
    organisation: str
    date: date

    def as_dict(self) -> SuccessionRecord:
        """Plain values, as recorded."""
        return {
            "relation": self.relation.value,
            "organisation": self.organisation,
            "date": self.date,
        }

    @classmethod
    def of(cls, record: SuccessionRecord) -> Succession:
        """The succession a record describes."""
        return cls(SuccessionKind(record["relation"]), record["organisation"], record["date"])


@dataclass(frozen=True)
class OrganisationDetails:
    """An organisation's details (`Organisation.DETAIL_FIELDS`): references are keys."""

    name: str
    kind: OrganisationKind
    level: Level
    superior: str | None = None
    party_committee: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    succession: tuple[Succession, ...] = field(default=())
    # Its own quorum rules (its working regulation), by the day each takes effect.
    quorum: tuple[Quorum, ...] = field(default=())

    def as_dict(self) -> OrganisationRecord:
        """Plain values, in the order recorded: what the queries serve."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "level": self.level.value,
            "superior": self.superior,
            "party_committee": self.party_committee,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "succession": [s.as_dict() for s in self.succession],
            "quorum": [q.as_dict() for q in self.quorum],
        }

    @classmethod
    def of(cls, record: OrganisationRecord) -> OrganisationDetails:
        """The details a record describes."""
        return cls(
            name=record["name"],
            kind=OrganisationKind(record["kind"]),
            level=Level(record["level"]),
            superior=record.get("superior"),
            party_committee=record.get("party_committee"),
            valid_from=record.get("valid_from"),
            valid_to=record.get("valid_to"),
            succession=tuple(Succession.of(s) for s in record.get("succession") or ()),
            quorum=quorum_rules(record.get("quorum") or ()),
        )

    def changed_by(self, changes: Changes) -> OrganisationDetails:
        """These details with `changes` made."""
        return OrganisationDetails.of(with_changes(self.as_dict(), changes))


@dataclass(frozen=True)
class PersonDetails:
    """A person's details (`Person.DETAIL_FIELDS`), and their e-mail address if recorded."""

    full_name: str
    identifiers: Mapping[str, str]
    party_member: bool
    email: str | None = None

    def as_dict(self) -> PersonRecord:
        """Plain values, in the order recorded: what the queries serve (`email` only when
        there is one, as the events of a person without one never carry it)."""
        record: PersonRecord = {
            "full_name": self.full_name,
            "identifiers": dict(self.identifiers),
            "party_member": self.party_member,
        }
        if self.email is not None:
            record["email"] = self.email
        return record

    @classmethod
    def of(cls, record: PersonRecord) -> PersonDetails:
        """The details a record describes (one stored before e-mail addresses: none)."""
        return cls(
            record["full_name"],
            dict(record["identifiers"]),
            record["party_member"],
            record.get("email"),
        )

    def changed_by(self, changes: Changes) -> PersonDetails:
        """These details with `changes` made."""
        return PersonDetails.of(with_changes(self.as_dict(), changes))


def changed(current: Mapping[str, object], desired: Mapping[str, object]) -> Changes:
    """The entries of `desired` that differ from `current`: what an update must record."""
    return {k: v for k, v in desired.items() if current.get(k) != v}


ChangedT = TypeVar("ChangedT", OrganisationRecord, PersonRecord, PositionRecord)


def with_changes(record: ChangedT, changes: Changes) -> ChangedT:
    """`record` with `changes` made: what `changed` found between it and a record of its
    kind, so only its keys, with values of their types."""
    return cast(ChangedT, {**record, **changes})


class EntryRegistered(Aggregate.Created):
    """A directory entry registered under its key (each class has its own subclass)."""

    key: str
    details: OrganisationRecord | PersonRecord
    source: str


class EntryDetailsChanged(Aggregate.Event):
    """Details of a directory entry changed (each class has its own subclass)."""

    changes: Changes
    source: str


if TYPE_CHECKING:
    _Aggregate = Aggregate
else:
    _Aggregate = object  # a mixin at run time: each subclass is the Aggregate

RecordT = TypeVar("RecordT", OrganisationRecord, PersonRecord)
DetailsT = TypeVar("DetailsT", OrganisationDetails, PersonDetails)


class DirectoryEntry(Generic[RecordT, DetailsT], _Aggregate):
    """What organisations and people share: registered under a stable key, from which
    `create_id` derives the id, with details (`DETAIL_FIELDS`) then changed field by field.

    Each subclass declares its own events (their topics, which are stored, name it) and the
    `__init__` and `_change_details` that apply them."""

    if TYPE_CHECKING:
        # What each subclass declares, and the state its `__init__` sets.
        Registered: type[EntryRegistered]
        DetailsChanged: type[EntryDetailsChanged]
        key: str
        details: DetailsT

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        """A copy that shares only frozen values (details, positions, successions: replaced by
        the state changes, never changed): the repository copies each entry it serves from its
        cache, and a command reads several; a generic deep copy of an organisation with its
        positions cost a quarter of a millisecond."""
        copied = object.__new__(type(self))
        copied.__dict__.update({name: detached(value) for name, value in vars(self).items()})
        return copied

    @classmethod
    def register(cls, key: str, details: RecordT, source: str, at: datetime) -> Self:
        """Record a new one (its id: `create_id(key)`); `details` holds DETAIL_FIELDS
        (references to organisations as their keys)."""
        return cls._create(cls.Registered, key=key, details=details, source=source, timestamp=at)

    def change_details(self, details: RecordT, source: str, at: datetime) -> bool:
        """Record the fields that differ from `details`; False when nothing changed."""
        changes = changed(self.details.as_dict(), details)
        if not changes:
            return False
        self.trigger_event(self.DetailsChanged, changes=changes, source=source, timestamp=at)
        return True


class Organisation(DirectoryEntry[OrganisationRecord, OrganisationDetails], Aggregate):
    """An organisation of the political system, its place in the hierarchy and its positions."""

    create_id = staticmethod(organisation_id)  # ids derive from the stable external key

    class Registered(EntryRegistered):
        """Registered under its key."""

    class DetailsChanged(EntryDetailsChanged):
        """Details changed."""

    class PositionAssigned(Aggregate.Event):
        position: PositionRecord
        source: str

    class PositionChanged(Aggregate.Event):
        key: str
        changes: Changes
        source: str

    DETAIL_FIELDS = (
        "name",
        "kind",
        "level",
        "superior",
        "party_committee",
        "valid_from",
        "valid_to",
        "succession",
        "quorum",
    )

    @event(Registered)
    def __init__(self, key: str, details: OrganisationRecord, source: str) -> None:
        self.key = key
        self.details = OrganisationDetails.of(details)
        self.positions: dict[str, Position] = {}

    @event(DetailsChanged)
    def _change_details(self, changes: Changes, source: str) -> None:
        self.details = self.details.changed_by(changes)

    def assign_or_change_position(
        self, position: PositionRecord, source: str, at: datetime
    ) -> bool:
        """Record a new position, or what changed in a known one; False when nothing did."""
        current = self.positions.get(position["key"])
        if current is None:
            self.trigger_event(
                self.PositionAssigned, position=position, source=source, timestamp=at
            )
            return True
        changes = changed(current.as_dict(), position)
        if not changes:
            return False
        self.trigger_event(
            self.PositionChanged, key=position["key"], changes=changes, source=source, timestamp=at
        )
        return True

    @event(PositionAssigned)
    def _assign_position(self, position: PositionRecord, source: str) -> None:
        self.positions[position["key"]] = position_from(position)

    @event(PositionChanged)
    def _change_position(self, key: str, changes: Changes, source: str) -> None:
        self.positions[key] = position_from(with_changes(self.positions[key].as_dict(), changes))

    # Queries -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The organisation's current name."""
        return self.details.name

    @property
    def kind(self) -> OrganisationKind:
        """The organisation's kind."""
        return self.details.kind

    @property
    def level(self) -> Level:
        """The organisation's administrative level."""
        return self.details.level

    @property
    def superior_id(self) -> UUID | None:
        """The superior organisation, if any."""
        key = self.details.superior
        return organisation_id(key) if key else None

    @property
    def party_committee_id(self) -> UUID | None:
        """The same-level party committee, if any."""
        key = self.details.party_committee
        return organisation_id(key) if key else None

    def exists_on(self, day: date) -> bool:
        """Whether the organisation was in being on `day`."""
        return in_force(self.details.valid_from, self.details.valid_to, day)

    def quorum_on(self, day: date) -> Quorum:
        """The quorum of its leadership meetings on `day`: its own rule then in force, else
        more than half of the eligible members."""
        return quorum_on(self.details.quorum, day)

    def positions_held(self, person: UUID, day: date) -> list[Position]:
        """The positions `person` held here on `day` (none on a day the organisation was not in
        being: a merged unit's positions end with it, whatever their own `valid_to` says)."""
        if not self.exists_on(day):
            return []
        return [p for p in self.positions.values() if p.person_id == person and p.held_on(day)]

    def holders(self, roles: set[Role], day: date) -> list[Position]:
        """The positions with one of `roles` in force on `day` (none on a day the organisation
        was not in being)."""
        if not self.exists_on(day):
            return []
        return [p for p in self.positions.values() if p.role in roles and p.held_on(day)]

    def successions(self, *relations: SuccessionKind) -> list[Succession]:
        """Its recorded successions of those kinds, earliest first."""
        return sorted(
            (s for s in self.details.succession if s.relation in relations),
            key=lambda s: s.date,
        )


class Person(DirectoryEntry[PersonRecord, PersonDetails], Aggregate):
    """A person in the directory: name, identifiers and party membership."""

    create_id = staticmethod(person_id)  # ids derive from the stable external key

    class Registered(EntryRegistered):
        """Registered under its key."""

    class DetailsChanged(EntryDetailsChanged):
        """Details changed."""

    DETAIL_FIELDS = ("full_name", "identifiers", "party_member")

    class AffiliationRecorded(Aggregate.Event):
        organisation_id: UUID
        source: str

    @event(Registered)
    def __init__(self, key: str, details: PersonRecord, source: str) -> None:
        self.key = key
        self.details = PersonDetails.of(details)
        self.organisation_ids: list[UUID] = []

    def record_affiliation(self, organisation_id: UUID, source: str, at: datetime) -> bool:
        """Note that an organisation holds (or held) a position of this person; once each."""
        if organisation_id in self.organisation_ids:
            return False
        self.trigger_event(
            self.AffiliationRecorded, organisation_id=organisation_id, source=source, timestamp=at
        )
        return True

    @event(AffiliationRecorded)
    def _affiliation_recorded(self, organisation_id: UUID) -> None:
        self.organisation_ids.append(organisation_id)

    @event(DetailsChanged)
    def _change_details(self, changes: Changes, source: str) -> None:
        self.details = self.details.changed_by(changes)

    @property
    def full_name(self) -> str:
        """The person's full name."""
        return self.details.full_name
