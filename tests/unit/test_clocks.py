"""The clocks of domain.md §7: the receipt clock from submission to receipt, the decision clock
over the 2026 swapped days, and what a clock says when its dates rest on a provisional day or a
year without a calendar file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.calendar import vietnam
from domain.clocks import CLOCKS, ClockRule, describe_clock
from tests.factories import Clock, Life, Scenario, oid, receipt_clock_started

CAL = vietnam()


def standing(app: LedgerApplication, scenario: Scenario) -> list[tuple[Any, ...]]:
    """Each clock's name, start, due date, end and status."""
    return [
        (c["name"], c["started_on"], c["due_on"], c["finished_on"], c["status"])
        for c in app.get_initiative(scenario.id)["clocks"]
    ]


def test_the_receipt_clock_is_two_working_days_by_our_choice() -> None:
    assert CLOCKS["receipt"] == ClockRule("receipt", 2, "working_days", "our choice")
    assert list(CLOCKS) == [
        "receipt",
        "approval_decision",
        "obstacle_resolution",
        "result_report",
        "evaluation",
        "archiving",
    ]


def test_the_receipt_clock_runs_from_submission_to_receipt(
    app: LedgerApplication, scenario: Scenario, clock: Clock
) -> None:
    scenario.draft()
    assert app.get_initiative(scenario.id)["clocks"] == []
    scenario.submit()  # Monday 02/03/2026
    (receipt,) = app.get_initiative(scenario.id)["clocks"]
    assert receipt == receipt_clock_started(date(2026, 3, 2), date(2026, 3, 4))
    clock.on(date(2026, 3, 5))
    (receipt,) = app.get_initiative(scenario.id)["clocks"]
    assert (receipt["status"], receipt["overdue_by_working_days"]) == ("overdue", 1)
    scenario.receive()  # logged in on Thursday 05/03
    assert standing(app, scenario) == [
        ("receipt", date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 5), "missed"),
        ("approval_decision", date(2026, 3, 5), date(2026, 3, 16), None, "running"),
    ]


def test_an_escalation_starts_a_receipt_clock_at_the_superior_and_a_withdrawal_stops_it(
    app: LedgerApplication, scenario: Scenario, clock: Clock
) -> None:
    scenario.to_review()  # submitted and received on Monday 02/03/2026
    clock.on(date(2026, 3, 3))
    app.escalate(scenario.as_("chu-tich"), scenario.id, None, reason="Vượt thẩm quyền phường")
    assert app.get_initiative(scenario.id)["addressee_id"] == oid("hcm-ubnd")
    assert standing(app, scenario) == [
        ("receipt", date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 2), "met"),
        ("approval_decision", date(2026, 3, 2), date(2026, 3, 11), date(2026, 3, 3), "met"),
        ("receipt", date(2026, 3, 3), date(2026, 3, 5), None, "running"),
    ]
    assert app.repository.get(scenario.id).clocks[-1].organisation_id == oid("hcm-ubnd")
    clock.on(date(2026, 3, 9))
    app.withdraw(scenario.as_("can-bo"), scenario.id, None, reason="Rút để hoàn thiện")
    assert standing(app, scenario)[-1] == (
        "receipt",
        date(2026, 3, 3),
        date(2026, 3, 5),
        date(2026, 3, 9),
        "missed",
    )


def test_a_withdrawal_under_review_stops_the_decision_clock(
    app: LedgerApplication, scenario: Scenario, clock: Clock
) -> None:
    scenario.to_review()
    clock.on(date(2026, 3, 4))
    app.withdraw(scenario.as_("can-bo"), scenario.id, None, reason="Đổi ý")
    assert standing(app, scenario) == [
        ("receipt", date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 2), "met"),
        ("approval_decision", date(2026, 3, 2), date(2026, 3, 11), date(2026, 3, 4), "met"),
    ]


@pytest.mark.parametrize(
    ("receipt", "due"),
    [
        # Thursday; Saturday 22/08 is worked for Monday 31/08
        (date(2026, 8, 20), date(2026, 8, 28)),
        # 01/01 and Friday 02/01 off, Saturday 10/01 worked: the seventh working day
        (date(2025, 12, 30), date(2026, 1, 10)),
    ],
)
def test_the_decision_clock_counts_the_2026_swapped_days(receipt: date, due: date) -> None:
    clock = describe_clock("approval_decision", receipt, None, receipt, CAL)
    assert (clock["due_on"], clock["working_days_left"], clock["status"]) == (due, 7, "running")
    assert (clock["provisional"], clock["provisional_dates"], clock["calendar_missing"]) == (
        False,
        [],
        [],
    )


def test_a_due_date_counted_over_a_provisional_day_says_so() -> None:
    clock = describe_clock("approval_decision", date(2026, 11, 19), None, date(2026, 11, 19), CAL)
    assert (clock["due_on"], clock["provisional"], clock["provisional_dates"]) == (
        date(2026, 12, 1),  # Tuesday 24/11 counted as a day off
        True,
        [date(2026, 11, 24)],
    )
    after = describe_clock("approval_decision", date(2026, 11, 24), None, date(2026, 11, 24), CAL)
    assert (after["due_on"], after["provisional"], after["provisional_dates"]) == (
        date(2026, 12, 3),
        False,
        [],
    )


