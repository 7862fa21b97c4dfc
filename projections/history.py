"""Bitemporal rows: a view's table keeps every version of a row with the log positions in
which it held — `from_position` (the event that made it) up to `to_position` (the event that
replaced it; NULL while it holds now).

The present reads `to_position IS NULL` (partial indexes keep it as fast as a table of current
rows); the past as of log position P reads the rows with `from_position <= P` and
`to_position` NULL or after P — the same tables, the same queries (`held`). A view writes a
batch's versions with a `Timeline`: one row per version, the versions made and replaced
inside the batch written already closed, and the rows the batch found current closed by one
UPDATE each. (The names are not `valid_from`/`valid_to`: the directory's organisations
already have those, their legal dates.)

`view_history` holds, per view, the first log position its history covers (`since`): a store
upgraded to bitemporal views kept its current rows (valid from the position of the upgrade)
but not what they replaced, so a moment before that is answered by the replay
(`projections/asof.py`) until the view is rebuilt (`ledger projections rebuild` starts its
history at 0).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from projections.db import Database, Tx, chunks

HISTORY_DDL = (
    "CREATE TABLE IF NOT EXISTS view_history (view TEXT PRIMARY KEY, since BIGINT NOT NULL)",
)
BITEMPORAL_VIEWS = ("directory", "initiatives", "unit_plans")
HISTORY = ("from_position", "to_position")  # the columns every version ends with (`Timeline`)


def held(alias: str, at: int | None, kind: str) -> str:
    """The condition selecting the rows of `alias` that held at log position `at` (None: now)
    on a database of `kind`.

    The position is an integer written into the statement (never text from a request). The
    past is `from_position <= at` and `to_position` NULL or after `at`; on PostgreSQL also
    `int8range(from_position, to_position) @> at`, the question the GiST index on that range
    of each history table answers (migrations r0009): the planner then finds the rows that
    held at `at` through the range (most of the log on either side of `at`) or through the
    bounds (few versions after `at`, or a selective filter beside them), whichever costs
    less. SQLite, which has no range type, reads the bounds alone."""
    prefix = f"{alias}." if alias else ""
    if at is None:
        return f"{prefix}to_position IS NULL"
    at = int(at)
    bounds = (
        f"{prefix}from_position <= {at}"
        f" AND ({prefix}to_position IS NULL OR {prefix}to_position > {at})"
    )
    if kind == "postgresql":
        span = f"int8range({prefix}from_position, {prefix}to_position)"
        return f"{span} @> {at}::bigint AND {bounds}"
    return bounds


def org_is(column: str, at: int | None, kind: str, count: int = 1) -> str:
    """`column` (an organisation's id) equal to the statement's next parameter, or in the next
    `count`. As of a past position on PostgreSQL, compared as a `uuid`: the key of the indexes
    on an organisation and the span (migrations r0015), 16 bytes that a GiST index keeps in a
    third of the time of the text's collated strings. The parameters must be ids (the API's
    schemas and the directory give no other); now, the text, which the current rows' B-trees
    hold."""
    slot = "?" if at is None or kind != "postgresql" else "CAST(? AS uuid)"
    compared = column if slot == "?" else f"({column})::uuid"
    if count == 1:
        return f"{compared} = {slot}"
    return f"{compared} IN ({', '.join([slot] * count) or 'NULL'})"


def held_unindexed(alias: str, at: int) -> str:
    """`held` as of log position `at`, written so that no index answers it: for a statement
    that reads its rows through another index and keeps these as it goes (the lists newest
    first as of a past position: projections/queries.py `_walked`)."""
    prefix = f"{alias}." if alias else ""
    at = int(at)
    return f"{prefix}from_position + 0 <= {at} AND COALESCE({prefix}to_position, {at} + 1) > {at}"


def held_by_span(alias: str, at: int, kind: str) -> str:
    """`held` as of log position `at`, written so that on PostgreSQL only the span's GiST index
    answers it (the bounds kept as filters): for a statement that has already learnt that the
    rows near one end of another index mostly did not hold (the lists newest first as of a past
    position whose walk found less than a page: projections/queries.py). The bounds' B-trees
    would read every version replaced after `at`. SQLite: `held`."""
    if kind != "postgresql":
        return held(alias, at, kind)
    prefix = f"{alias}." if alias else ""
    at = int(at)
    span = f"int8range({prefix}from_position, {prefix}to_position)"
    return f"{span} @> {at}::bigint AND {held_unindexed(alias, at)}"


def held_in_organisation(alias: str, at: int | None, kind: str) -> str:
    """`held` for a statement that also selects the rows of `alias` by an organisation
    (`org_is`): as of a past position on PostgreSQL, only the GiST index on that organisation
    and the span answers it (`held_by_span`), which finds that organisation's versions that held
    whatever the position. With the bounds as index conditions, the planner, near the head of
    the log, also read the whole of a partial index of current rows to AND its bitmap with the
    span's (1,000,007 events, 1,854 positions before the head: a ward head's list 16 ms against
    4.7 now, a ward's supervision coverage 2.6 against 1.0)."""
    return held(alias, at, kind) if at is None else held_by_span(alias, at, kind)


