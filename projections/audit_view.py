"""The audit feed: every event across the system, newest first, filterable.

`data` keeps the event's stored JSON exactly as recorded (the ledger hashes those bytes);
`queries.audit` turns its transcoded values into plain JSON for readers.
"""

from __future__ import annotations

from typing import Any

from domain.access import AccessLog
from domain.directory import Organisation
from domain.initiative import Initiative
from domain.unit_plan import UnitPlan, UnitReviews
from projections.db import Tx
from projections.view import Change, iso

COLUMNS = (
    "position",
    "aggregate_id",
    "aggregate_type",
    "version",
    "event_type",
    "recorded_at",
    "actor_person_id",
    "actor_name",
    "actor_role",
    "actor_organisation_id",
    "organisation_id",
    "request_id",
    "data",
)


class AuditView:
    """One row per stored event, keyed by its log position."""

    name = "audit"
    tables: tuple[str, ...] = ("iv_audit",)
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS iv_audit (position BIGINT PRIMARY KEY,"
        " aggregate_id TEXT NOT NULL, aggregate_type TEXT NOT NULL, version INTEGER NOT NULL,"
        " event_type TEXT NOT NULL, recorded_at TEXT NOT NULL, actor_person_id TEXT,"
        " actor_name TEXT, actor_role TEXT, actor_organisation_id TEXT, organisation_id TEXT,"
        " request_id TEXT, data TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS iv_audit_org ON iv_audit (organisation_id, position)",
        "CREATE INDEX IF NOT EXISTS iv_audit_actor ON iv_audit (actor_person_id, position)",
        "CREATE INDEX IF NOT EXISTS iv_audit_type ON iv_audit (event_type, position)",
        "CREATE INDEX IF NOT EXISTS iv_audit_time ON iv_audit (recorded_at)",
        "CREATE INDEX IF NOT EXISTS iv_audit_request ON iv_audit (request_id)",
    )

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Append one row per event."""
        tx.append("iv_audit", COLUMNS, [_row(c) for c in changes])


def _row(change: Change) -> tuple[Any, ...]:
    event = change.event
    fields = event.__dict__
    actor = fields.get("actor") or {}
    aggregate = change.aggregate
    if isinstance(aggregate, Initiative | AccessLog):
        organisation = str(aggregate.employing_organisation_id)
    elif isinstance(aggregate, Organisation):
        organisation = str(aggregate.id)
    elif isinstance(aggregate, UnitPlan | UnitReviews):
        organisation = str(aggregate.organisation_id)
    else:
        organisation = None
    return (
        change.position,
        str(event.originator_id),
        type(aggregate).__name__ if aggregate is not None else "",
        event.originator_version,
        type(event).__name__,
        iso(event.timestamp),
        actor.get("person_id"),
        actor.get("name"),
        actor.get("role"),
        actor.get("organisation_id"),
        organisation,
        fields.get("request_id"),
        change.state.decode("utf-8"),
    )
