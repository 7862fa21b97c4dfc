"""Vietnamese working days: weekends, public holidays and swapped days, from yearly data files.

A day is a working day when it is Monday to Friday and not a holiday, or when the government
swapped it into a working day (a Saturday worked to bridge a holiday). Years without a file
count Monday to Friday only; `covers()` says whether a year has its file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class WorkingCalendar:
    """Holidays and swapped working days by date."""

    holidays: dict[date, str] = field(default_factory=dict)
    working_days: dict[date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

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
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=n))
        )


@cache
def vietnam() -> WorkingCalendar:
    """The calendar built from every `calendars/vn-YYYY.json` file shipped with the domain."""
    holidays: dict[date, str] = {}
    working: dict[date, str] = {}
    years: set[int] = set()
    folder = resources.files("domain").joinpath("calendars")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("vn-") and entry.name.endswith(".json")):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        years.add(int(data["year"]))
        holidays.update({date.fromisoformat(h["date"]): h["name"] for h in data["holidays"]})
        working.update({date.fromisoformat(w["date"]): w["name"] for w in data["working_days"]})
    return WorkingCalendar(holidays, working, frozenset(years))
