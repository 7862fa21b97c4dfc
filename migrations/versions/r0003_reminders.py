"""The reminders' tables: each person's choices, and every digest sent.

`reminder_preferences` keeps what a person chose for the daily reminders (web/reminders.py):
their language (`vi`, `en`) and whether they opted out; set with `ledger reminders prefer`.
`reminder_sendings` records each digest before it is handed to the SMTP server and marks it
sent after: its key (digest, day, person) is what makes a digest go at most once a day to each
person, whatever crashes and however many senders run (docs/operations.md "Reminders").

Two new tables, empty: no lock on, nor rewrite of, any existing table.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()

TEXT = sa.Text()


def upgrade() -> None:
    """Create both tables (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "reminder_preferences",
        sa.Column("person_id", TEXT, primary_key=True, autoincrement=False),
        sa.Column("language", TEXT, nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TEXT, nullable=False),
    )
    op.create_table(
        "reminder_sendings",
        sa.Column("digest", TEXT, nullable=False),  # "daily"
        sa.Column("day", TEXT, nullable=False),  # the day it is the digest of (YYYY-MM-DD)
        sa.Column("person_id", TEXT, nullable=False),
        sa.Column("address", TEXT, nullable=False),
        sa.Column("language", TEXT, nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("message_id", TEXT, nullable=False),
        # sending (recorded, not yet confirmed), sent, failed (refused: not delivered)
        sa.Column("status", TEXT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", TEXT, nullable=False),
        sa.Column("sent_at", TEXT, nullable=True),
        sa.Column("error", TEXT, nullable=True),
        sa.PrimaryKeyConstraint("digest", "day", "person_id"),
    )


def downgrade() -> None:
    """Drop them (the record of what was sent goes with them)."""
    op.drop_table("reminder_sendings")
    op.drop_table("reminder_preferences")
