"""The past of one ward found by its organisation and its position together, on PostgreSQL:
GiST indexes on an organisation column and the span of positions in which each version held,
in place of revision 0009's B-trees on the same columns.

As of position P, a ward's list of one status ("in progress at Bến Thành"), its supervision
coverage, its inbox and its deadlines read the versions of that ward that held at P. Revision
0009 gave them a B-tree on the filter and `from_position`: it reads every version of the ward
begun by P, most of them replaced long before (a ward's pilots gain a version at every
supervision note), and keeps the few that still held. A GiST index on the organisation and
`int8range(from_position, to_position)` answers both conditions at once: the versions of that
ward that held at P (the status is then a filter over them). Measured on 300,002 events, worst
past p95 ÷ present p95 with revision 0011 before and this one after (docs/performance.md; one
run each): one ward in progress 4.4 → 1.4, supervision coverage 8.0 → 1.3, inbox 2.4 → 1.0,
deadlines 3.1 → 2.3; a rebuild 2,562 → 2,635 events/s (the B-trees they replace cost as much
to keep). With the status in the index too, a rebuild was 14 % slower for no better reads.
pg_dump's `--extension` (named by `ledger backup`) needs the client of PostgreSQL 14 or later.

A GiST index on a text column takes the operator classes of the btree_gist extension (shipped
with PostgreSQL, trusted since PostgreSQL 13: the database's owner may create it). It is
created in the schema `public` unless the database has it, so that it outlives any one store's
schema; `ledger backup` names it to pg_dump, so that a restore creates it before the indexes.

PostgreSQL builds each index while its table is locked for writes (the worker waits; the reads
go on). SQLite has neither range types nor GiST: nothing changes there.
"""

from __future__ import annotations

from alembic import op

from migrations.versions import r0009_history_range_indexes as r0009

revision: str = "0012"
down_revision: str | None = "0011"

SPAN = "int8range(from_position, to_position)"
# name: (table, column); each index also holds the span of positions.
INDEXES: dict[str, tuple[str, str]] = {
    "iv_initiatives_org_span": ("iv_initiatives", "employing_organisation_id"),
    "iv_initiatives_addressee_span": ("iv_initiatives", "addressee_id"),
    "iv_initiatives_authority_span": ("iv_initiatives", "authority_id"),
    "iv_clocks_org_span": ("iv_clocks", "organisation_id"),
}
# Revision 0009's B-trees they replace: (table, columns), by name.
REPLACED = r0009.FILTERS

alters: tuple[str, ...] = ("iv_initiatives", "iv_clocks")
changes_on: tuple[str, ...] = ("postgresql",)


def upgrade() -> None:
    """btree_gist (in `public`, unless the database has it), the indexes, then the B-trees
    they replace dropped."""
    if op.get_bind().dialect.name != "postgresql":
        return
    # The extension is the database's, and the migration's lock is the store's: two stores of
    # one database migrating at once would both find it missing (the second would fail on
    # the catalog's unique key). A lock of the whole database, held to the commit, orders them.
    op.execute("SELECT pg_advisory_xact_lock(hashtext('initiative-ledger: btree_gist'))")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public")
    for name, (table, column) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} USING gist ({column}, {SPAN})")
    for name, (table, _) in REPLACED.items():
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    """Revision 0009's B-trees again, these dropped (the extension stays: other schemas of
    the database may use it)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, (table, columns) in REPLACED.items():
        op.create_index(name, table, [*columns, "from_position"])
    for name, (table, _) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
