"""JSON transcodings for the value types stored inside events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.directory import OrganisationDetails, PersonDetails, Position, position_from
from domain.initiative_state import State

# The directory's values that snapshots hold, each stored as its record.
Recorded = Position | OrganisationDetails | PersonDetails


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


class RecordAsDict(Transcoding):
    """A directory value inside snapshots: the record its `as_dict()` gives (as the events
    record it), rebuilt by `rebuild`."""

    def __init__(self, cls: type[Recorded], name: str, rebuild: Callable[[Any], Recorded]) -> None:
        self.type = cls
        self.name = name
        self.rebuild = rebuild

    def encode(self, obj: Recorded) -> Mapping[str, object]:
        """Encode the value as recorded."""
        return obj.as_dict()

    def decode(self, data: dict[str, object]) -> Recorded:
        """Rebuild the value."""
        return self.rebuild(data)


class PositionAsDict(RecordAsDict):
    """Directory positions inside Organisation snapshots."""

    def __init__(self) -> None:
        super().__init__(Position, "directory_position", position_from)


class OrganisationDetailsAsDict(RecordAsDict):
    """An organisation's details inside Organisation snapshots."""

    def __init__(self) -> None:
        super().__init__(
            OrganisationDetails, "directory_organisation_details", OrganisationDetails.of
        )


class PersonDetailsAsDict(RecordAsDict):
    """A person's details inside Person snapshots."""

    def __init__(self) -> None:
        super().__init__(PersonDetails, "directory_person_details", PersonDetails.of)


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
