"""Defence in depth: which tables the database itself keeps append-only (revision 0001's
triggers refuse UPDATE, DELETE and TRUNCATE on the event store, which holds the directory too,
and on the ledger tables), and what the least-privilege role may do."""

from __future__ import annotations

from projections.db import Database
from projections.ledger.sealing import SealingView

# The sealing view's tables: the leaves, the tree's nodes, its checkpoints, the refused rows,
# the witnesses' cosignatures and the verifiable index.
LEDGER_TABLES = SealingView.tables

# The record: the service may add to it and read it, never change it (docs/ledger.md §8).
APPEND_ONLY = (*LEDGER_TABLES, "ledger_verifications")
# Added to, never changed: an attachment's row is its content's (the digest is its key).
INSERT_ONLY = (*APPEND_ONLY, "attachments")


def grant_service_role(db: Database, role: str, view_tables: tuple[str, ...]) -> None:
    """PostgreSQL: give the service's role (web and worker) the least it needs, as the owner.

    The event store and the ledger: SELECT and INSERT only (and TRUNCATE on the event store,
    which eventsourcing's `LOCK TABLE … IN EXCLUSIVE MODE` requires; the no-truncate trigger
    refuses any TRUNCATE). The rebuildable views: read and write. Not being the owner, the
    role cannot DISABLE TRIGGER, ALTER or DROP anything.
    """
    if db.kind != "postgresql":
        raise ValueError("roles are a PostgreSQL matter; protect a SQLite file by its owner")
    if not role.replace("_", "").isalnum():
        raise ValueError("a role name holds letters, digits and _ only")
    schema = db.storage.schema or "public"
    events = db.storage.events_table
    with db.transaction() as tx:
        tx.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        tx.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"')
        for table in (events, *INSERT_ONLY):
            tx.execute(f'REVOKE ALL ON "{schema}"."{table}" FROM "{role}"')
            tx.execute(f'GRANT SELECT, INSERT ON "{schema}"."{table}" TO "{role}"')
        tx.execute(f'GRANT TRUNCATE ON "{schema}"."{events}" TO "{role}"')
        for table in view_tables:
            tx.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{schema}"."{table}" TO "{role}"')
