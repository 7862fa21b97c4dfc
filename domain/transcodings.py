"""JSON transcodings for the value types stored inside events."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.directory import Position, position_from


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

    def encode(self, obj: Position) -> dict[str, Any]:
        """Encode a position as its plain fields."""
        return obj.as_dict()

    def decode(self, data: dict[str, Any]) -> Position:
        """Rebuild the position."""
        return position_from(data)
