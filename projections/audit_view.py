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
from projections.view import Change, columns, created, ident, iso


class AuditView:
    """One row per stored event, keyed by its log position."""

    name = "audit"
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
    tables = created(ddl)  # what `ddl` creates, in its order
    # A partition of a parallel rebuild only appends rows to these
    # (projections/deferred_indexes.py).
    appended = ("iv_audit",)
    row_columns = columns(ddl[0])  # its table's columns, in order: read once, not per batch

    def __init__(self) -> None:
        self._organisations: dict[int, str | None] = {}

    def before(self, position: int, aggregate: Any) -> None:
        """Nothing: a row is the event's and its aggregate's after it."""

    def observe(self, change: Change) -> None:
        """The organisation of the event's aggregate right after it (a later event of the
        same batch — a handover — must not move an earlier row)."""
        self._organisations[change.position] = _organisation(change.aggregate)

    def forget(self) -> None:
        """Drop what was seen of a batch that was not applied."""
        self._organisations.clear()

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Append one row per event."""
        rows = [
            _row(c, self._organisations.get(c.position, _organisation(c.aggregate)))
            for c in changes
        ]
        self.forget()
        tx.append("iv_audit", self.row_columns, rows)


def _organisation(aggregate: Any) -> str | None:
    if isinstance(aggregate, Initiative | AccessLog):
        return ident(aggregate.employing_organisation_id)
    if isinstance(aggregate, Organisation):
        return ident(aggregate.id)
    if isinstance(aggregate, UnitPlan | UnitReviews):
        return ident(aggregate.organisation_id)
    return None


def _row(change: Change, organisation: str | None) -> tuple[Any, ...]:
    """The event's row, its values in the order of the table's columns (`AuditView.ddl`)."""
    event = change.event
    fields = event.__dict__
    actor = fields.get("actor") or {}
    aggregate = change.aggregate
    return (
        change.position,
        ident(event.originator_id),
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
