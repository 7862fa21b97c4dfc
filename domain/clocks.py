"""The deadlines of domain.md §7, as running or finished clocks on the working-day calendar.

Each clock's length and its basis are data (`CLOCKS`): a legal text, or "our choice" where no
text sets a time limit. A clock runs for the initiative as a whole (one of a name at a time) or
for one thing in it (an obstacle's resolution: one per obstacle, named by its version); a rule
names the command that stops it when that is not the one the initiative's status waits for
(`awaits`: `domain/awaited.py` says who must act). Missed deadlines are facts for projections
and inspectors; they never change the state. A clock says when its dates rest on something
uncertain: a provisional day of the calendar (`provisional`, with the days) or a year without a
calendar file (`calendar_missing`, with the years, counted Monday to Friday meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from domain.calendar import WorkingCalendar


@dataclass(frozen=True)
class ClockRule:
    """How long a clock runs and on what basis."""

    name: str
    length: int
    unit: str  # "working_days" or "years"
    legal_basis: str
    awaits: str = ""  # the command that stops it, if not the one its status waits for

    def due(self, start: date, calendar: WorkingCalendar) -> date:
        """The last day on which the clock is met."""
        if self.unit == "years":
            try:
                return start.replace(year=start.year + self.length)
            except ValueError:  # 29 February
                return start.replace(year=start.year + self.length, day=28)
        return calendar.add_working_days(start, self.length)


OUR_CHOICE = "our choice"

CLOCKS = {
    rule.name: rule
    for rule in (
        # From submission (or escalation) to the addressee logging the proposal in: no legal
        # text sets this time limit; two working days is ours.
        ClockRule("receipt", 2, "working_days", OUR_CHOICE),
        ClockRule("approval_decision", 7, "working_days", "Decree 73/2023 Art. 8"),
        # From an obstacle raised in the work to the measure the approving authority (or its
        # superior) records: no legal text sets this time limit; ten working days is ours.
        ClockRule("obstacle_resolution", 10, "working_days", OUR_CHOICE, "resolve_obstacle"),
        ClockRule("result_report", 5, "working_days", "Decree 73/2023 Art. 11"),
        ClockRule("evaluation", 7, "working_days", "Decree 73/2023 Art. 11"),
        ClockRule("archiving", 1, "years", "Archives Law 2024"),
    )
}


class CalendarNotes(TypedDict):
    """What a clock's dates rest on that is not certain."""

    provisional: bool
    provisional_dates: list[date]
    calendar_missing: list[int]


def calendar_notes(
    name: str,
    started_on: date,
    due_on: date,
    finished_on: date | None,
    today: date,
    calendar: WorkingCalendar,
) -> CalendarNotes:
    """What a clock's dates and counts rest on that is not certain: the provisional days of
    the spans it counts over, and the years of those spans without a calendar file. The spans:
    start to due (a due date counted in working days), today to due (the working days left of a
    clock running in time), due to the end (the working days overdue)."""
    end = finished_on or today
    spans = [(started_on, due_on)] if CLOCKS[name].unit == "working_days" else []
    if end > due_on:
        spans.append((due_on, end))
    elif finished_on is None:
        spans.append((today, due_on))
    provisional = sorted({d for a, b in spans for d in calendar.provisional_between(a, b)})
    return {
        "provisional": bool(provisional),
        "provisional_dates": provisional,
        "calendar_missing": sorted({y for a, b in spans for y in calendar.missing_years(a, b)}),
    }


def describe_clock(
    name: str, started_on: date, finished_on: date | None, today: date, calendar: WorkingCalendar
) -> dict[str, object]:
    """A clock's dates and standing as of `today`."""
    rule = CLOCKS[name]
    due = rule.due(started_on, calendar)
    end = finished_on or today
    late = end > due
    if finished_on is None:
        status = "overdue" if late else "running"
    else:
        status = "missed" if late else "met"
    return {
        "name": name,
        "legal_basis": rule.legal_basis,
        "length": rule.length,
        "unit": rule.unit,
        "started_on": started_on,
        "due_on": due,
        "finished_on": finished_on,
        "status": status,
        "working_days_left": None
        if late or finished_on
        else calendar.working_days_between(today, due),
        "overdue_by_working_days": calendar.working_days_between(due, end) if late else 0,
        **calendar_notes(name, started_on, due, finished_on, today, calendar),
    }
