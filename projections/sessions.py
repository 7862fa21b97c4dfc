"""Page sessions kept on the server (the cookie only names one): signing out revokes it for
good, and a session is good only while the person holds the positions they signed in with —
a position assigned, changed or ended signs them out everywhere."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from projections.db import Database


class Sessions:
    """Open, check and revoke page sessions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open(self, person_id: str, positions: str) -> str:
        """A new session of `person_id` holding `positions` (a digest); its id."""
        session_id = secrets.token_urlsafe(32)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO page_sessions (id, person_id, positions, created_at)"
                " VALUES (?, ?, ?, ?)",
                (session_id, person_id, positions, datetime.now(tz=UTC).isoformat()),
            )
        return session_id

    def refused(self, session_id: str, person_id: str, positions: str) -> str | None:
        """Why the session is no longer good (`signed_out`, `revoked`), or None."""
        rows = self.db.query(
            "SELECT person_id, positions, revoked_at FROM page_sessions WHERE id = ?",
            (session_id,),
        )
        if not rows or rows[0]["person_id"] != person_id:
            return "revoked"
        if rows[0]["revoked_at"] is not None:
            return "signed_out"
        if rows[0]["positions"] != positions:
            return "revoked"
        return None

    def revoke(self, session_id: str) -> None:
        """Sign a session out for good."""
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE page_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (datetime.now(tz=UTC).isoformat(), session_id),
            )
