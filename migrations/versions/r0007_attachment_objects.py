"""Documents in an object store: `attachments.content` may be NULL, for a document whose bytes
an S3-compatible store keeps (ATTACHMENT_S3_*; projections/attachment_objects.py) under
`sha256/<digest>`; the row keeps the rest (digest, media type, size, uploader, time, the reading
of its signatures). The rows there keep their bytes.

PostgreSQL drops the NOT NULL in place (no rewrite); SQLite copies the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import BYTES

revision: str = "0007"
down_revision: str | None = "0006"

# The existing tables this revision changes (migrations._recreate_lost reads it).
alters: tuple[str, ...] = ("attachments",)


def upgrade() -> None:
    """`content` nullable."""
    with op.batch_alter_table("attachments") as batch:
        batch.alter_column("content", existing_type=BYTES, nullable=True)


def downgrade() -> None:
    """`content` required again: refused while a document's bytes are only in the object
    store (they would be lost to the database)."""
    kept_elsewhere = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM attachments WHERE content IS NULL")
    )
    if kept_elsewhere.scalar_one():
        raise RuntimeError(
            "documents are kept in the object store: copy their bytes into attachments.content"
            " before downgrading"
        )
    with op.batch_alter_table("attachments") as batch:
        batch.alter_column("content", existing_type=BYTES, nullable=False)
