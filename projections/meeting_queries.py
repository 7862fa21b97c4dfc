"""The leadership meetings in the record, as an inspector reads them: each meeting's event
(`LeadershipMeetingHeld`: the day, the members present, the members eligible to vote that
day, the votes) with the initiative's title and the organisation that recorded it (the
deciding agency, whose quorum rule applies: domain/quorum.py)."""

from __future__ import annotations

from typing import Any

from projections.db import Database, Row
from projections.queries import stored_data


def leadership_meetings(db: Database, organisations: frozenset[str] | None) -> list[Row]:
    """Every leadership meeting recorded on an initiative employed by one of `organisations`
    (every initiative when None), in the order recorded: its initiative (`initiative_id`,
    `title`, `organisation_id`), the deciding agency (`deciding_id`) and the event's data."""
    where = ["a.event_type = ?"]
    params: list[Any] = ["LeadershipMeetingHeld"]
    if organisations is not None:
        chosen = sorted(organisations)
        where.append(f"a.organisation_id IN ({', '.join('?' for _ in chosen) or 'NULL'})")
        params += chosen
    rows = db.query(
        "SELECT a.aggregate_id AS initiative_id, i.title, a.organisation_id,"
        " a.actor_organisation_id AS deciding_id, a.data FROM iv_audit a"
        " JOIN iv_initiatives i ON i.id = a.aggregate_id AND i.to_position IS NULL WHERE "
        + " AND ".join(where)
        + " ORDER BY a.position",
        params,
    )
    return [{**r, "data": stored_data(r["data"])} for r in rows]
