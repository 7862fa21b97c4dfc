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
# operations.md, least privilege) rebuilds with its indexes kept up to date, as before. `{}`:
# which indexes (the definition's LIKE or NOT LIKE), then the tables; with whether each is the
# primary key.
_INDEXES = (
    "SELECT i.indexname, i.tablename, i.indexdef, k.oid IS NOT NULL AS is_key FROM pg_indexes i"
    " JOIN pg_tables t ON t.schemaname = i.schemaname AND t.tablename = i.tablename"
    " LEFT JOIN pg_constraint k ON k.conname = i.indexname AND k.contype = 'p'"
    " AND k.connamespace = current_schema()::regnamespace"
    " WHERE i.schemaname = current_schema() AND i.indexdef {}"
    " AND pg_has_role(t.tableowner, 'USAGE') AND i.tablename IN ({}) ORDER BY i.indexname"
)
_SECONDARY, _UNIQUE, _EVERY = (
    "NOT LIKE 'CREATE UNIQUE INDEX %'",
    "LIKE 'CREATE UNIQUE INDEX %'",
    "LIKE 'CREATE %'",
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


def defer(tx: Tx, views: Sequence[View], tables: Sequence[str]) -> None:
    """Drop the secondary indexes of `tables` (tables of `views`), and the unique ones of
    those a partition only appends to (a view's `appended`), keeping how to create each again
    (`IF NOT EXISTS`: creating one twice does nothing)."""
    owner = {table: view.name for view in views for table in view.tables}
    appended = [t for v in views for t in getattr(v, "appended", ()) if t in tables]
    for row in [*_dropped(tx, tables, _SECONDARY), *_dropped(tx, appended, _UNIQUE)]:
        again = str(row["indexdef"]).replace(" INDEX ", " INDEX IF NOT EXISTS ", 1)
        tx.execute(_KEEP, (row["indexname"], owner[row["tablename"]], again))


def dropped(tx: Tx, tables: Sequence[str]) -> list[str]:
    """Drop every index of `tables` in `tx`; the statements that create them again, primary
    keys made keys again. For a transaction that fills empty tables: each index is then built
    once, sorted, rather than kept up to date row by row."""
    again = []
    for row in _dropped(tx, tables, _EVERY):
        again.append(str(row["indexdef"]))
        if row["is_key"]:
            again.append(_key_again(row["tablename"], row["indexname"]))
    return again


def _dropped(tx: Tx, tables: Sequence[str], which: str) -> list[dict[str, Any]]:
    """Drop the indexes of `tables` that `which` selects (_SECONDARY, _UNIQUE, _EVERY), each
    primary key as a constraint; pg_indexes' rows of them."""
    if not tables:
        return []
    rows = tx.query(_INDEXES.format(which, ", ".join("?" for _ in tables)), list(tables))
    for row in rows:
        name, table = row["indexname"], row["tablename"]
        if row["is_key"]:
            tx.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        else:
            tx.execute(f'DROP INDEX "{name}"')
    return rows


def _key_again(table: str, index: str) -> str:
    """The statement that makes the unique index `index` the primary key of `table` again."""
    return f'ALTER TABLE "{table}" ADD CONSTRAINT "{index}" PRIMARY KEY USING INDEX "{index}"'


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
            tx.execute(_key_again(row["name"], f"{row['name']}_pkey"))
    names = [view.name for view in views]
    tx.execute(
        f"DELETE FROM view_deferred_indexes WHERE view IN ({', '.join('?' for _ in names)})", names
    )


def restore(tx: Tx, views: Sequence[View]) -> None:
    """Create again, in `tx`, every index of `views` dropped for a rebuild."""
    for _, statement in kept(tx, views):
        tx.execute(statement)
    done(tx, views)
