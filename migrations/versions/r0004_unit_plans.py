"""Units' plans and reviews: the view of each unit's plan per period and of its interim and
final reviews (projections/plans_view.py).

Two new tables, empty: no lock on, nor rewrite of, any existing table. The worker fills them
from the log (events recorded before this release hold no plan and no review).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import BIG, INT, TEXT, key, may, need

revision: str = "0004"
down_revision: str | None = "0003"

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()


def upgrade() -> None:
    """Create both tables and the reviews' index (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "iv_unit_plans",
        need("organisation_id", TEXT),
        need("period", TEXT),  # 2026, 2026-H1, 2026-Q3, 2026-07
        need("plan_id", TEXT),
        need("version", INT),
        need("position", BIG),
        need("targets", TEXT),  # JSON: [{indicator, target}]
        need("responsible_person_ids", TEXT),  # JSON
        need("summary", TEXT),
        need("revisions", INT),
        need("recorded_at", TEXT),
        need("updated_at", TEXT),
        sa.PrimaryKeyConstraint("organisation_id", "period"),
    )
    op.create_table(
        "iv_unit_reviews",
        # as `position BIGINT PRIMARY KEY` makes it (SQLite's reading: not NOT NULL)
        key("position", BIG),
        need("reviews_id", TEXT),
        need("version", INT),
        need("organisation_id", TEXT),
        need("period", TEXT),
        need("kind", TEXT),  # interim, final
        need("figures", TEXT),  # JSON: {indicator: n}
        need("as_of_position", BIG),
        need("lessons", TEXT),
        need("replicate", TEXT),  # JSON: [initiative id]
        need("institutionalise", TEXT),  # JSON: [initiative id]
        may("actor_person_id", TEXT),
        may("actor_name", TEXT),
        need("recorded_at", TEXT),
    )
    op.create_index(
        "iv_unit_reviews_org", "iv_unit_reviews", ["organisation_id", "period", "position"]
    )


def downgrade() -> None:
    """Drop them (the worker rebuilds them from the log after an upgrade)."""
    op.drop_index("iv_unit_reviews_org", table_name="iv_unit_reviews")
    op.drop_table("iv_unit_reviews")
    op.drop_table("iv_unit_plans")
