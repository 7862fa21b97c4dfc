"""The views' history found by position, on PostgreSQL: a GiST index on the span of log
positions in which each version held (projections/history.py `held`).

"As of log position P" selects the versions with `from_position <= P < to_position` (or no
`to_position`): a stabbing query that a B-tree on one of the bounds answers only by reading
every version on one side of P (at a quarter of a 100,000-event log: 91,000 versions read for
1,785 kept, 48 ms). Each history table gets a GiST index on `int8range(from_position,
to_position)`, which `held` also asks (`@>`): the same query reads the 1,785 (3.6 ms). The
lists and dashboards of one ward (its initiatives by status, its inbox, what it approves, its
clocks) get a B-tree on their filter and `from_position` over every version: that ward's past
alone is read (a ward's list as of a quarter of the log: 5.1 → 0.45 ms).

SQLite has no range type, and a B-tree on both positions (measured: bench.asof, 50,000
events) sped its early moments up but slowed its late ones by as much: it gets nothing.

New indexes only: PostgreSQL builds each while the table is locked for writes (the worker
waits; the reads go on); rows are neither added nor changed.
"""

from __future__ import annotations

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"

TABLES = ("dir_organisations", "iv_initiatives", "iv_people", "iv_clocks", "iv_counts")
# name: (table, columns): the filters of a ward's lists and dashboards, over every version,
# then the position a version started at (the past of one ward, without the others').
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "iv_initiatives_org_held": ("iv_initiatives", ("employing_organisation_id", "status")),
    "iv_initiatives_addressee_held": ("iv_initiatives", ("addressee_id", "status")),
    "iv_initiatives_authority_held": ("iv_initiatives", ("authority_id", "status")),
    "iv_clocks_org_held": ("iv_clocks", ("organisation_id",)),
}

# The existing tables this revision changes (migrations._recreate_lost reads it), on the
# databases of `changes_on` only (tests/integration/test_migrations.py checks both).
alters: tuple[str, ...] = TABLES
changes_on: tuple[str, ...] = ("postgresql",)


def upgrade() -> None:
    """A GiST index on the range of positions of each history table (PostgreSQL)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(
            f"CREATE INDEX {table}_held ON {table}"
            " USING gist (int8range(from_position, to_position))"
        )
    for name, (table, columns) in FILTERS.items():
        op.create_index(name, table, [*columns, "from_position"])


def downgrade() -> None:
    """Drop them."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, (table, _) in reversed(FILTERS.items()):
        op.drop_index(name, table_name=table)
    for table in reversed(TABLES):
        op.drop_index(f"{table}_held", table_name=table)
