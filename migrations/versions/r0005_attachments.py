"""Documents bound into the record: the uploaded files (`attachments`, content-addressed by
their SHA-256) and the view of which initiative's events refer to which of them
(`iv_documents`, projections/documents_view.py).

An attachment is stored once per digest, its bytes in the database (BYTEA on PostgreSQL, a
BLOB on SQLite), with its media type as sniffed from its first bytes, its size, who uploaded it
and when, and the reading of a PDF's embedded signatures (JSON; null for an image). Nothing
updates or deletes a row: the digest is the content's.

Two new tables, empty: no lock on, nor rewrite of, any existing table. The worker fills
`iv_documents` from the log (events recorded before this release refer to no document).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import BIG, BYTES, INT, TEXT, key_not_null, may, need

revision: str = "0005"
down_revision: str | None = "0004"

# The existing tables this revision changes (`ledger migrate` recreates a table a store lost
# only if no revision changed it; tests/integration/test_migrations.py checks the list).
alters: tuple[str, ...] = ()


def upgrade() -> None:
    """Create both tables (the same on SQLite and PostgreSQL)."""
    op.create_table(
        "attachments",
        key_not_null("sha256", TEXT),  # 64 hex digits
        need("media_type", TEXT),  # application/pdf, image/png, image/jpeg
        need("size", BIG),
        need("content", BYTES),  # BLOB, BYTEA
        may("signatures", TEXT),  # JSON: a PDF's signatures as read
        need("uploaded_at", TEXT),
        need("uploaded_by", TEXT),  # the person's id
    )
    op.create_table(
        "iv_documents",
        need("sha256", TEXT),
        need("initiative_id", TEXT),
        need("version", INT),
        sa.PrimaryKeyConstraint("sha256", "initiative_id", "version"),
    )


def downgrade() -> None:
    """Drop them (the documents go with the first; the worker rebuilds the second)."""
    op.drop_table("iv_documents")
    op.drop_table("attachments")
