"""What a receipt's authority proof must show, checked from proven records alone: the actor
held the role they acted under, in the organisation they acted for, on the day of the act —
as the organisation's directory events up to the act say, with nothing hidden between the
last of them and the act (docs/ledger.md §4.1). Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

VIETNAM = timezone(timedelta(hours=7), "ICT")


class AuthorityError(ValueError):
    """The proven directory does not give the actor the authority the act claims."""


def act_day(recorded_at: str) -> date:
    """The act's day in Vietnam (the day authority is judged on)."""
    return datetime.fromisoformat(recorded_at).astimezone(VIETNAM).date()


def positions_of(events: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The positions of an organisation after its events (type, plain data), in order."""
    positions: dict[str, dict[str, Any]] = {}
    for kind, data in events:
        if kind == "PositionAssigned":
            position = data.get("position")
            if not isinstance(position, dict) or "key" not in position:
                raise AuthorityError("a position is assigned without its key")
            positions[str(position["key"])] = dict(position)
        elif kind == "PositionChanged":
            key, changes = str(data.get("key")), data.get("changes")
            if key not in positions or not isinstance(changes, dict):
                raise AuthorityError(f"position {key} changes before it was assigned")
            positions[key] = {**positions[key], **changes}
    return positions


def held_position(
    positions: dict[str, dict[str, Any]], actor: dict[str, Any], day: date
) -> dict[str, Any]:
    """The position that gave `actor` their role on `day`; AuthorityError when none did."""
    for position in positions.values():
        try:
            start = date.fromisoformat(str(position.get("valid_from")))
            end = position.get("valid_to")
            last = date.fromisoformat(str(end)) if end is not None else None
        except ValueError:
            raise AuthorityError(f"position {position['key']} has no valid dates") from None
        if (
            str(position.get("person_id")) == str(actor["person_id"])
            and position.get("role") == actor["role"]
            and start <= day
            and (last is None or day <= last)
        ):
            return position
    raise AuthorityError(
        f"the organisation's directory, as proven, gives {actor.get('name', actor['person_id'])}"
        f" no position as {actor['role']} on {day:%d/%m/%Y}"
    )


@dataclass(frozen=True)
class Directory:
    """What an authority proof proves of the actor's organisation as of the act: its name, as
    its events last gave it ("" when none did), and its positions (positions_of)."""

    organisation_id: str
    name: str
    positions: tuple[dict[str, Any], ...]

    def title(self, person_id: str, day: date) -> str:
        """The title (or the role's code) of a position `person_id` held here on `day`
        ("" when they held none, as proven)."""
        for position in self.positions:
            start, end = position.get("valid_from"), position.get("valid_to")
            if (
                str(position.get("person_id")) == person_id
                and str(start) <= day.isoformat()
                and (end is None or day.isoformat() <= str(end))
            ):
                return str(position.get("title") or position.get("role") or "")
        return ""


def directory_of(organisation_id: object, events: list[tuple[str, dict[str, Any]]]) -> Directory:
    """The organisation's name and positions after its events (type, plain data), in order."""
    names = [
        changes["name"]
        for kind, state in events
        for changes in (state.get("details") if kind == "Registered" else state.get("changes"),)
        if isinstance(changes, dict) and isinstance(changes.get("name"), str)
    ]
    return Directory(
        str(organisation_id), names[-1] if names else "", tuple(positions_of(events).values())
    )
