"""Working days across Tết, 30/4-1/5, 2/9 and swapped days (domain.md §7)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import Entry, vietnam
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
        (date(2026, 8, 20), 7, date(2026, 8, 28)),  # Sat 22/8 worked for Mon 31/8
        (date(2025, 12, 30), 7, date(2026, 1, 10)),  # 1/1 and Fri 2/1 off; Sat 10/1 worked
        (date(2026, 8, 28), 1, date(2026, 9, 3)),  # 31/8, 1/9 and 2/9 off
        (date(2026, 11, 23), 1, date(2026, 11, 25)),  # 24/11 off (provisional)
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


def _counted_day_by_day(start: date, end: date) -> int:
    """The definition: each day of (start, end] asked in turn (the test's oracle)."""
    if end < start:
        return -_counted_day_by_day(end, start)
    return sum(
        CAL.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )


@settings(max_examples=400, deadline=None)
@given(
    st.dates(date(2023, 6, 1), date(2028, 6, 30)), st.dates(date(2023, 6, 1), date(2028, 6, 30))
)
def test_counting_between_any_two_dates_equals_asking_each_day(start: date, end: date) -> None:
    """Across the years with files (holidays, swapped Saturdays, a swapped-away Friday) and
    the years without, the arithmetic count is the day-by-day count."""
    assert CAL.working_days_between(start, end) == _counted_day_by_day(start, end)


def test_counting_over_every_span_of_a_swapped_month_equals_asking_each_day() -> None:
    """Every (start, end) pair of April-May 2025: Saturday 26/4 worked, 30/4-2/5 off."""
    days = [date(2025, 4, 1) + timedelta(days=n) for n in range(61)]
    for start in days:
        for end in days:
            assert CAL.working_days_between(start, end) == _counted_day_by_day(start, end)


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


def test_the_2026_swaps_of_the_new_year_and_the_national_day() -> None:
    """12729/VPCP-KGVX of 25/12/2025 and 9441/TB-BNV of 16/10/2025."""
    assert [CAL.is_working_day(date(2026, 1, d)) for d in (1, 2, 3, 10)] == [
        False,
        False,
        False,
        True,
    ]
    assert [CAL.is_working_day(date(2026, 8, d)) for d in (22, 29, 31)] == [True, False, False]
    assert [CAL.is_working_day(date(2026, 9, d)) for d in (1, 2, 3)] == [False, False, True]


def test_what_is_provisional_is_what_no_source_we_hold_confirms() -> None:
    assert sorted(CAL.provisional) == [
        date(2026, 11, 24),
        date(2027, 2, 5),
        date(2027, 2, 8),
        date(2027, 2, 9),
        date(2027, 2, 10),
        date(2027, 2, 11),
        date(2027, 4, 16),
        date(2027, 9, 3),
    ]
    assert CAL.holidays[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert CAL.provisional_between(date(2026, 8, 20), date(2026, 9, 30)) == []


def test_every_file_keeps_to_its_year_and_its_kinds_of_days() -> None:
    """A holiday is a weekday, a swapped working day a Saturday or Sunday, each in its file's
    year; `provisional`, when present, is true or false; the file names its source."""
    folder = resources.files("domain").joinpath("calendars")
    files = sorted(e.name for e in folder.iterdir() if e.name.endswith(".json"))
    assert files == ["vn-2024.json", "vn-2025.json", "vn-2026.json", "vn-2027.json"]
    for name in files:
        data = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        assert name == f"vn-{data['year']}.json"
        assert set(data) == {"year", "source", "holidays", "working_days"}
        for kind, weekend in (("holidays", False), ("working_days", True)):
            for item in data[kind]:
                day = date.fromisoformat(item["date"])
                assert (day.year, day.weekday() >= 5) == (data["year"], weekend), item
                assert set(item) <= {"date", "name", "provisional"}, item
                assert item.get("provisional", False) in (True, False), item


def test_the_years_a_span_lacks() -> None:
    assert CAL.missing_years(date(2027, 12, 31), date(2028, 1, 3)) == [2028]
    assert CAL.missing_years(date(2023, 12, 31), date(2024, 1, 2)) == []
    assert CAL.missing_years(date(2022, 12, 31), date(2024, 1, 2)) == [2023]
    assert CAL.missing_years(date(2022, 12, 30), date(2024, 1, 2)) == [2022, 2023]
    assert CAL.missing_years(date(2027, 12, 31), date(2027, 12, 31)) == []


def test_the_check_looks_twelve_months_ahead() -> None:
    outlook = CAL.check(date(2026, 11, 24))
    assert (outlook.first, outlook.last, outlook.missing_years) == (
        date(2026, 11, 24),
        date(2027, 11, 24),
        [],
    )
    assert outlook.provisional[0] == Entry(date(2026, 11, 24), "holiday", "Ngày Văn hóa Việt Nam")
    assert len(outlook.provisional) == 8
    leap = CAL.check(date(2028, 2, 29))
    assert (leap.last, leap.missing_years, leap.provisional) == (
        date(2029, 2, 28),
        [2028, 2029],
        [],
    )
