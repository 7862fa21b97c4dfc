"""Reads that no longer scan every version: the lists newest first as of a past position walk
an index from a bound (projections/queries.py `list_initiatives`), and the protection dashboard
reads a partial index.

"The newest 50 as of position P" are the versions that held at P with the greatest
`updated_at`. A B-tree on `(updated_at, id)` over every version (`iv_initiatives_updated_held`;
the present's index covers the current versions only) hands them out in that order, but read
from its newest end it first passes every version written after P, most of the table for an
early P. `iv_updated_max` holds, at each position where it rose, the greatest `updated_at` of
the versions begun at or before it: no version that held at P was updated later than its value
at P, so the walk starts there. One row per rise (in a log whose clocks move forward, one per
event of an initiative); filled here from the versions already written, then by the worker.

The protection dashboard lists the initiatives whose protection was asked for or determined,
now or as of P: `iv_initiatives_protection` holds those versions only (a partial index), where
the dashboard read every current row (212 ms at a million events, for an empty answer).

A new table and two new indexes: each index is built while `iv_initiatives` is locked for writes
(the worker waits; the reads go on).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import BIG, TEXT, key, need

revision: str = "0010"
down_revision: str | None = "0009"

alters: tuple[str, ...] = ("iv_initiatives",)
PROTECTION = sa.text("protection_requested OR determined_measure IS NOT NULL")
# The rises of the versions already written (tests/integration/test_history.py checks it
# against what the worker writes).
FILL = (
    "INSERT INTO iv_updated_max (position, updated_at) SELECT position, top FROM ("
    " SELECT position, top, LAG(top) OVER (ORDER BY position) AS below FROM ("
    "  SELECT from_position AS position,"
    "   MAX(MAX(updated_at)) OVER (ORDER BY from_position) AS top"
    "  FROM iv_initiatives GROUP BY from_position) AS running) AS steps"
    " WHERE below IS NULL OR top > below"
)


def upgrade() -> None:
    """Create the table, fill it from the versions already written, add the indexes."""
    op.create_table("iv_updated_max", key("position", BIG), need("updated_at", TEXT))
    op.execute(FILL)
    op.create_index("iv_initiatives_updated_held", "iv_initiatives", ["updated_at", "id"])
    op.create_index(
        "iv_initiatives_protection",
        "iv_initiatives",
        ["from_position"],
        sqlite_where=PROTECTION,
        postgresql_where=PROTECTION,
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_index("iv_initiatives_protection", table_name="iv_initiatives")
    op.drop_index("iv_initiatives_updated_held", table_name="iv_initiatives")
    op.drop_table("iv_updated_max")
