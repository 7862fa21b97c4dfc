"""The secondary indexes of a parallel rebuild's views, built once their tables are full.

A rebuild (projections/parallel.py) writes every version of every view again. Keeping their
secondary indexes (GiST spans, lists' B-trees) up to date meanwhile cost PostgreSQL 113 of its
179 s of CPU at a million events; building them once the tables are full costs 77 s, beside
the derivation of the counts. So the transaction that empties the views for a rebuild drops
those indexes and keeps, for each, the statement that creates it again
(`view_deferred_indexes`, migrations r0016); the rebuild creates them all before it moves the
views to the head. The unique indexes stay: the partitions close replaced versions through
them. A view reset otherwise (a rebuild one batch after another, or a worker emptying the
views a stopped rebuild left) gets its indexes back in that transaction, on its empty tables:
no index stays missing once a view is current. PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Sequence

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
_KEEP = (
    "INSERT INTO view_deferred_indexes (name, view, definition) VALUES (?, ?, ?)"
    " ON CONFLICT (name) DO NOTHING"
)
_KEPT = "SELECT name, definition FROM view_deferred_indexes WHERE view IN ({}) ORDER BY name"


def defer(tx: Tx, views: Sequence[View], tables: Sequence[str]) -> None:
    """Drop the secondary indexes of `tables` (tables of `views`), keeping how to create each
    again (`IF NOT EXISTS`: creating one twice does nothing)."""
    owner = {table: view.name for view in views for table in view.tables}
    if not tables:
        return
    for row in tx.query(_SECONDARY.format(", ".join("?" for _ in tables)), list(tables)):
        again = str(row["indexdef"]).replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
        tx.execute(_KEEP, (row["indexname"], owner[row["tablename"]], again))
        tx.execute(f'DROP INDEX "{row["indexname"]}"')


def kept(db: Database | Tx, views: Sequence[View]) -> list[tuple[str, str]]:
    """(name, statement) of each index of `views` dropped for a rebuild and not yet created."""
    names = [view.name for view in views]
    rows = db.query(_KEPT.format(", ".join("?" for _ in names)), names)
    return [(str(row["name"]), str(row["definition"])) for row in rows]


def done(tx: Tx, views: Sequence[View]) -> None:
    """The indexes of `views` are all there again."""
    names = [view.name for view in views]
    tx.execute(
        f"DELETE FROM view_deferred_indexes WHERE view IN ({', '.join('?' for _ in names)})", names
    )


def restore(tx: Tx, views: Sequence[View]) -> None:
    """Create again, in `tx`, every index of `views` dropped for a rebuild."""
    for _, statement in kept(tx, views):
        tx.execute(statement)
    done(tx, views)
