"""The indexes a parallel rebuild builds at its end (projections/parallel.py): a new table,
`view_deferred_indexes`, one row per index of a view's table that the rebuild dropped when it
emptied the views, with the statement that creates it again.

At a million events, keeping the views' 30-odd secondary indexes up to date while the
partitions write cost PostgreSQL 113 of its 179 s of CPU; building them once the tables are
full costs 77 s, beside the counts' derivation. The row is written, and the index dropped, in
the transaction that empties the views; the rebuild creates every index again before it moves
the views to the head, and a worker that finds a rebuild stopped creates them again as it
empties the views (`projections/worker.py`): no index stays missing once the views are
current. Nothing else reads the table; on SQLite it stays empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.columns import TEXT, key_not_null, need

revision: str = "0016"
down_revision: str | None = "0015"

alters: tuple[str, ...] = ()


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "view_deferred_indexes",
        key_not_null("name", TEXT),
        need("view", TEXT),
        need("definition", TEXT),
    )


def downgrade() -> None:
    """Create the indexes it still names, then drop it."""
    conn = op.get_bind()
    for (definition,) in conn.execute(sa.text("SELECT definition FROM view_deferred_indexes")):
        conn.exec_driver_sql(definition)
    op.drop_table("view_deferred_indexes")
