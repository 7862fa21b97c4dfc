"""The initiatives' counts as of a past position, from a mark of all of them every few
thousand positions and the versions written since.

A count (per organisation, status, outcome and whether the initiative is a replication's child)
gains a version at almost every event, so "the counts that held at P" are a few thousand rows
among nearly as many versions as events: found through the span's GiST index (revision 0009,
dropped by 0014), 10 ms at 300,000 events and 45 at a million, against 4 for the present.
Every `MARK_EVERY` positions the initiatives view writes every non-zero count as it held at
that position (`iv_counts_marks`, in the batch's transaction, from the mark before it and the
versions written since); the counts as of P are then the last mark at or before P with, for
each count, the last version begun after it and by P: a few thousand rows whatever the length
of the log, merged in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from projections.db import Tx

Key = tuple[str, str, str, int]  # organisation_id, status, outcome ('' for none), child
Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]

# A mark every 2,048 positions: the counts as of P then read at most about 3,000 versions since
# the last mark. At 300,002 events, every 1,024, 2,048 and 4,096 positions: 420,000, 210,000
# and 105,000 rows of marks; the counts as of ten moments 3.4-4.7, 3.9-6.7 and 4.2-9.9 ms (now
# 2.6). A store whose marks were written further apart keeps them (each mark is exact at its
# position; the next follow this spacing) until the view is rebuilt.
MARK_EVERY = 2048
DDL = (
    "CREATE TABLE IF NOT EXISTS iv_counts_marks (mark BIGINT NOT NULL,"
    " organisation_id TEXT NOT NULL, status TEXT NOT NULL, outcome TEXT NOT NULL,"
    " child INTEGER NOT NULL, n BIGINT NOT NULL,"
    " PRIMARY KEY (mark, organisation_id, status, outcome, child))",
    # the versions begun after a mark, in order
    "CREATE INDEX IF NOT EXISTS iv_counts_from ON iv_counts (from_position)",
)
_COLUMNS = "organisation_id, status, outcome, child, n"
MARK_COLUMNS = ("mark", "organisation_id", "status", "outcome", "child", "n")


def _key(row: dict[str, Any]) -> Key:
    return (row["organisation_id"], row["status"], row["outcome"], int(row["child"]))


# `since`: of the versions begun after the last mark and by P, those that held at P: each
# count's last one (a count's versions follow one another, none ends without the next
# beginning, and a count that falls to 0 keeps its row; numbering them per count was a sort
# of every version since, 1.7 of 4.2 ms at a million events). The marks' counts that no
# version since replaced, then the versions since that are not zero.
AT = (
    "WITH m AS (SELECT COALESCE(MAX(mark), 0) AS mark FROM iv_counts_marks WHERE mark <= ?),"
    " since AS (SELECT organisation_id, status, outcome, child, n FROM iv_counts"
    " WHERE from_position > (SELECT mark FROM m) AND from_position <= ?"
    " AND (to_position IS NULL OR to_position > ?))"
    f" SELECT {_COLUMNS} FROM iv_counts_marks c WHERE c.mark = (SELECT mark FROM m)"
    " AND NOT EXISTS (SELECT 1 FROM since s WHERE s.organisation_id = c.organisation_id"
    " AND s.status = c.status AND s.outcome = c.outcome AND s.child = c.child)"
    f" UNION ALL SELECT {_COLUMNS} FROM since WHERE n <> 0"
)


def counts_at(query: Query, at: int) -> dict[Key, int]:
    """Every non-zero count as it held at log position `at`: the last mark at or before `at`,
    with each count's last version begun after the mark and by `at` in its place; merged by the
    database, which hands over only the counts (not every version since the mark)."""
    return {_key(row): int(row["n"]) for row in query(AT, [at, at, at])}


def marks_due(query: Query, upto: int) -> list[int]:
    """The positions of the marks not yet written, up to `upto` (the last position whose
    versions are written), in order."""
    found = query("SELECT MAX(mark) AS mark FROM iv_counts_marks", [])
    last = int(found[0]["mark"] or 0) if found else 0
    return list(range(last + MARK_EVERY, upto + 1, MARK_EVERY))


def mark_rows(query: Query, mark: int) -> list[tuple[Any, ...]]:
    """The rows of the mark at `mark` (the marks before it written): every non-zero count."""
    return [(mark, *key, n) for key, n in sorted(counts_at(query, mark).items())]


# Every mark up to a position at once, from the counts' versions (a parallel rebuild's: the
# table holds no mark yet): each non-zero version is in the marks its span covers, from the
# first multiple of MARK_EVERY at or after it begins to the last before it ends (or `upto`).
DERIVED = (
    f"INSERT INTO iv_counts_marks ({', '.join(MARK_COLUMNS)})"
    f" SELECT m, {_COLUMNS} FROM iv_counts CROSS JOIN LATERAL generate_series("
    f"(from_position + {MARK_EVERY - 1}) / {MARK_EVERY} * {MARK_EVERY},"
    f" COALESCE(to_position - 1, ?), {MARK_EVERY}) AS m WHERE n <> 0"
)


def derive(upto: int, tx: Tx) -> None:
    """Write in `tx` every mark up to position `upto` (none written yet) in one statement:
    what `write` writes mark after mark."""
    tx.execute(DERIVED, (upto,))


def write(upto: int, tx: Tx) -> None:
    """Write in `tx` the marks that the versions written up to position `upto` reach."""
    for mark in marks_due(tx.query, upto):
        tx.append("iv_counts_marks", MARK_COLUMNS, mark_rows(tx.query, mark))
