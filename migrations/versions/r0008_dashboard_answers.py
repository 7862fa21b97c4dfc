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
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import BIG, BYTES, INT, TEXT, key_not_null, need

revision: str = "0008"
down_revision: str | None = "0007"

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()


def upgrade() -> None:
    """Create the three tables (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "cal_calendars",
        key_not_null("calendar", TEXT),
        need("first_day", TEXT),  # YYYY-MM-DD, ordinal 0 or 1
        need("last_day", TEXT),
        need("filled_at", TEXT),
    )
    op.create_table(
        "cal_days",
        need("calendar", TEXT),
        need("day", TEXT),
        need("ordinal", INT),  # working days in [first, day]
        sa.PrimaryKeyConstraint("calendar", "day"),
    )
    op.create_table(
        "dashboard_answers",
        key_not_null("key", TEXT),  # SHA-256, hex
        need("dashboard", TEXT),
        need("position", TEXT),  # the views' positions, or asof:N
        need("head", BIG),  # the highest of them
        need("size", BIG),
        need("answer", BYTES),  # JSON, deflated
        need("created_at", TEXT),
    )
    op.create_index("dashboard_answers_created", "dashboard_answers", ["created_at"])


def downgrade() -> None:
    """Drop them (both are caches: filled again on use)."""
    op.drop_index("dashboard_answers_created", "dashboard_answers")
    op.drop_table("dashboard_answers")
    op.drop_table("cal_days")
    op.drop_table("cal_calendars")
