"""The counts' versions lose their span index (PostgreSQL): since revision 0013 the counts as of
a past position are the last mark and the versions begun after it (projections/count_marks.py),
read by `from_position`; nothing asks revision 0009's GiST index on `iv_counts` any more.

It was the most written index of the log: a count gains a version at almost every event and
loses its current one once per batch, and each of those writes inserted into the GiST index
(at 300,002 events: 380,000 insertions per rebuild, 97 MB). The present reads
`iv_counts_current`, the marks `iv_counts_from`; both stay.

Downgrade builds it again (the table is locked for writes meanwhile; reads go on). SQLite never
had it: nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"

INDEX = "iv_counts_held"

alters: tuple[str, ...] = ("iv_counts",)
changes_on: tuple[str, ...] = ("postgresql",)


def upgrade() -> None:
    """Drop the counts' span index."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="iv_counts")


def downgrade() -> None:
    """Build it again."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE INDEX {INDEX} ON iv_counts USING gist (int8range(from_position, to_position))"
    )
