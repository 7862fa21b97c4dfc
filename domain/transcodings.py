"""JSON transcodings for the value types stored inside events."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import cast

from eventsourcing.persistence import Transcoding

from domain.directory import OrganisationDetails, PersonDetails, Position, position_from
from domain.directory_payloads import OrganisationRecord, PersonRecord, PositionRecord
from domain.initiative_state import State


class DateAsISO(Transcoding):
    """Calendar dates as ISO strings (`datetime` has its own transcoding)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Encode a date."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Decode a date."""
        return date.fromisoformat(data)


class PositionAsDict(Transcoding):
    """Directory positions inside Organisation snapshots."""

    type = Position
    name = "directory_position"

    def encode(self, obj: Position) -> PositionRecord:
        """Encode a position as its plain fields."""
        return obj.as_dict()

    def decode(self, data: dict[str, object]) -> Position:
        """Rebuild the position."""
        return position_from(cast("PositionRecord", data))


class OrganisationDetailsAsDict(Transcoding):
    """An organisation's details inside Organisation snapshots: as recorded."""

    type = OrganisationDetails
    name = "directory_organisation_details"

    def encode(self, obj: OrganisationDetails) -> OrganisationRecord:
        """Encode the details as recorded."""
        return obj.as_dict()

    def decode(self, data: dict[str, object]) -> OrganisationDetails:
        """Rebuild the details."""
        return OrganisationDetails.of(cast("OrganisationRecord", data))


class PersonDetailsAsDict(Transcoding):
    """A person's details inside Person snapshots: as recorded."""

    type = PersonDetails
    name = "directory_person_details"

    def encode(self, obj: PersonDetails) -> PersonRecord:
        """Encode the details as recorded."""
        return obj.as_dict()

    def decode(self, data: dict[str, object]) -> PersonDetails:
        """Rebuild the details."""
        return PersonDetails.of(cast("PersonRecord", data))


class StateAsDict(Transcoding):
    """A value of an initiative's typed state (`domain/initiative_state.py`) inside the
    snapshots the previous release took: its fields by name."""

    def __init__(self, cls: type[State]) -> None:
        self.type = cls
        self.name = f"initiative_{cls.__name__}"

    def encode(self, obj: State) -> dict[str, object]:
        """Encode a value as its fields."""
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, object]) -> State:
        """Rebuild the value."""
        state: State = self.type(**data)
        return state