def test_a_count_of_working_days_over_a_provisional_day_says_so() -> None:
    # Due on Monday 23/11, before the provisional day; overdue on Thursday 26/11 by the
    # working days 25 and 26 (24 counted as a day off): the count rests on 24/11.
    clock = describe_clock("receipt", date(2026, 11, 19), None, date(2026, 11, 26), CAL)
    assert (clock["due_on"], clock["status"], clock["overdue_by_working_days"]) == (
        date(2026, 11, 23),
        "overdue",
        2,
    )
    assert (clock["provisional"], clock["provisional_dates"]) == (True, [date(2026, 11, 24)])
    met = describe_clock(
        "receipt", date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 26), CAL
    )
    assert (met["status"], met["provisional"], met["provisional_dates"]) == ("met", False, [])


def test_a_clock_over_a_year_without_a_calendar_file_says_which() -> None:
    clock = describe_clock("approval_decision", date(2027, 12, 27), None, date(2027, 12, 27), CAL)
    assert (clock["due_on"], clock["calendar_missing"], clock["provisional"]) == (
        date(2028, 1, 5),  # Monday to Friday: 28, 29, 30, 31 Dec, 3, 4, 5 Jan
        [2028],
        False,
    )
    archiving = describe_clock("archiving", date(2027, 3, 1), None, date(2027, 3, 2), CAL)
    assert (archiving["due_on"], archiving["calendar_missing"]) == (date(2028, 3, 1), [2028])
    assert archiving["provisional_dates"] == [date(2027, 4, 16), date(2027, 9, 3)]
    archived = describe_clock(
        "archiving", date(2027, 3, 1), date(2027, 6, 1), date(2027, 6, 2), CAL
    )
    assert (archived["status"], archived["calendar_missing"], archived["provisional"]) == (
        "met",
        [],
        False,
    )


def test_an_obstacle_is_resolved_within_ten_working_days_by_our_choice() -> None:
    assert CLOCKS["obstacle_resolution"] == ClockRule(
        "obstacle_resolution", 10, "working_days", "our choice", awaits="resolve_obstacle"
    )
    # Monday 20/04/2026: Monday 27/04 (for the Hùng Kings' Sunday), 30/04 and 01/05 are off
    clock = describe_clock("obstacle_resolution", date(2026, 4, 20), None, date(2026, 4, 20), CAL)
    assert (clock["due_on"], clock["working_days_left"]) == (date(2026, 5, 7), 10)


def obstacle_clocks(app: LedgerApplication, life: Life) -> list[tuple[Any, ...]]:
    """Each obstacle clock's obstacle, start, due date, end and status."""
    return [
        (c["obstacle_version"], c["started_on"], c["due_on"], c["finished_on"], c["status"])
        for c in app.get_initiative(life.id)["clocks"]
        if c["name"] == "obstacle_resolution"
    ]


def obstacle_raised(app: LedgerApplication, clock: Clock) -> tuple[Life, int]:
    """An initiative under way and the version of the obstacle raised on Monday 20/04/2026
    (its clock due on Thursday 07/05)."""
    life = Life(app, clock)
    life.to_approval()
    life.start()
    clock.on(date(2026, 4, 20))
    return life, life.cmd("raise_obstacle", "can-bo", obstacle="Thiếu chữ ký số")


def test_each_obstacle_has_its_clock_which_its_resolution_stops(
    app: LedgerApplication, clock: Clock
) -> None:
    life, first = obstacle_raised(app, clock)
    clock.on(date(2026, 4, 21))
    second = life.cmd("raise_obstacle", "can-bo", obstacle="Thiếu máy quét")
    assert obstacle_clocks(app, life) == [
        (first, date(2026, 4, 20), date(2026, 5, 7), None, "running"),
        (second, date(2026, 4, 21), date(2026, 5, 8), None, "running"),
    ]
    clock.on(date(2026, 4, 22))
    life.cmd("resolve_obstacle", "chu-tich", obstacle_version=second, measure="Mua máy quét")
    assert obstacle_clocks(app, life) == [
        (first, date(2026, 4, 20), date(2026, 5, 7), None, "running"),
        (second, date(2026, 4, 21), date(2026, 5, 8), date(2026, 4, 22), "met"),
    ]
    # Against the approving authority, which resolves (or its superior's head)
    assert {c.organisation_id for c in app.repository.get(life.id).clocks[-2:]} == {
        oid("ben-thanh-ubnd")
    }
    clock.on(date(2026, 5, 11))
    late = app.get_initiative(life.id)["clocks"][-2]
    assert (late["status"], late["overdue_by_working_days"]) == ("overdue", 2)
    life.cmd("resolve_obstacle", "tp-chu-tich", obstacle_version=first, measure="Cấp chữ ký số")
    assert obstacle_clocks(app, life)[0] == (
        first,
        date(2026, 4, 20),
        date(2026, 5, 7),
        date(2026, 5, 11),
        "missed",
    )


@pytest.mark.parametrize("ending", ["complete", "terminate"])
def test_the_end_of_the_work_stops_the_obstacle_clocks_on_the_day_it_is_recorded(
    app: LedgerApplication, clock: Clock, ending: str
) -> None:
    """No obstacle can be resolved once the work has ended (resolve-obstacle is allowed in
    progress or suspended only): the clocks of those still open stop that day."""
    life, raised = obstacle_raised(app, clock)
    clock.on(date(2026, 5, 12))
    if ending == "complete":
        life.cmd("complete", "can-bo", completion_date=date(2026, 5, 8))
    else:
        life.cmd("terminate", "chu-tich", reason="Rủi ro", decision_document="QĐ 3")
    assert obstacle_clocks(app, life) == [
        (raised, date(2026, 4, 20), date(2026, 5, 7), date(2026, 5, 12), "missed")
    ]
    assert app.get_initiative(life.id)["obstacles"] == [
        {"version": raised, "obstacle": "Thiếu chữ ký số", "resolved": False}
    ]
