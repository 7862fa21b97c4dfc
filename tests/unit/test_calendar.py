"""Working days across Tết, 30/4-1/5, 2/9 and swapped days (domain.md §7)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import vietnam
from domain.clocks import describe_clock

CAL = vietnam()


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (date(2025, 1, 24), 7, date(2025, 2, 11)),  # across Tết Ất Tỵ (27-31 Jan off)
        (date(2025, 4, 24), 7, date(2025, 5, 7)),  # Sat 26/4 worked; 30/4, 1/5, 2/5 off
        (date(2025, 8, 28), 5, date(2025, 9, 8)),  # 1/9 and 2/9 off
        (date(2024, 2, 7), 1, date(2024, 2, 15)),  # Tết Giáp Thìn 8-14 Feb
        (date(2024, 5, 3), 1, date(2024, 5, 4)),  # Saturday 4/5/2024 worked for 29/4
        (date(2026, 3, 2), 7, date(2026, 3, 11)),  # an ordinary fortnight
    ],
)
def test_adding_working_days(start: date, count: int, due: date) -> None:
    assert CAL.add_working_days(start, count) == due


def test_swapped_saturdays_work_and_ordinary_saturdays_do_not() -> None:
    assert CAL.is_working_day(date(2025, 4, 26)) is True
    assert CAL.is_working_day(date(2025, 4, 19)) is False
    assert CAL.is_working_day(date(2025, 5, 2)) is False  # the Friday swapped away


def test_counting_between_dates_is_signed() -> None:
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 11)) == 7
    assert CAL.working_days_between(date(2025, 2, 11), date(2025, 1, 24)) == -7
    assert CAL.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0


def test_every_year_from_2024_to_2027_has_its_file() -> None:
    assert [y for y in range(2023, 2029) if CAL.covers(y)] == [2024, 2025, 2026, 2027]


def test_a_clock_met_missed_and_overdue() -> None:
    met = describe_clock(
        "approval_decision", date(2025, 1, 24), date(2025, 2, 11), date(2025, 3, 1), CAL
    )
    assert (met["due_on"], met["status"], met["overdue_by_working_days"]) == (
        date(2025, 2, 11),
        "met",
        0,
    )
    missed = describe_clock(
        "approval_decision", date(2025, 1, 24), date(2025, 2, 13), date(2025, 3, 1), CAL
    )
    assert (missed["status"], missed["overdue_by_working_days"]) == ("missed", 2)
    running = describe_clock("result_report", date(2025, 8, 28), None, date(2025, 9, 3), CAL)
    assert (running["due_on"], running["status"], running["working_days_left"]) == (
        date(2025, 9, 8),
        "running",
        3,
    )


def test_the_archiving_clock_runs_a_calendar_year() -> None:
    clock = describe_clock("archiving", date(2024, 2, 29), None, date(2024, 3, 1), CAL)
    assert clock["due_on"] == date(2025, 2, 28)
