"""The dashboards' working-day table and their shared answer cache.

`cal_days` holds, per working-day calendar (`calendar`: a digest of its holidays and swapped
working days, projections/workdays.py), each day of a span of years and its ordinal among the
working days from the span's first day: the working days in (a, b] are `ordinal(b) -
ordinal(a)`, so the deadlines and the inbox count them in one query rather than day by day in
Python. `cal_calendars` says which calendars are filled and over which days (a web process
fills its calendar's rows the first time it needs them; nothing is derived from the log).

`dashboard_answers` is the answer cache every web process shares (web/answers.py): one row
per dashboard question (the dashboard, its normalised filters, the caller's visibility scope,
the day it counts from), the views' tracking positions it was computed at and the answer
(JSON, deflated). It is served only while the views are at exactly those positions; rows are
evicted by age and by the total size (DASHBOARD_CACHE_SECONDS, DASHBOARD_CACHE_BYTES).

Three new tables, empty: no lock on, nor rewrite of, any existing table.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()

TEXT = sa.Text()


def upgrade() -> None:
    """Create the three tables (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "cal_calendars",
        sa.Column("calendar", TEXT, primary_key=True, autoincrement=False),
        sa.Column("first_day", TEXT, nullable=False),  # YYYY-MM-DD, ordinal 0 or 1
        sa.Column("last_day", TEXT, nullable=False),
        sa.Column("filled_at", TEXT, nullable=False),
    )
    op.create_table(
        "cal_days",
        sa.Column("calendar", TEXT, nullable=False),
        sa.Column("day", TEXT, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),  # working days in [first, day]
        sa.PrimaryKeyConstraint("calendar", "day"),
    )
    op.create_table(
        "dashboard_answers",
        sa.Column("key", TEXT, primary_key=True, autoincrement=False),  # SHA-256, hex
        sa.Column("dashboard", TEXT, nullable=False),
        sa.Column("position", TEXT, nullable=False),  # the views' positions, or asof:N
        sa.Column("head", sa.BigInteger(), nullable=False),  # the highest of them
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("answer", sa.LargeBinary(), nullable=False),  # JSON, deflated
        sa.Column("created_at", TEXT, nullable=False),
    )
    op.create_index("dashboard_answers_created", "dashboard_answers", ["created_at"])


def downgrade() -> None:
    """Drop them (both are caches: filled again on use)."""
    op.drop_index("dashboard_answers_created", "dashboard_answers")
    op.drop_table("dashboard_answers")
    op.drop_table("cal_days")
    op.drop_table("cal_calendars")
