"""The counts as of a past position from a mark of all of them every few thousand positions
(projections/count_marks.py): the dashboards of outcomes and the funnel as of a past moment read
the last mark and the versions since, not every version that held.

A new table, `iv_counts_marks`, filled here from the counts' versions already written (one
mark every `MARK_EVERY` positions up to the last version; the worker writes the next ones),
and a B-tree on `iv_counts (from_position)`: the versions begun after a mark, in order.
Building the index locks `iv_counts` for writes (the worker waits; the reads go on).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from migrations.columns import BIG, INT, TEXT, need
from projections import count_marks

revision: str = "0013"
down_revision: str | None = "0012"

alters: tuple[str, ...] = ("iv_counts",)


def fill(conn: sa.Connection) -> int:
    """Write the marks the versions already written reach; how many were written."""
    postgres = conn.dialect.name == "postgresql"

    def query(statement: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        driver = statement.replace("?", "%s") if postgres else statement
        return [dict(row._mapping) for row in conn.exec_driver_sql(driver, tuple(params))]

    last = query("SELECT MAX(from_position) AS p FROM iv_counts", [])[0]["p"]
    marks = count_marks.marks_due(query, int(last or 0))
    insert = sa.text(
        "INSERT INTO iv_counts_marks (mark, organisation_id, status, outcome, child, n)"
        " VALUES (:mark, :organisation_id, :status, :outcome, :child, :n)"
    )
    for mark in marks:
        rows = count_marks.mark_rows(query, mark)
        if rows:
            conn.execute(
                insert, [dict(zip(count_marks.MARK_COLUMNS, r, strict=True)) for r in rows]
            )
    return len(marks)


def upgrade() -> None:
    """Create the table and the index, then write the marks."""
    op.create_table(
        "iv_counts_marks",
        need("mark", BIG),
        need("organisation_id", TEXT),
        need("status", TEXT),
        need("outcome", TEXT),
        need("child", INT),
        need("n", BIG),
        sa.PrimaryKeyConstraint("mark", "organisation_id", "status", "outcome", "child"),
    )
    op.create_index("iv_counts_from", "iv_counts", ["from_position"])
    fill(op.get_bind())


def downgrade() -> None:
    """Drop them."""
    op.drop_index("iv_counts_from", table_name="iv_counts")
    op.drop_table("iv_counts_marks")
