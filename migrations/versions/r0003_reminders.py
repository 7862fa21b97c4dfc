"""The reminders' tables: each person's choices, and every digest sent.

`reminder_preferences` keeps what a person chose for the daily reminders (web/reminders.py):
their language (`vi`, `en`) and whether they opted out; set with `ledger reminders prefer`.
`reminder_sendings` records each digest before it is handed to the SMTP server and marks it
sent after: its key (digest, day, person) is what makes a digest go at most once a day to each
person, whatever crashes and however many senders run (docs/operations.md "Reminders").

Two new tables, empty: no lock on, nor rewrite of, any existing table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import BOOL, INT, TEXT, key_not_null, may, need

revision: str = "0003"
down_revision: str | None = "0002"

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()


def upgrade() -> None:
    """Create both tables (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "reminder_preferences",
        key_not_null("person_id", TEXT),
        need("language", TEXT),
        need("opted_out", BOOL),
        need("updated_at", TEXT),
    )
    op.create_table(
        "reminder_sendings",
        need("digest", TEXT),  # "daily"
        need("day", TEXT),  # the day it is the digest of (YYYY-MM-DD)
        need("person_id", TEXT),
        need("address", TEXT),
        need("language", TEXT),
        need("items", INT),
        need("message_id", TEXT),
        # sending (recorded, not yet confirmed), sent, failed (refused: not delivered)
        need("status", TEXT),
        need("attempts", INT),
        need("claimed_at", TEXT),
        may("sent_at", TEXT),
        may("error", TEXT),
        sa.PrimaryKeyConstraint("digest", "day", "person_id"),
    )


def downgrade() -> None:
    """Drop them (the record of what was sent goes with them)."""
    op.drop_table("reminder_sendings")
    op.drop_table("reminder_preferences")
