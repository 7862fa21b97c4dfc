"""The directory: organisations (with their positions) and people, effective-dated.

Positions live in the organisation that appoints them, so every authority check
("did P hold role R in O on day D?") and the list of a collective's voters need only
that one aggregate. Directory facts carry `source`: what recorded them (an import file's
digest, an administrator's request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.values import Level, OrganisationKind, Role, organisation_id, person_id


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
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for queries."""
        return {
            "key": self.key,
            "person_id": self.person_id,
            "role": self.role.value,
            "title": self.title,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }


if TYPE_CHECKING:
    _Aggregate = Aggregate
else:
    _Aggregate = object


def changed(current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The entries of `desired` that differ from `current`: what an update must record."""
    return {k: v for k, v in desired.items() if current.get(k) != v}


def position_from(data: dict[str, Any]) -> Position:
    return Position(
        key=data["key"],
        person_id=UUID(str(data["person_id"])),
        role=Role(data["role"]),
        title=data.get("title", ""),
        valid_from=data["valid_from"],
        valid_to=data.get("valid_to"),
    )


class EntryRegistered(Aggregate.Created):
    """A directory entry registered under its key (each class has its own subclass)."""

    key: str
    details: dict[str, Any]
    source: str


class EntryDetailsChanged(Aggregate.Event):
    """Details of a directory entry changed (each class has its own subclass)."""

    changes: dict[str, Any]
    source: str


class _Registered(_Aggregate):
    """What organisations and people share: registration under a stable key, with details
    (`DETAIL_FIELDS`) that later imports change. Each keeps its own event classes (their
    topics are stored) and `create_id`."""

    if TYPE_CHECKING:
        Registered: ClassVar[type[Aggregate.Created]]
        DetailsChanged: ClassVar[type[Aggregate.Event]]
        details: dict[str, Any]

        @staticmethod
        def create_id(key: str) -> UUID: ...

    @classmethod
    def register(cls, key: str, details: dict[str, Any], source: str, at: datetime) -> Self:
        """Record a new one; `details` holds DETAIL_FIELDS (references as keys)."""
        return cls._create(
            cls.Registered,
            id=cls.create_id(key),
            key=key,
            details=details,
            source=source,
            timestamp=at,
        )

    def change_details(self, details: dict[str, Any], source: str, at: datetime) -> bool:
        """Record the fields that differ from `details`; False when nothing changed."""
        changes = changed(self.details, details)
        if not changes:
            return False
        self.trigger_event(self.DetailsChanged, changes=changes, source=source, timestamp=at)
        return True


class Organisation(_Registered, Aggregate):
    """An organisation of the political system, its place in the hierarchy and its positions."""

    create_id = staticmethod(organisation_id)  # ids derive from the stable external key

    class Registered(EntryRegistered):
        """Registered under its key."""

    class DetailsChanged(EntryDetailsChanged):
        """Details changed."""

    class PositionAssigned(Aggregate.Event):
        position: dict[str, Any]
        source: str

    class PositionChanged(Aggregate.Event):
        key: str
        changes: dict[str, Any]
        source: str

    @event(Registered)
    def __init__(self, key: str, details: dict[str, Any], source: str) -> None:
        self.key = key
        self.details: dict[str, Any] = dict(details)
        self.positions: dict[str, Position] = {}

    DETAIL_FIELDS = (
        "name",
        "kind",
        "level",
        "superior",
        "party_committee",
        "valid_from",
        "valid_to",
        "succession",
    )

    @event(DetailsChanged)
    def _change_details(self, changes: dict[str, Any], source: str) -> None:
        self.details.update(changes)

    def assign_or_change_position(
        self, position: dict[str, Any], source: str, at: datetime
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
    def _assign_position(self, position: dict[str, Any], source: str) -> None:
        self.positions[position["key"]] = position_from(position)

    @event(PositionChanged)
    def _change_position(self, key: str, changes: dict[str, Any], source: str) -> None:
        self.positions[key] = position_from({**self.positions[key].as_dict(), **changes})

    # Queries -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The organisation's current name."""
        return str(self.details["name"])

    @property
    def kind(self) -> OrganisationKind:
        """The organisation's kind."""
        return OrganisationKind(self.details["kind"])

    @property
    def level(self) -> Level:
        """The organisation's administrative level."""
        return Level(self.details["level"])

    @property
    def superior_id(self) -> UUID | None:
        """The superior organisation, if any."""
        key = self.details.get("superior")
        return organisation_id(key) if key else None

    @property
    def party_committee_id(self) -> UUID | None:
        """The same-level party committee, if any."""
        key = self.details.get("party_committee")
        return organisation_id(key) if key else None

    def exists_on(self, day: date) -> bool:
        """Whether the organisation was in being on `day`."""
        start: date | None = self.details.get("valid_from")
        end: date | None = self.details.get("valid_to")
        return (start is None or start <= day) and (end is None or day <= end)

    def positions_held(self, person: UUID, day: date) -> list[Position]:
        """The positions `person` held here on `day`."""
        return [p for p in self.positions.values() if p.person_id == person and p.held_on(day)]

    def holders(self, roles: set[Role], day: date) -> list[Position]:
        """The positions with one of `roles` in force on `day`."""
        return [p for p in self.positions.values() if p.role in roles and p.held_on(day)]


class Person(_Registered, Aggregate):
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
    def __init__(self, key: str, details: dict[str, Any], source: str) -> None:
        self.key = key
        self.details: dict[str, Any] = dict(details)
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
    def _change_details(self, changes: dict[str, Any], source: str) -> None:
        self.details.update(changes)

    @property
    def full_name(self) -> str:
        """The person's full name."""
        return str(self.details["full_name"])