def held_within(alias: str, at: int | None, kind: str, organisations: object) -> str:
    """`held` for a statement that selects the rows of `alias` by `organisations` (None: every
    organisation's, no organisation named): `held_in_organisation` when it names some."""
    return (held if organisations is None else held_in_organisation)(alias, at, kind)


def history_since(db: Database) -> int:
    """The first log position every bitemporal view's history covers."""
    rows = db.query("SELECT view, since FROM view_history")
    known = {r["view"]: int(r["since"]) for r in rows}
    return max((known.get(view, 0) for view in BITEMPORAL_VIEWS), default=0)


class _Unknown:
    """The values of a row the batch found current in the table (not known here)."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


UNKNOWN: Any = _Unknown()


class Timeline:
    """A batch's versions of a table's rows, by key, in log order.

    `known(key)` says a row is current in the table before the batch; `put(position, key,
    values)` is its version after the event at `position` (None: no such row any more).
    `closes()` are the (position, *key) of the table's current rows to close;
    `rows()` the versions to insert: (*key, *values, from_position, to_position)."""

    def __init__(self) -> None:
        self._open: dict[Hashable, tuple[Any, int | None]] = {}
        self._closes: list[tuple[Any, ...]] = []
        self._rows: list[tuple[Any, ...]] = []

    def known(self, key: Hashable, values: Sequence[Any] | None = None) -> None:
        """A row with `key` is current in the table, holding `values` (None: not known here,
        so the next version replaces it whatever it holds)."""
        self._open.setdefault(key, (UNKNOWN if values is None else tuple(values), None))

    def put(self, position: int, key: Hashable, values: Sequence[Any] | None) -> None:
        """The row `key` holds `values` from `position` on (None: it ends there)."""
        current = self._open.get(key)
        if current is not None:
            if values is not None and current[0] == tuple(values):
                return
            self._end(key, position)
        if values is not None:
            self._open[key] = (tuple(values), position)

    def put_all(self, position: int, rows: Mapping[Any, Sequence[Any]], keys: set[Any]) -> None:
        """The rows whose keys are `keys` (one owner's) become `rows` from `position` on;
        `keys` becomes their keys."""
        for key in sorted(keys - rows.keys(), key=repr):
            self.put(position, key, None)
        for key, values in rows.items():
            self.put(position, key, values)
        keys.clear()
        keys.update(rows)

    def _end(self, key: Hashable, position: int) -> None:
        values, since = self._open.pop(key)
        if since is None:
            self._closes.append((position, *_parts(key)))
        else:
            self._rows.append((*_parts(key), *values, since, position))

    def ended(self) -> list[tuple[Any, ...]]:
        """The versions made and replaced since the last call, taken out of the timeline (a
        partition of a parallel rebuild keeps one timeline from its first batch to its last,
        writing each version once, closed, and the current ones at its end)."""
        ended, self._rows = self._rows, []
        return ended

    def closes(self) -> list[tuple[Any, ...]]:
        """(position, *key) of each row current before the batch that the batch replaced."""
        return list(self._closes)

    def rows(self) -> list[tuple[Any, ...]]:
        """Every version the batch made, closed or still current."""
        current = [
            (*_parts(key), *values, since, None)
            for key, (values, since) in self._open.items()
            if since is not None
        ]
        return self._rows + current


def _parts(key: Hashable) -> tuple[Any, ...]:
    return key if isinstance(key, tuple) else (key,)


def close(tx: Tx, table: str, key: Sequence[str], closes: list[tuple[Any, ...]]) -> None:
    """Close the current rows of `table` that a batch replaced: `closes` holds (position,
    *key) for each. One statement for up to `db.CHUNK` rows (a statement per row cost a
    rebuild a fifth of its time in the database, at 300,002 events)."""
    names = ", ".join(["p", *(f"k{i}" for i in range(len(key)))])
    matched = " AND ".join(f"{table}.{column} = v.k{i}" for i, column in enumerate(key))
    for chunk in chunks(closes):
        # integers cast, so that PostgreSQL types the list's columns as the table's
        row = "(" + ", ".join(_slot(value) for value in chunk[0]) + ")"
        tx.execute(
            f"WITH v ({names}) AS (VALUES {', '.join([row] * len(chunk))})"
            f" UPDATE {table} SET to_position = v.p FROM v"
            f" WHERE {matched} AND {table}.to_position IS NULL",
            [value for closed in chunk for value in closed],
        )


def _slot(value: Any) -> str:
    return "CAST(? AS BIGINT)" if isinstance(value, int) else "?"


def restart(tx: Tx, views: Sequence[str]) -> None:
    """The views were emptied to be rebuilt: their history will start at the first event."""
    for view in views:
        if view in BITEMPORAL_VIEWS:
            tx.execute("DELETE FROM view_history WHERE view = ?", (view,))
