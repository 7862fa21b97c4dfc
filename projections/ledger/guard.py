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
