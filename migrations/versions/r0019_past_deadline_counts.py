"""The province's deadlines counted per organisation as of a past position, each version read
from an index alone (PostgreSQL).

A page of the province's deadlines carries every organisation's count of running clocks and
missed deadlines. Now they are read from the index of the current open or late clocks alone
(revision 0011): 44,000 entries at a million events, 10 ms. As of a past position they were
read from the table: every version of every clock that held then (a scan of 490,000
versions, 25-70 ms; 8.8 times the present's p95 at the worst of ten moments).

Two partial indexes of the open or late clocks' versions answer it, each read alone:
`iv_clocks_open_or_late_begun` holds the current ones by the position they began at (those
begun by P held at P), and `iv_clocks_open_or_late_replaced` the replaced ones by their span
(a GiST index: those whose span holds P). Each holds the columns the counts read and the key
of the page's rows (projections/due.py `_held_apart`). At a million events, as of ten random
moments: the counts 7-14 ms (p50), against 10.6 now; the page 6-18 ms, against 8.5.

Two new indexes: each built while `iv_clocks` is locked for writes (the worker waits; the reads
go on). SQLite has no GiST and no INCLUDE: nothing changes there, nor in its statements.
"""

from __future__ import annotations

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"

alters: tuple[str, ...] = ("iv_clocks",)
changes_on: tuple[str, ...] = ("postgresql",)
OPEN_OR_LATE = "(finished_on IS NULL OR finished_on > due_on)"
# what the counts read, and the key and order of the page's rows
COUNTED = "organisation_id, due_on, finished_on, initiative_id, seq"
INDEXES = {
    "iv_clocks_open_or_late_begun": (
        f"(from_position) INCLUDE ({COUNTED}) WHERE to_position IS NULL AND {OPEN_OR_LATE}"
    ),
    # the bounds beside the span: an index-only scan needs every column the statement names
    "iv_clocks_open_or_late_replaced": (
        "USING gist (int8range(from_position, to_position))"
        f" INCLUDE (from_position, to_position, {COUNTED})"
        f" WHERE to_position IS NOT NULL AND {OPEN_OR_LATE}"
    ),
}


def upgrade() -> None:
    """Create both (PostgreSQL)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, definition in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON iv_clocks {definition}")


def downgrade() -> None:
    """Drop them."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="iv_clocks")
