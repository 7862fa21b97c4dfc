"""The deadlines of domain.md §7, as running or finished clocks on the working-day calendar.

Missed deadlines are facts for projections and inspectors; they never change the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.calendar import WorkingCalendar


@dataclass(frozen=True)
class ClockRule:
    """How long a clock runs and on what basis."""

    name: str
    length: int
    unit: str  # "working_days" or "years"
    legal_basis: str

    def due(self, start: date, calendar: WorkingCalendar) -> date:
        """The last day on which the clock is met."""
        if self.unit == "years":
            try:
                return start.replace(year=start.year + self.length)
            except ValueError:  # 29 February
                return start.replace(year=start.year + self.length, day=28)
        return calendar.add_working_days(start, self.length)


CLOCKS = {
    rule.name: rule
    for rule in (
        ClockRule("approval_decision", 7, "working_days", "Decree 73/2023 Art. 8"),
        ClockRule("result_report", 5, "working_days", "Decree 73/2023 Art. 11"),
        ClockRule("evaluation", 7, "working_days", "Decree 73/2023 Art. 11"),
        ClockRule("archiving", 1, "years", "Archives Law 2024"),
    )
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
    }
