"""The secondary indexes of a parallel rebuild's views, built once their tables are full.

A rebuild (projections/parallel.py) writes every version of every view again. Keeping their
secondary indexes (GiST spans, lists' B-trees) up to date meanwhile cost PostgreSQL 113 of its
179 s of CPU at a million events; building them once the tables are full costs 77 s, beside
the derivation of the counts. So the transaction that empties the views for a rebuild drops
those indexes and keeps, for each, the statement that creates it again
(`view_deferred_indexes`, migrations r0016); the rebuild creates them all before it moves the
views to the head. The unique indexes stay where the partitions close replaced versions through
them; those of the tables the partitions only append to (a view's `appended`) are dropped too
(keeping the initiatives' keys up to date, in the random order of their ids, cost PostgreSQL
38 of its 99 s of CPU in the partitions at a million events; building them takes 4 s): a
primary key is dropped as a constraint, built again as its unique index, then made the key
again (`done`). A view reset otherwise (a rebuild one batch after another, or a worker emptying the
views a stopped rebuild left) gets its indexes back in that transaction, on its empty tables:
no index stays missing once a view is current. PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.db import Database, Tx
from projections.view import View

# Only those of the tables this role owns: a service role that may only write rows (docs/
# operations.md, least privilege) rebuilds with its indexes kept up to date, as before.
_SECONDARY = (
    "SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i JOIN pg_tables t"
    " ON t.schemaname = i.schemaname AND t.tablename = i.tablename"
    " WHERE i.schemaname = current_schema() AND i.indexdef NOT LIKE 'CREATE UNIQUE INDEX %'"
    " AND pg_has_role(t.tableowner, 'USAGE') AND i.tablename IN ({}) ORDER BY i.indexname"
)
# The indexes of tables (the unique ones only, or all), and whether each is the primary key.
_INDEXES = (
    "SELECT i.indexname, i.tablename, i.indexdef, k.oid IS NOT NULL AS is_key FROM pg_indexes i"
    " JOIN pg_tables t ON t.schemaname = i.schemaname AND t.tablename = i.tablename"
    " LEFT JOIN pg_constraint k ON k.conname = i.indexname AND k.contype = 'p'"
    " AND k.connamespace = current_schema()::regnamespace"
    " WHERE i.schemaname = current_schema() AND i.indexdef LIKE 'CREATE {}INDEX %'"
    " AND pg_has_role(t.tableowner, 'USAGE') AND i.tablename IN ({}) ORDER BY i.indexname"
)
# The tables whose primary key's index is there (`<table>_pkey`, PostgreSQL's name for it)
# but not the key itself.
_KEYLESS = (
    "SELECT c.relname AS name FROM pg_class c JOIN pg_class i ON i.relnamespace = c.relnamespace"
    " AND i.relname = c.relname || '_pkey' AND i.relkind = 'i'"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
    " AND c.relname IN ({}) AND NOT EXISTS (SELECT FROM pg_constraint k"
    " WHERE k.conrelid = c.oid AND k.contype = 'p')"
)
_KEEP = (
    "INSERT INTO view_deferred_indexes (name, view, definition) VALUES (?, ?, ?)"
    " ON CONFLICT (name) DO NOTHING"
)
_KEPT = "SELECT name, definition FROM view_deferred_indexes WHERE view IN ({}) ORDER BY name"


def defer(
    tx: Tx, views: Sequence[View], tables: Sequence[str], appended: Sequence[str] = ()
) -> None:
    """Drop the secondary indexes of `tables` (tables of `views`), and the unique ones of
    `appended` too, keeping how to create each again (`IF NOT EXISTS`: creating one twice does
    nothing)."""
    owner = {table: view.name for view in views for table in view.tables}
    if tables:
        for row in tx.query(_SECONDARY.format(", ".join("?" for _ in tables)), list(tables)):
            again = str(row["indexdef"]).replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            tx.execute(_KEEP, (row["indexname"], owner[row["tablename"]], again))
            tx.execute(f'DROP INDEX "{row["indexname"]}"')
    if appended:
        for row in _dropped(tx, appended, "UNIQUE "):
            again = str(row["indexdef"]).replace(
                "CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1
            )
            tx.execute(_KEEP, (row["indexname"], owner[row["tablename"]], again))


def dropped(tx: Tx, tables: Sequence[str]) -> list[str]:
    """Drop every index of `tables` in `tx`; the statements that create them again, primary
    keys made keys again. For a transaction that fills empty tables: each index is then built
    once, sorted, rather than kept up to date row by row."""
    again = []
    for row in _dropped(tx, tables, "%"):
        again.append(str(row["indexdef"]))
        if row["is_key"]:
            name = row["indexname"]
            again.append(
                f'ALTER TABLE "{row["tablename"]}" ADD CONSTRAINT "{name}"'
                f' PRIMARY KEY USING INDEX "{name}"'
            )
    return again


def _dropped(tx: Tx, tables: Sequence[str], unique: str) -> list[dict[str, Any]]:
    """Drop the indexes of `tables` (`unique`: "UNIQUE " for the unique ones only, "%" for
    all), each primary key as a constraint; pg_indexes' rows of them."""
    if not tables:
        return []
    rows = tx.query(_INDEXES.format(unique, ", ".join("?" for _ in tables)), list(tables))
    for row in rows:
        name, table = row["indexname"], row["tablename"]
        if row["is_key"]:
            tx.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        else:
            tx.execute(f'DROP INDEX "{name}"')
    return rows


def kept(db: Database | Tx, views: Sequence[View]) -> list[tuple[str, str]]:
    """(name, statement) of each index of `views` dropped for a rebuild and not yet created."""
    names = [view.name for view in views]
    rows = db.query(_KEPT.format(", ".join("?" for _ in names)), names)
    return [(str(row["name"]), str(row["definition"])) for row in rows]


def done(tx: Tx, views: Sequence[View]) -> None:
    """The indexes of `views` are all there again: each primary key dropped is made the key
    again, from its index."""
    tables = [table for view in views for table in view.tables]
    if tables:
        for row in tx.query(_KEYLESS.format(", ".join("?" for _ in tables)), tables):
            name = row["name"]
            tx.execute(
                f'ALTER TABLE "{name}" ADD CONSTRAINT "{name}_pkey"'
                f' PRIMARY KEY USING INDEX "{name}_pkey"'
            )
    names = [view.name for view in views]
    tx.execute(
        f"DELETE FROM view_deferred_indexes WHERE view IN ({', '.join('?' for _ in names)})", names
    )


def restore(tx: Tx, views: Sequence[View]) -> None:
    """Create again, in `tx`, every index of `views` dropped for a rebuild."""
    for _, statement in kept(tx, views):
        tx.execute(statement)
    done(tx, views)
