"""The working-day table: each day's ordinal among the working days of a calendar, so that SQL
counts the working days between two dates as a difference (migrations r0008).

A calendar is named by a digest of what decides its working days (its holidays and swapped
working days, and the span of days filled), so a new year's file, or a test's own calendar,
gets rows of its own. The rows cover the years of the calendar's files with a margin
(`MARGIN`); a date outside them is counted in Python by the caller, as before. The rows are
filled the first time a process needs them (`fill`, by the web's background writer or the
time-travel copies), never on a reader node: until they exist the callers count in Python.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.calendar import WorkingCalendar
from projections.db import Database, MemoryDatabase, Tx

MARGIN = 5  # years filled before the first and after the last year with a file
NO_FILES = (2020, 2035)  # the years filled for a calendar without files (tests' own)
KEEP = 4  # calendars kept; older fills are removed when a new one is written

DDL = (
    "CREATE TABLE IF NOT EXISTS cal_calendars (calendar TEXT PRIMARY KEY, first_day TEXT NOT"
    " NULL, last_day TEXT NOT NULL, filled_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cal_days (calendar TEXT NOT NULL, day TEXT NOT NULL,"
    " ordinal INTEGER NOT NULL, PRIMARY KEY (calendar, day))",
)


@dataclass(frozen=True)
class Span:
    """A calendar's filled rows: its name in the table and the days they cover."""

    key: str
    first: date
    last: date

    def covers(self, *days: date) -> bool:
        """Whether every one of `days` has its row."""
        return all(self.first <= d <= self.last for d in days)


_spans: dict[int, tuple[WorkingCalendar, Span]] = {}
_ready: weakref.WeakKeyDictionary[Database, set[str]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def span_of(calendar: WorkingCalendar) -> Span:
    """The rows `calendar` needs: its name and the days they cover (computed once per
    calendar object)."""
    known = _spans.get(id(calendar))
    if known is not None and known[0] is calendar:
        return known[1]
    years = sorted(calendar.years)
    low, high = (years[0] - MARGIN, years[-1] + MARGIN) if years else NO_FILES
    first, last = date(low, 1, 1), date(high, 12, 31)
    text = "\n".join(
        [
            f"{first}..{last}",
            *(f"h {d}" for d in sorted(calendar.holidays)),
            *(f"w {d}" for d in sorted(calendar.working_days)),
        ]
    )
    span = Span(hashlib.sha256(text.encode()).hexdigest()[:32], first, last)
    with _lock:
        if len(_spans) > 64:
            _spans.clear()
        _spans[id(calendar)] = (calendar, span)
    return span


def rows(calendar: WorkingCalendar) -> list[tuple[str, str, int]]:
    """Every row of `calendar`: (calendar, day, working days in [first day, day])."""
    span = span_of(calendar)
    found, count, day = [], 0, span.first
    while day <= span.last:
        if calendar.is_working_day(day):
            count += 1
        found.append((span.key, day.isoformat(), count))
        day += timedelta(days=1)
    return found


def fill(tx: Tx, calendar: WorkingCalendar) -> None:
    """Write `calendar`'s rows unless they are there; remove the oldest other calendars
    beyond `KEEP`."""
    span = span_of(calendar)
    if tx.query("SELECT 1 AS one FROM cal_calendars WHERE calendar = ?", [span.key]):
        return
    tx.execute("DELETE FROM cal_days WHERE calendar = ?", [span.key])
    tx.append("cal_days", ("calendar", "day", "ordinal"), rows(calendar))
    # The planner's statistics now, not at the next automatic analysis: without them it takes
    # the table for a few rows and joins the deadlines to it by a nested loop over all of it.
    # (On PostgreSQL only the table's owner may: a service role that may only write rows gets
    # a warning, and the table is analysed by autovacuum; docs/operations.md.)
    tx.execute("ANALYZE cal_days")
    tx.execute(
        "INSERT INTO cal_calendars (calendar, first_day, last_day, filled_at) VALUES (?, ?, ?, ?)",
        [span.key, span.first.isoformat(), span.last.isoformat(), datetime.now(UTC).isoformat()],
    )
    old = tx.query("SELECT calendar FROM cal_calendars ORDER BY filled_at DESC, calendar")[KEEP:]
    for row in old:
        tx.execute("DELETE FROM cal_days WHERE calendar = ?", [row["calendar"]])
        tx.execute("DELETE FROM cal_calendars WHERE calendar = ?", [row["calendar"]])


def ready(db: Database, calendar: WorkingCalendar) -> Span | None:
    """`calendar`'s span when its rows are in `db`, else None (count in Python meanwhile).
    A time-travel copy (in memory, private) is filled here and now."""
    span = span_of(calendar)
    with _lock:
        if span.key in _ready.get(db, ()):
            return span
    if isinstance(db, MemoryDatabase):
        with db.transaction() as tx:
            for statement in DDL:
                tx.execute(statement)
            fill(tx, calendar)
    elif not db.query("SELECT 1 AS one FROM cal_calendars WHERE calendar = ?", [span.key]):
        return None
    with _lock:
        _ready.setdefault(db, set()).add(span.key)
    return span


def forget(db: Database) -> None:
    """Look again next time (after the rows of `db` were removed: tests)."""
    with _lock:
        _ready.pop(db, None)
