"""The indexes of a ward's past keyed by the organisation as a `uuid` (PostgreSQL): revision
0012's GiST indexes on an organisation column and the span of positions, built again on
`(column)::uuid` instead of the text.

btree_gist compares text with the column's collation, a call into the C library for every
comparison a GiST insertion makes on its way down the tree; a `uuid` is 16 bytes compared as
such. Inserting the 293,000 versions of 300,002 events into one such index: 6.9 s with the
text, 2.3 s with the `uuid` (36 against 40 MB); the rebuild writes into four of them. The reads
ask the same expression as of a past position (projections/history.py `org_is`); every
organisation id the views hold is a `uuid` written by the service (`ident`).

PostgreSQL builds each index while its table is locked for writes (the worker waits; the reads
go on). SQLite has none of these: nothing changes there.
"""

from __future__ import annotations

from alembic import op

from migrations.versions import r0012_ward_history_gist as r0012

revision: str = "0015"
down_revision: str | None = "0014"

INDEXES = r0012.INDEXES  # the same names, tables and columns
SPAN = r0012.SPAN

alters: tuple[str, ...] = r0012.alters
changes_on: tuple[str, ...] = ("postgresql",)


def _build(key: str) -> None:
    for name, (table, column) in INDEXES.items():
        op.drop_index(name, table_name=table)
        op.execute(f"CREATE INDEX {name} ON {table} USING gist ({key.format(column)}, {SPAN})")


def upgrade() -> None:
    """Each index built again on the organisation as a `uuid`."""
    if op.get_bind().dialect.name == "postgresql":
        _build("(({})::uuid)")


def downgrade() -> None:
    """Each index built again on the text, as revision 0012 made it."""
    if op.get_bind().dialect.name == "postgresql":
        _build("{}")
