"""Defence in depth: the database itself refuses UPDATE, DELETE and TRUNCATE on the event
store (which holds the directory too) and on the ledger tables."""

from __future__ import annotations

from projections.db import Database

LEDGER_TABLES = (
    "ledger_leaves",
    "ledger_nodes",
    "ledger_checkpoints",
    "ledger_refused",
    "ledger_cosignatures",
    "ledger_index_nodes",
)

_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP"
    " USING ERRCODE = 'insufficient_privilege'; END $$"
)


def protect(db: Database) -> None:
    """Install the refusing triggers (idempotent)."""
    tables = (db.storage.events_table, *LEDGER_TABLES)
    with db.transaction() as tx:
        if db.kind == "sqlite":
            for table in tables:
                for op in ("UPDATE", "DELETE"):
                    tx.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op}"
                        f" ON {table} BEGIN SELECT RAISE(ABORT, 'table {table} is append-only:"
                        f" {op} refused'); END"
                    )
            return
        tx.execute(_PG_FUNCTION)
        for table in tables:
            tx.execute(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON"
                f" {table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
            tx.execute(
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
            )


# The record: the service may add to it and read it, never change it (docs/ledger.md §8).
APPEND_ONLY = (*LEDGER_TABLES, "ledger_verifications")


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
        for table in (events, *APPEND_ONLY):
            tx.execute(f'REVOKE ALL ON "{schema}"."{table}" FROM "{role}"')
            tx.execute(f'GRANT SELECT, INSERT ON "{schema}"."{table}" TO "{role}"')
        tx.execute(f'GRANT TRUNCATE ON "{schema}"."{events}" TO "{role}"')
        for table in view_tables:
            tx.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{schema}"."{table}" TO "{role}"')
