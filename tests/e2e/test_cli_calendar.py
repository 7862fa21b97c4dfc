"""`ledger calendar check`: the provisional days and the missing years of the twelve months
ahead, exit code 1 when a year has no file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from web import cli_calendar
from web.cli import main


def check(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["calendar", "check", *args])
    return result.exit_code, result.output.splitlines()


def test_a_covered_year_lists_its_provisional_days_and_passes() -> None:
    assert check("--on", "2026-01-15") == (
        0,
        [
            "calendar from 2026-01-15 to 2027-01-15",
            "provisional 2026-11-24 holiday: Ngày Văn hóa Việt Nam",
            "no year missing; provisional days to confirm: 1",
        ],
    )


def test_a_year_without_a_file_fails_and_says_what_to_do() -> None:
    code, lines = check("--on", "2027-03-01")
    assert code == 1
    assert lines == [
        "calendar from 2027-03-01 to 2028-03-01",
        "provisional 2027-04-16 holiday: Giỗ Tổ Hùng Vương",
        "provisional 2027-09-03 holiday: Quốc khánh",
        "missing 2028: no calendar file, counted Monday to Friday",
        "Error: no calendar file for 2028: add domain/calendars/vn-2028.json (the year's public"
        " holidays and swapped working days as the government announced them, `provisional:"
        " true` on any day no source confirms yet), then run `ledger projections rebuild"
        " initiatives` so that the dashboards' due dates follow",
    ]


def test_the_window_ends_on_the_same_day_a_year_later() -> None:
    code, lines = check("--on", "2026-11-25")
    assert code == 0
    assert lines[0] == "calendar from 2026-11-25 to 2027-11-25"
    assert lines[1:] == [
        "provisional 2027-02-05 holiday: Tết Nguyên đán",
        "provisional 2027-02-08 holiday: Tết Nguyên đán",
        "provisional 2027-02-09 holiday: Tết Nguyên đán",
        "provisional 2027-02-10 holiday: Tết Nguyên đán",
        "provisional 2027-02-11 holiday: Tết Nguyên đán",
        "provisional 2027-04-16 holiday: Giỗ Tổ Hùng Vương",
        "provisional 2027-09-03 holiday: Quốc khánh",
        "no year missing; provisional days to confirm: 7",
    ]


def test_without_a_day_it_checks_from_today_in_vietnam(monkeypatch: pytest.MonkeyPatch) -> None:
    # 17:30 UTC on 28 February is half past midnight on 1 March in Hanoi.
    monkeypatch.setattr(cli_calendar, "utc_now", lambda: datetime(2027, 2, 28, 17, 30, tzinfo=UTC))
    code, lines = check()
    assert (code, lines[0]) == (1, "calendar from 2027-03-01 (today in Vietnam) to 2028-03-01")
    assert lines[3] == "missing 2028: no calendar file, counted Monday to Friday"


def test_a_day_that_is_not_a_date_is_refused() -> None:
    code, lines = check("--on", "24/11/2026")
    assert code == 2
    assert lines[-1] == (
        "Error: Invalid value for '--on': '24/11/2026' does not match the format '%Y-%m-%d'."
    )
