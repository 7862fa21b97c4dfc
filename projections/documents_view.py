"""Which initiative's events refer to which document (`iv_documents`): what lets the service
say who may read an uploaded attachment — those who may read an initiative whose event refers
to it (web/api/attachments.py). One row per (digest, initiative, version)."""

from __future__ import annotations

from typing import Any

from projections.db import Database, Tx
from projections.view import Change, created

# How many initiatives an attachment's readers are looked for in (a document referred to by
# more is unusual; a read stays one bounded query).
REFERRERS_READ = 50


def referenced(event: Any) -> list[str]:
    """The digests of the documents an event refers to (none for the events without the
    field, and those recorded before it existed)."""
    documents = getattr(event, "attachments", None) or []
    return [str(d["sha256"]) for d in documents]


class DocumentsView:
    """Each document an initiative's event refers to."""

    name = "documents"
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS iv_documents (sha256 TEXT NOT NULL,"
        " initiative_id TEXT NOT NULL, version INTEGER NOT NULL,"
        " PRIMARY KEY (sha256, initiative_id, version))",
    )
    tables = created(ddl)  # what `ddl` creates, in its order

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """One row per document each event refers to."""
        rows = [
            (digest, str(change.event.originator_id), change.event.originator_version)
            for change in changes
            for digest in referenced(change.event)
        ]
        tx.append("iv_documents", ("sha256", "initiative_id", "version"), rows)


def referrers(db: Database, sha256: str) -> list[str]:
    """The initiatives whose events refer to the document (at most REFERRERS_READ)."""
    rows = db.query(
        "SELECT DISTINCT initiative_id FROM iv_documents WHERE sha256 = ?"
        " ORDER BY initiative_id LIMIT ?",
        (sha256, REFERRERS_READ),
    )
    return [str(r["initiative_id"]) for r in rows]
