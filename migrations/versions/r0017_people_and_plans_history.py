"""The directory's people and the units' plans keep their history (projections/history.py):
every version with the log positions in which it held, so the lists and dashboards that read
them as of a past moment (the directory's people, cadre records, a unit's plans and its plan
against its results) are indexed queries on the same tables, not a replay of the log.

The rows there now become the current versions, held from the log position their view had
reached; what they replaced was never kept, so `view_history` says that the directory's and
the plans' history start there: a moment before it is answered by the replay
(projections/asof.py) until `ledger projections rebuild` rebuilds the views with their whole
history. Each table's key gains `from_position`; the people's key on their directory key, and
a new one on the plans' unit and period, hold among the current rows only. Each table is
rewritten once (SQLite copies it; PostgreSQL rewrites its key).
"""

from __future__ import annotations

from alembic import op

from migrations.columns import BIG, may
from migrations.versions.r0006_bitemporal_views import CURRENT, _rekey

revision: str = "0017"
down_revision: str | None = "0016"

# table: (its view, its key before this revision)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dir_people": ("directory", ("id",)),
    "iv_unit_plans": ("unit_plans", ("organisation_id", "period")),
}
# The existing tables this revision changes (migrations._recreate_lost reads it).
alters: tuple[str, ...] = tuple(TABLES)


def upgrade() -> None:
    """Move each view's history start to where its view stands, then give each table its
    positions, its new key and its index of current rows."""
    for view in ("directory", "unit_plans"):
        op.execute(
            "INSERT INTO view_history (view, since) SELECT view, position"
            f" FROM projection_tracking WHERE view = '{view}' AND position > 0"
            " ON CONFLICT (view) DO UPDATE SET since = CASE WHEN excluded.since >"
            " view_history.since THEN excluded.since ELSE view_history.since END"
        )
    op.drop_index("dir_people_key", table_name="dir_people")
    for table, (view, old_key) in TABLES.items():
        op.add_column(table, may("from_position", BIG))
        op.add_column(table, may("to_position", BIG))
        op.execute(
            f"UPDATE {table} SET from_position ="
            f" COALESCE((SELECT position FROM projection_tracking WHERE view = '{view}'), 0)"
        )
        _rekey(table, old_key)
    op.create_index(
        "dir_people_key",
        "dir_people",
        ["key"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )
    op.create_index(
        "iv_unit_plans_current",
        "iv_unit_plans",
        ["organisation_id", "period"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )


def downgrade() -> None:
    """Not supported: the history rows have no place in the old tables (rebuild the views
    after restoring the previous release's schema)."""
    raise NotImplementedError("the people's and the plans' history cannot be downgraded")
