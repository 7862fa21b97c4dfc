"""Bitemporal views: the initiatives' rows (with their people, clocks and counts) and the
organisations keep every version with the log positions in which it held
(`from_position`, `to_position`; projections/history.py), so a past moment's dashboards are
indexed queries on the same tables.

The rows there are now become the current versions, held from the log position the view had
reached (an initiative's: from its last event's position); what they replaced was never kept,
so `view_history` records, per view, that its history starts there: a moment before it is
answered by the replay (projections/asof.py) until `ledger projections rebuild` rebuilds the
view with its whole history. The key of each table gains `from_position`; the indexes the
present reads become partial (`to_position IS NULL`), so the present reads as many rows as
before. Each table is rewritten once (SQLite copies it; PostgreSQL rewrites its key).
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import op

from migrations.columns import BIG, TEXT, key, may, need

revision: str = "0006"
down_revision: str | None = "0005"

# The existing tables this revision changes (migrations._recreate_lost reads it).
alters: tuple[str, ...] = (
    "dir_organisations",
    "iv_initiatives",
    "iv_people",
    "iv_clocks",
    "iv_counts",
)

CURRENT = sa.text("to_position IS NULL")
PAST = sa.text("to_position IS NOT NULL")
OPEN_OR_LATE = sa.text("to_position IS NULL AND (finished_on IS NULL OR finished_on > due_on)")

# table: (the view whose position the current rows hold from, the old key, the old indexes)
TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "dir_organisations": ("directory", ("id",), ("dir_organisations_key",)),
    "iv_initiatives": (
        "initiatives",
        ("id",),
        tuple(
            f"iv_initiatives_{name}"
            for name in ("org", "addressee", "authority", "status", "updated", "created")
        ),
    ),
    "iv_people": (
        "initiatives",
        ("initiative_id", "person_id", "relation"),
        ("iv_people_person",),
    ),
    "iv_clocks": (
        "initiatives",
        ("initiative_id", "seq"),
        ("iv_clocks_open", "iv_clocks_org", "iv_clocks_open_or_late"),
    ),
    "iv_counts": ("initiatives", ("organisation_id", "status", "outcome", "child"), ()),
}

# name: (table, columns, condition, unique)
INDEXES: dict[str, tuple[str, tuple[str, ...], sa.TextClause, bool]] = {
    "dir_organisations_key": ("dir_organisations", ("key",), CURRENT, True),
    "iv_initiatives_current": ("iv_initiatives", ("id",), CURRENT, True),
    "iv_initiatives_org": (
        "iv_initiatives",
        ("employing_organisation_id", "status"),
        CURRENT,
        False,
    ),
    "iv_initiatives_addressee": ("iv_initiatives", ("addressee_id", "status"), CURRENT, False),
    "iv_initiatives_authority": ("iv_initiatives", ("authority_id", "status"), CURRENT, False),
    "iv_initiatives_status": ("iv_initiatives", ("status", "updated_at"), CURRENT, False),
    "iv_initiatives_updated": ("iv_initiatives", ("updated_at", "id"), CURRENT, False),
    "iv_initiatives_created": ("iv_initiatives", ("created_at", "id"), CURRENT, False),
    "iv_initiatives_past": ("iv_initiatives", ("to_position", "from_position"), PAST, False),
    "iv_people_person": ("iv_people", ("person_id",), CURRENT, False),
    "iv_people_past": ("iv_people", ("person_id", "from_position"), PAST, False),
    "iv_clocks_open": ("iv_clocks", ("finished_on", "due_on"), CURRENT, False),
    "iv_clocks_org": ("iv_clocks", ("organisation_id", "name"), CURRENT, False),
    "iv_clocks_open_or_late": ("iv_clocks", ("organisation_id", "due_on"), OPEN_OR_LATE, False),
    "iv_clocks_past": ("iv_clocks", ("to_position", "from_position"), PAST, False),
    "iv_counts_current": (
        "iv_counts",
        ("organisation_id", "status", "outcome", "child"),
        CURRENT,
        True,
    ),
}


def upgrade() -> None:
    """Record where each view's history starts, then give every table its positions, its new
    key and its indexes."""
    op.create_table(
        "view_history",
        key("view", TEXT),
        need("since", BIG),
    )
    op.execute(
        "INSERT INTO view_history (view, since) SELECT view, position FROM projection_tracking"
        " WHERE view IN ('directory', 'initiatives') AND position > 0"
    )
    for table, (view, old_key, indexes) in TABLES.items():
        for index in indexes:
            op.drop_index(index, table_name=table)
        op.add_column(table, may("from_position", BIG))
        op.add_column(table, may("to_position", BIG))
        since = (
            "position"
            if table == "iv_initiatives"
            else f"COALESCE((SELECT position FROM projection_tracking WHERE view = '{view}'), 0)"
        )
        op.execute(f"UPDATE {table} SET from_position = {since}")
        _rekey(table, old_key)
    for name, (table, columns, condition, unique) in INDEXES.items():
        op.create_index(
            name,
            table,
            list(columns),
            unique=unique,
            sqlite_where=condition,
            postgresql_where=condition,
        )


def _rekey(table: str, old_key: tuple[str, ...]) -> None:
    """`from_position` required and part of the key (SQLite: the table copied; PostgreSQL:
    altered in place, its grants kept)."""
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(table, "from_position", nullable=False)
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, [*old_key, "from_position"])
        return
    with warnings.catch_warnings():
        # SQLAlchemy notes that the copy's key is the new one: what is asked for.
        warnings.filterwarnings("ignore", "Table '_alembic_tmp_", sa.exc.SAWarning)
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.alter_column("from_position", existing_type=BIG, nullable=False)
            batch.create_primary_key(f"{table}_pkey", [*old_key, "from_position"])


def downgrade() -> None:
    """Not supported: the history rows have no place in the old tables (rebuild the views
    after restoring the previous release's schema)."""
    raise NotImplementedError("bitemporal views cannot be downgraded")
