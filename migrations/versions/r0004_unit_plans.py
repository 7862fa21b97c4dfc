"""Units' plans and reviews: the view of each unit's plan per period and of its interim and
final reviews (projections/plans_view.py).

Two new tables, empty: no lock on, nor rewrite of, any existing table. The worker fills them
from the log (events recorded before this release hold no plan and no review).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()

TEXT = sa.Text()


def upgrade() -> None:
    """Create both tables and the reviews' index (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "iv_unit_plans",
        sa.Column("organisation_id", TEXT, nullable=False),
        sa.Column("period", TEXT, nullable=False),  # 2026, 2026-H1, 2026-Q3, 2026-07
        sa.Column("plan_id", TEXT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("targets", TEXT, nullable=False),  # JSON: [{indicator, target}]
        sa.Column("responsible_person_ids", TEXT, nullable=False),  # JSON
        sa.Column("summary", TEXT, nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("recorded_at", TEXT, nullable=False),
        sa.Column("updated_at", TEXT, nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "period"),
    )
    op.create_table(
        "iv_unit_reviews",
        # as `position BIGINT PRIMARY KEY` makes it (SQLite's reading: not NOT NULL)
        sa.Column(
            "position", sa.BigInteger(), primary_key=True, autoincrement=False, nullable=True
        ),
        sa.Column("reviews_id", TEXT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organisation_id", TEXT, nullable=False),
        sa.Column("period", TEXT, nullable=False),
        sa.Column("kind", TEXT, nullable=False),  # interim, final
        sa.Column("figures", TEXT, nullable=False),  # JSON: {indicator: n}
        sa.Column("as_of_position", sa.BigInteger(), nullable=False),
        sa.Column("lessons", TEXT, nullable=False),
        sa.Column("replicate", TEXT, nullable=False),  # JSON: [initiative id]
        sa.Column("institutionalise", TEXT, nullable=False),  # JSON: [initiative id]
        sa.Column("actor_person_id", TEXT, nullable=True),
        sa.Column("actor_name", TEXT, nullable=True),
        sa.Column("recorded_at", TEXT, nullable=False),
    )
    op.create_index(
        "iv_unit_reviews_org", "iv_unit_reviews", ["organisation_id", "period", "position"]
    )


def downgrade() -> None:
    """Drop them (the worker rebuilds them from the log after an upgrade)."""
    op.drop_index("iv_unit_reviews_org", table_name="iv_unit_reviews")
    op.drop_table("iv_unit_reviews")
    op.drop_table("iv_unit_plans")
