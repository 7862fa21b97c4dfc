"""Index the verifications by time.

`/api/health` and the ledger page read the last full verification on every call
(projections.ledger.verifications.latest: ORDER BY verified_at DESC LIMIT 1), and the worker
adds a row every LEDGER_VERIFY_INTERVAL (an hour by default), for ever: without an index each
health check reads and sorts the whole table; with it, one entry.
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"

# The existing tables this revision changes (migrations._recreate_lost reads it).
alters: tuple[str, ...] = ("ledger_verifications",)


def upgrade() -> None:
    """Add the index (the table only grows, an entry per verification)."""
    op.create_index("ledger_verifications_time", "ledger_verifications", ["verified_at"])


def downgrade() -> None:
    """Remove it."""
    op.drop_index("ledger_verifications_time", table_name="ledger_verifications")
