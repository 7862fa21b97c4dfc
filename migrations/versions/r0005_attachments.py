"""Documents bound into the record: the uploaded files (`attachments`, content-addressed by
their SHA-256) and the view of which initiative's events refer to which of them
(`iv_documents`, projections/documents_view.py).

An attachment is stored once per digest, its bytes in the database (BYTEA on PostgreSQL, a
BLOB on SQLite), with its media type as sniffed from its first bytes, its size, who uploaded it
and when, and the reading of a PDF's embedded signatures (JSON; null for an image). Nothing
updates or deletes a row: the digest is the content's.

Two new tables, empty: no lock on, nor rewrite of, any existing table. The worker fills
`iv_documents` from the log (events recorded before this release refer to no document).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()

TEXT = sa.Text()


def upgrade() -> None:
    """Create both tables (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "attachments",
        sa.Column("sha256", TEXT, primary_key=True, autoincrement=False),  # 64 hex digits
        sa.Column("media_type", TEXT, nullable=False),  # application/pdf, image/png, image/jpeg
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),  # BLOB, BYTEA
        sa.Column("signatures", TEXT, nullable=True),  # JSON: a PDF's signatures as read
        sa.Column("uploaded_at", TEXT, nullable=False),
        sa.Column("uploaded_by", TEXT, nullable=False),  # the person's id
    )
    op.create_table(
        "iv_documents",
        sa.Column("sha256", TEXT, nullable=False),
        sa.Column("initiative_id", TEXT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "initiative_id", "version"),
    )


def downgrade() -> None:
    """Drop them (the documents go with the first; the worker rebuilds the second)."""
    op.drop_table("iv_documents")
    op.drop_table("attachments")
