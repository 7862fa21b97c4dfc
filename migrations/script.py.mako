"""${message}

Why the change is needed, what reads or writes it, and what it costs on a deployed database
(a lock, a rewrite of a table, a backfill).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Column types and helpers (TEXT, BIG…, need, may, key…): from migrations.columns import …

revision: str = "${up_revision}"
down_revision: str | None = ${'"%s"' % down_revision if down_revision else "None"}

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()


def upgrade() -> None:
    """The change, for both databases (op.* and SQLAlchemy Core; raw SQL only for what is one
    database's own, behind `op.get_bind().dialect.name`)."""
    ${upgrades if upgrades else "raise NotImplementedError"}


def downgrade() -> None:
    """The way back, where there is one."""
    ${downgrades if downgrades else "raise NotImplementedError"}
