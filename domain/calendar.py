"""Vietnamese working days: weekends, public holidays and swapped days, from yearly data files.

A day is a working day when it is Monday to Friday and not a holiday, or when the government
swapped it into a working day (a Saturday worked to bridge a holiday). An entry marked
`provisional` in its file is not confirmed by a source we hold: it counts, and whatever depends
on it says so (`provisional_between`). A year without a file counts Monday to Friday only;
`covers()` says whether a year has its file and `missing_years` which years a span lacks, so
that nothing computed over such a year passes for certain (domain/clocks.py), and `check`
lists both for the months ahead (`ledger calendar check`).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from importlib import resources

# Where the yearly files live, as the package ships them (and as `ledger calendar check` says).
FOLDER = "domain/calendars"


@dataclass(frozen=True)
class Entry:
    """A provisional holiday or swapped working day."""

    day: date
    kind: str  # "holiday" or "working_day"
    name: str


@dataclass(frozen=True)
class Outlook:
    """What the calendar holds for a span of days: its provisional entries and the years
    without a file."""

    first: date
    last: date
    provisional: list[Entry]
    missing_years: list[int]


@dataclass(frozen=True)
class WorkingCalendar:
    """Holidays and swapped working days by date, and which of them are provisional."""

    holidays: dict[date, str] = field(default_factory=dict)
    working_days: dict[date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()
    provisional: frozenset[date] = frozenset()
    # The days `add_working_days` found, by (start, count): every clock of every initiative
    # the worker writes asks again for its due day (a walk of up to a month of days).
    _added: dict[tuple[date, int], date] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def covers(self, year: int) -> bool:
        """Whether holiday data is loaded for `year`."""
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a holiday, or a swapped working day."""
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (the day after `start` is the first)."""
        found = self._added.get((start, count))
        if found is not None:
            return found
        if len(self._added) >= 100_000:
            self._added.clear()
        found = self._added[start, count] = self._walk(start, count)
        return found

    def _walk(self, start: date, count: int) -> date:
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`.

        Counted without walking the days (a clock of years is read on every dashboard): the
        weekdays of the span by whole weeks, less its weekday holidays, plus its swapped
        working days that fall on a weekend (`_exceptions`, sorted once)."""
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        weeks, rest = divmod(days, 7)
        first = start.weekday()  # the weekday of `start`; the span begins the day after
        weekdays = 5 * weeks + sum(1 for n in range(1, rest + 1) if (first + n) % 7 < 5)
        holidays, swapped = self._exceptions
        return (
            weekdays
            - (bisect_right(holidays, end) - bisect_right(holidays, start))
            + (bisect_right(swapped, end) - bisect_right(swapped, start))
        )

    @cached_property
    def _exceptions(self) -> tuple[list[date], list[date]]:
        """The weekday holidays that are not swapped working days, and the swapped working
        days that fall on a weekend: what differs from Monday to Friday, sorted."""
        holidays = sorted(
            day for day in self.holidays if day.weekday() < 5 and day not in self.working_days
        )
        return holidays, sorted(day for day in self.working_days if day.weekday() >= 5)

    def provisional_between(self, start: date, end: date) -> list[date]:
        """The provisional days in (start, end], in order: what a count over the span (or a
        date reached by counting from `start` to `end`) depends on."""
        return sorted(d for d in self.provisional if start < d <= end)

    def missing_years(self, start: date, end: date) -> list[int]:
        """The years of the days in (start, end] without a calendar file."""
        if end <= start:
            return []
        first = (start + timedelta(days=1)).year
        return [year for year in range(first, end.year + 1) if year not in self.years]

    def check(self, today: date) -> Outlook:
        """The twelve months from `today` (the same day a year later, both included): the
        provisional entries in them and the years that have no file."""
        try:
            last = today.replace(year=today.year + 1)
        except ValueError:  # 29 February
            last = today.replace(year=today.year + 1, day=28)
        entries = [
            Entry(day, *self._entry(day))
            for day in self.provisional_between(today - timedelta(days=1), last)
        ]
        return Outlook(today, last, entries, self.missing_years(today - timedelta(days=1), last))

    def _entry(self, day: date) -> tuple[str, str]:
        if day in self.working_days:
            return "working_day", self.working_days[day]
        return "holiday", self.holidays[day]


@cache
def vietnam() -> WorkingCalendar:
    """The calendar built from every `calendars/vn-YYYY.json` file shipped with the domain."""
    holidays: dict[date, str] = {}
    working: dict[date, str] = {}
    provisional: set[date] = set()
    years: set[int] = set()
    folder = resources.files("domain").joinpath("calendars")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("vn-") and entry.name.endswith(".json")):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        years.add(int(data["year"]))
        for kind, into in (("holidays", holidays), ("working_days", working)):
            for item in data[kind]:
                day = date.fromisoformat(item["date"])
                into[day] = item["name"]
                flag = item.get("provisional", False)
                if not isinstance(flag, bool):
                    raise ValueError(f"{entry.name}: {item['date']}: provisional is true or false")
                if flag:
                    provisional.add(day)
    return WorkingCalendar(holidays, working, frozenset(years), frozenset(provisional))
