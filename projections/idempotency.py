"""Durable idempotency keys: a retried POST gets the first answer and records nothing new.

Keys are scoped to the calling person and kept in the database (they survive restarts and
are shared by every web worker) until they expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from projections.db import Database


@dataclass(frozen=True)
class Outcome:
    """What `begin` found: a fresh start, a stored answer, a clash or a request in flight."""

    kind: str  # "started" | "stored" | "mismatch" | "in_progress"
    status: int | None = None
    body: str | None = None
    headers: str | None = None
    started_at: str | None = None


class IdempotencyStore:
    """The idempotency_keys table."""

    def __init__(self, db: Database, ttl: timedelta) -> None:
        self.db = db
        self.ttl = ttl

    def begin(self, person: str, key: str, fingerprint: str, now: datetime) -> Outcome:
        """Claim `key` for this request, or say why not."""
        with self.db.transaction() as tx:
            tx.execute(
                "DELETE FROM idempotency_keys WHERE created_at < ?",
                ((now - self.ttl).isoformat(),),
            )
            claimed = tx.query(
                "INSERT INTO idempotency_keys (person_id, key, fingerprint, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (person_id, key) DO NOTHING RETURNING key",
                (person, key, fingerprint, now.isoformat()),
            )
            if claimed:
                return Outcome("started")
            rows = tx.query(
                "SELECT fingerprint, status, body, headers, created_at FROM idempotency_keys"
                " WHERE person_id = ? AND key = ?",
                (person, key),
            )
        row: dict[str, Any] = rows[0]
        if row["fingerprint"] != fingerprint:
            return Outcome("mismatch")
        if row["status"] is None:
            return Outcome("in_progress", started_at=row["created_at"])
        return Outcome("stored", int(row["status"]), row["body"], row["headers"])

    def finish(self, person: str, key: str, status: int, body: str, headers: str) -> None:
        """Keep the answer for retries."""
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE idempotency_keys SET status = ?, body = ?, headers = ?"
                " WHERE person_id = ? AND key = ?",
                (status, body, headers, person, key),
            )

    def abandon(self, person: str, key: str) -> None:
        """Release the key of a request that failed without recording anything."""
        with self.db.transaction() as tx:
            tx.execute(
                "DELETE FROM idempotency_keys WHERE person_id = ? AND key = ?", (person, key)
            )

    def restart(self, person: str, key: str, now: datetime) -> None:
        """Take over an abandoned claim (its request died before recording anything)."""
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE idempotency_keys SET created_at = ? WHERE person_id = ? AND key = ?",
                (now.isoformat(), person, key),
            )


def recorded_by(db: Database, person: str, request_id: str) -> dict[str, Any] | None:
    """The event a request recorded, found by its request id in the audit view."""
    rows = db.query(
        "SELECT aggregate_id, version, position, event_type FROM iv_audit WHERE request_id = ?"
        " AND actor_person_id = ? ORDER BY position DESC LIMIT 1",
        (request_id, person),
    )
    return rows[0] if rows else None
