"""The deadlines and the inbox with their working days counted by SQL over the working-day
table (projections/workdays.py), whole or a page at a time.

The answers are those of `queries.deadlines` and `queries.inbox` (the reference, which counts
each due date's working days in Python): the same rows, values and order. Each row's count is
a difference of two ordinals joined from `cal_days`; a date outside the table's years, or a
table not filled yet (a reader node before any writer filled it), is counted in Python as
before. A page (`Page`: a limit and the cursor of the page before) is read by the database
in the answer's order, with the totals beside it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.calendar import WorkingCalendar
from projections import queries, workdays
from projections.db import Database, Row
from projections.history import held, held_in_organisation, held_within, org_is
from projections.queries import ALL_NOW, ReadScope


def clock_columns(
    at: int | None, kind: str, clocks: str = "iv_clocks", one_by_one: bool = False
) -> str:
    """The clocks' columns and tables: each clock (of `clocks`, a table or a subquery) and its
    initiative as they held at log position `at` (None: now; projections/history.py), with the
    ordinals of its dates. `one_by_one` (PostgreSQL): each clock's initiative looked up by its
    key, never by a join of every initiative that held."""
    initiative = f"iv_initiatives i ON i.id = c.initiative_id AND {held('i', at, kind)}"
    if one_by_one and kind == "postgresql":
        # A few hundred clocks of a ward: as of a position near the head the planner, which
        # multiplies the span's and the bounds' selectivities (the same fact twice), expected a
        # tenth of the initiatives that held and hashed them all (55 ms at a million events,
        # against 3 at other moments). OFFSET 0 keeps the subquery from being merged away.
        initiative = (
            "LATERAL (SELECT i.title, i.status FROM iv_initiatives i"
            f" WHERE i.id = c.initiative_id AND {held('i', at, kind)} OFFSET 0) i ON TRUE"
        )
        if at is not None:
            # As of a past position, its last version begun by then, if it still held: one
            # entry of the key's index read backwards (the held one found among every version
            # begun by then was 4.5 of a ward's 8.8 ms, 1,854 positions before the head).
            initiative = (
                "LATERAL (SELECT i.title, i.status FROM (SELECT i.title, i.status,"
                " i.to_position FROM iv_initiatives i WHERE i.id = c.initiative_id"
                f" AND i.from_position <= {int(at)} ORDER BY i.from_position DESC LIMIT 1) i"
                f" WHERE i.to_position IS NULL OR i.to_position > {int(at)}) i ON TRUE"
            )
    return (
        "c.initiative_id, c.name, c.organisation_id, c.started_on, c.due_on, c.finished_on,"
        " i.title, i.status, c.seq AS seq_, d.ordinal AS due_ordinal, e.ordinal AS end_ordinal"
        f" FROM {clocks} c JOIN {initiative}"
        " LEFT JOIN cal_days d ON d.calendar = ? AND d.day = c.due_on"
        " LEFT JOIN cal_days e ON e.calendar = ? AND e.day = COALESCE(c.finished_on, ?)"
    )


# Clocks finished in time are neither running nor missed (the partial index
# iv_clocks_open_or_late holds only the others); of those, running: open and not yet due.
OPEN_OR_LATE = "(c.finished_on IS NULL OR c.finished_on > c.due_on)"
# Up to this many organisations (a ward and those under it), the whole answer's clocks look
# their initiatives up one by one (PostgreSQL); more (a city, the province): joined.
ONE_BY_ONE = 8
STATES = {
    "running": "c.finished_on IS NULL AND c.due_on >= ?",
    "missed": "(c.finished_on IS NOT NULL OR c.due_on < ?)",
}
# The inbox's order: with a due date first, by due date, then by id.
INBOX_ORDER = ("CASE WHEN c.due_on IS NULL THEN 1 ELSE 0 END", "COALESCE(c.due_on, '')", "i.id")


@dataclass(frozen=True)
class Page:
    """How many rows, and after which (`cursor`: the `next_cursor` of the page before)."""

    limit: int
    cursor: str | None = None


class _Counter:
    """Working days from the joined ordinals; counted in Python (once per pair of dates) for
    a date outside the table or while the table is not filled."""

    def __init__(self, db: Database, calendar: WorkingCalendar, today: date) -> None:
        span = workdays.ready(db, calendar)
        self.key = span.key if span is not None else ""
        found = db.query(
            "SELECT ordinal FROM cal_days WHERE calendar = ? AND day = ?",
            [self.key, today.isoformat()],
        )
        self.today_ordinal: int | None = int(found[0]["ordinal"]) if found else None
        self.today = today
        self.calendar = calendar
        self.known: dict[tuple[str, str | None], int] = {}

    def _python(self, start: str, end: str | None) -> int:
        if (start, end) not in self.known:
            last = date.fromisoformat(end) if end else self.today
            first = date.fromisoformat(start)
            self.known[start, end] = self.calendar.working_days_between(first, last)
        return self.known[start, end]

    def left(self, due: str, due_ordinal: int | None) -> int:
        """Working days in (today, due]."""
        if due_ordinal is None or self.today_ordinal is None:
            return -self._python(due, None)
        return int(due_ordinal) - self.today_ordinal

    def overdue(self, row: Row) -> int:
        """Working days in (due, end], the end being the finish or today."""
        if row["due_ordinal"] is None or row["end_ordinal"] is None:
            return self._python(row["due_on"], row["finished_on"])
        return int(row["end_ordinal"]) - int(row["due_ordinal"])


def deadlines(
    db: Database,
    today: date,
    calendar: WorkingCalendar,
    scope: ReadScope = ALL_NOW,
    page: Page | None = None,
) -> dict[str, Any]:
    """Running clocks and missed deadlines, with counts per organisation (`queries.deadlines`:
    of the scope's organisation, or all, as at its log position); with `page`, the page's rows
    (running first, then missed, each by due date), the counts of all, `total` and
    `next_cursor`."""
    counter = _Counter(db, calendar, today)
    if page is None:
        rows = _clocks(db, counter, scope, None, None, None)
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            per = counts.setdefault(row["organisation_id"], {"running": 0, "missed": 0})
            per[row["state"]] += 1
        running = [r for r in rows if r["state"] == "running"]
        missed = [r for r in rows if r["state"] == "missed"]
        _noted(running + missed, counter)
        return {"running": running, "missed": missed, "by_organisation": counts}
    state, after = _clock_cursor(page.cursor)
    found: list[Row] = []
    for name in ("running", "missed")[("running", "missed").index(state) :]:
        more = page.limit + 1 - len(found)
        found += _clocks(db, counter, scope, name, after if name == state else None, more)
        if len(found) > page.limit:
            break
    shown = found[: page.limit]
    following = None
    if len(found) > page.limit:
        last = shown[-1]
        following = queries.encode_cursor(
            [last["state"], last["due_on"], last["initiative_id"], last["seq"]]
        )
    counts = _clock_counts(db, today, scope)
    running = [r for r in shown if r["state"] == "running"]
    missed = [r for r in shown if r["state"] == "missed"]
    _noted(shown, counter)
    return {
        "running": running,
        "missed": missed,
        "by_organisation": counts,
        "total": _totals(counts),
        "next_cursor": following,
    }


def first_clocks(
    db: Database,
    today: date,
    calendar: WorkingCalendar,
    scope: ReadScope,
    state: str,
    limit: int | None,
) -> list[Row]:
    """The first `limit` clocks of one state (`running` or `missed`; None: every one) by due
    date, as the deadlines' rows have them (a page that shows the most urgent: the home
    page)."""
    counter = _Counter(db, calendar, today)
    rows = _clocks(db, counter, scope, state, None, limit)
    _noted(rows, counter)
    return rows


def clock_totals(db: Database, today: date, scope: ReadScope) -> dict[str, int]:
    """How many clocks run and how many deadlines were missed, in the scope."""
    return _totals(_clock_counts(db, today, scope))


# A running clock with at most this many working days left is at risk (the home page's card,
# the reminders' digest).
AT_RISK = 2


def at_risk_total(db: Database, today: date, calendar: WorkingCalendar, scope: ReadScope) -> int:
    """How many clocks run with at most AT_RISK working days left (due from `today` to the day
    before the working day after those), in the scope."""
    ids, at = scope.organisations(), scope.at
    before = calendar.add_working_days(today, AT_RISK + 1).isoformat()
    where = [held_within("c", at, db.kind, ids), OPEN_OR_LATE, "c.finished_on IS NULL"]
    where += ["c.due_on >= ?", "c.due_on < ?"]
    params: list[Any] = [today.isoformat(), before]
    if ids is not None:
        where.append(org_is("c.organisation_id", at, db.kind, len(ids)))
        params += ids
    statement = f"SELECT COUNT(*) AS n FROM iv_clocks c WHERE {' AND '.join(where)}"
    return int(db.query(statement, params)[0]["n"])


def _totals(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """The sums of the counts per organisation (`_clock_counts`), per state."""
    return {state: sum(c[state] for c in counts.values()) for state in ("running", "missed")}


def _clocks(
    db: Database,
    counter: _Counter,
    scope: ReadScope,
    state: str | None,
    after: list[Any] | None,
    limit: int | None,
) -> list[Row]:
    """The open or late clocks (of one state, after a row), in order, each with its count."""
    today = counter.today.isoformat()
    rows = db.query(*clocks_statement(db.kind, counter.key, today, scope, state, after, limit))
    for row in rows:
        if (row["finished_on"] or today) > row["due_on"]:
            row["state"] = "missed"
            row["overdue_by_working_days"] = counter.overdue(row)
        else:
            row["state"] = "running"
            row["working_days_left"] = counter.left(row["due_on"], row["due_ordinal"])
        row["seq"] = int(row.pop("seq_"))
        del row["due_ordinal"], row["end_ordinal"]
    return rows


def clocks_statement(
    kind: str,
    calendar_key: str,
    today: str,
    scope: ReadScope,
    state: str | None,
    after: list[Any] | None,
    limit: int | None,
) -> tuple[str, list[Any]]:
    """The statement and parameters of `_clocks` on a database of `kind`: in the order of the
    index of the open or late clocks, which a page walks and leaves (migrations r0011)."""
    ids, at = scope.organisations(), scope.at
    where = [held_within("c", at, kind, ids), OPEN_OR_LATE]
    params: list[Any] = []
    joined = [calendar_key, calendar_key, today]  # clock_columns' joins
    if ids is not None:
        where.append(org_is("c.organisation_id", at, kind, len(ids)))
        params += ids
    if state is not None:
        where.append(STATES[state])
        params.append(today)
    if after is not None:
        where.append("(c.due_on, c.initiative_id, c.seq) > (?, ?, ?)")
        params += after
    order = " ORDER BY c.due_on, c.initiative_id, c.seq"
    if limit is None:
        # a few organisations' (a ward's): their initiatives one by one; more (a city's, the
        # province's): all of them, joined
        one_by_one = ids is not None and len(ids) <= ONE_BY_ONE
        columns = clock_columns(at, kind, one_by_one=one_by_one)
        return f"SELECT {columns} WHERE {' AND '.join(where)}{order}", [*joined, *params]
    # A page: its clocks first, then their initiatives and dates (as of a past position, the
    # joins for every clock that held before the sort cost 18 of 21 ms at 300,002 events). A
    # clock's version holds only while a version of its initiative does: the join keeps all.
    page = f"SELECT c.* FROM iv_clocks c WHERE {' AND '.join(where)}{order} LIMIT ?"
    page_params = [*params, limit]
    if at is not None and ids is None and kind == "postgresql":
        # Every organisation's as of a past position: the page's keys from each part of `held`
        # (`_held_apart`), each in order from its index alone, then those rows (from every
        # version that held, sorted: 20-45 ms at a million events, against 9 now).
        arms = [
            f"(SELECT c.initiative_id, c.seq, c.from_position FROM iv_clocks c"
            f" WHERE {' AND '.join([part, *where[1:]])}{order} LIMIT ?)"
            for part in _held_apart(at, kind)
        ]
        page = (
            f"SELECT c.* FROM ({' UNION ALL '.join(arms)}) k JOIN iv_clocks c"
            f" USING (initiative_id, seq, from_position){order} LIMIT ?"
        )
        page_params = [*params, limit, *params, limit, limit]
    columns = clock_columns(at, kind, f"({page})", one_by_one=True)
    return f"SELECT {columns}{order}", [*page_params, *joined]


def _noted(rows: list[Row], counter: _Counter) -> None:
    """Each row as the reference has it: its calendar notes (once per clock name and dates),
    without the fields that ordered it."""
    noted = queries._Noted(counter.today, counter.calendar)
    for row in rows:
        del row["seq"], row["state"]
        row.update(noted(row))


def _clock_counts(db: Database, today: date, scope: ReadScope) -> dict[str, dict[str, int]]:
    """Running and missed clocks per organisation, counted by the database."""
    rows = db.query(*counts_statement(db.kind, today.isoformat(), scope))
    return {
        r["org"]: {"running": int(r["running"]), "missed": int(r["n"]) - int(r["running"])}
        for r in rows
    }


def counts_statement(kind: str, today: str, scope: ReadScope) -> tuple[str, list[Any]]:
    """The statement and parameters of `_clock_counts` on a database of `kind` (now: read from
    the index of the open or late clocks alone, which holds every column it asks for)."""
    ids, at = scope.organisations(), scope.at
    counted = (
        f"SELECT c.organisation_id AS org, SUM(CASE WHEN {STATES['running']} THEN 1 ELSE 0 END)"
        " AS running, COUNT(*) AS n FROM iv_clocks c WHERE {} AND " + OPEN_OR_LATE
    )
    if at is not None and ids is None and kind == "postgresql":
        # Every organisation's as of a past position: the current versions begun by then and
        # the replaced ones that held then, each read from an index alone (`_held_apart`; from
        # the table, every version that held: 25-70 ms at a million events, against 10 now),
        # and summed.
        both = " UNION ALL ".join(
            f"{counted.format(arm)} GROUP BY c.organisation_id" for arm in _held_apart(at, kind)
        )
        return (
            f"SELECT org, SUM(running) AS running, SUM(n) AS n FROM ({both}) x GROUP BY org",
            [today, today],
        )
    org = f" AND {org_is('c.organisation_id', at, kind, len(ids))}" if ids is not None else ""
    return (
        counted.format(held_within("c", at, kind, ids))
        + org
        + " GROUP BY c.organisation_id",  # a clock's initiative is written with it
        [today, *(ids or [])],
    )


def _held_apart(at: int, kind: str) -> tuple[str, str]:
    """`held` of the clocks `c` as of position `at`, in two parts: the current versions begun by
    then, and the replaced ones that held then (span and bounds: the index of the spans or of
    the ends, whichever finds fewer). Each part of every organisation's open or late clocks is
    read from an index alone on PostgreSQL (migrations r0019)."""
    at = int(at)
    replaced = f"c.to_position IS NOT NULL AND c.to_position > {at} AND c.from_position <= {at}"
    if kind == "postgresql":
        replaced += f" AND int8range(c.from_position, c.to_position) @> {at}::bigint"
    # (not `held`, whose `to_position IS NULL OR ...` the planner answered with a bitmap of
    # every current version's, to drop them all: 24 of 32 ms near the head)
    return f"c.to_position IS NULL AND c.from_position <= {at}", replaced


def _clock_cursor(cursor: str | None) -> tuple[str, list[Any] | None]:
    """The state and the last row (due date, initiative, seq) of the page before."""
    if cursor is None:
        return "running", None
    state, due, initiative, seq = _decoded(cursor, 4)
    if state not in STATES or not isinstance(seq, int) or isinstance(seq, bool):
        raise _bad_cursor()
    if not 0 <= seq < 2**31:  # a clock's place among its initiative's (SQLite: 64-bit at most)
        raise _bad_cursor()
    return state, [_day(due), _uuid(initiative), seq]


def inbox(
    db: Database,
    organisation_id: str,
    today: date,
    calendar: WorkingCalendar,
    page: Page | None = None,
    at: int | None = None,
) -> Any:
    """Proposals awaiting a decision by `organisation_id` (`queries.inbox`); with `page`, a
    page of them with `total` and `next_cursor`; as at log position `at` (None: now)."""
    counter = _Counter(db, calendar, today)
    where = [
        org_is("i.addressee_id", at, db.kind),
        f"i.status IN ({', '.join('?' for _ in queries.WAITING)})",
        held_in_organisation("i", at, db.kind),
    ]
    params: list[Any] = [organisation_id, *queries.WAITING]
    total_where, total_params = list(where), list(params)
    if page is not None and page.cursor is not None:
        where.append(f"({', '.join(INBOX_ORDER)}) > (?, ?, ?)")
        params += _inbox_cursor(page.cursor)
    joined = (
        " FROM iv_initiatives i LEFT JOIN iv_clocks c ON c.initiative_id = i.id"
        " AND c.name = 'approval_decision' AND c.finished_on IS NULL"
        f" AND {held('c', at, db.kind)}"
    )
    rows = db.query(
        "SELECT i.id, i.title, i.status, i.regime, i.employing_organisation_id, i.updated_at,"
        " c.started_on, c.due_on, i.state, d.ordinal AS due_ordinal"
        + joined
        + " LEFT JOIN cal_days d ON d.calendar = ? AND d.day = c.due_on"
        f" WHERE {' AND '.join(where)} ORDER BY {', '.join(INBOX_ORDER)}"
        + (" LIMIT ?" if page is not None else ""),
        [counter.key, *params, *([page.limit + 1] if page is not None else [])],
    )
    shown = rows if page is None else rows[: page.limit]
    waits = [json.loads(row.pop("state")).get("awaits") for row in shown]
    for row in shown:
        due, ordinal = row["due_on"], row.pop("due_ordinal")
        row["working_days_left"] = counter.left(due, ordinal) if due else None
    queries.next_actors(db, shown, waits, at)
    if page is None:
        return shown
    total = db.query(
        f"SELECT COUNT(*) AS n{joined} WHERE {' AND '.join(total_where)}",
        total_params,
    )
    last = shown[-1] if len(rows) > page.limit else None
    return {
        "items": shown,
        "total": int(total[0]["n"]),
        "next_cursor": None
        if last is None
        else queries.encode_cursor(
            [int(last["due_on"] is None), last["due_on"] or "", last["id"]]
        ),
    }


def _inbox_cursor(cursor: str) -> list[Any]:
    """The last row of the page before: without a due date (1) or with (0), the date, the id."""
    undated, due, initiative = _decoded(cursor, 3)
    if undated not in (0, 1) or isinstance(undated, bool) or (due and undated):
        raise _bad_cursor()
    return [undated, _day(due) if due else "", _uuid(initiative)]


def _decoded(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as error:
        raise _bad_cursor() from error
    if not isinstance(values, list) or len(values) != size:
        raise _bad_cursor()
    return values


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (ValueError, TypeError) as error:
        raise _bad_cursor() from error


def _uuid(value: Any) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError as error:
        raise _bad_cursor() from error


def _bad_cursor() -> queries.QueryError:
    return queries.QueryError("the cursor is not one this service issued")
