"""The clocks through the HTTP API and the initiative page, on SQLite and PostgreSQL: the
receipt clock from submission to receipt, the decision clock over the 2026 swapped days, and
the notes of a clock counted over a provisional day or a year without a calendar file."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_http_api import Driver
from tests.e2e.test_pages import in_session
from tests.factories import Clock, oid, proposal, receipt_clock_started

WARD = str(oid("ben-thanh-ubnd"))


def received_on(http: Driver, clock: Clock, day: date) -> Any:
    """Drafted, submitted and logged in on `day`: the answer to the receipt."""
    clock.on(day)
    http.draft()
    http.post("submit", "can-bo", proposal())
    return http.post(
        "receive", "van-thu", {"receipt_date": day.isoformat(), "incoming_number": "9/VT"}
    )


def clock_named(http: Driver, name: str) -> Any:
    (found,) = [c for c in http.state()["clocks"] if c["name"] == name]
    return found


def deadlines(client: FlaskClient, auth: Any, position: int) -> Any:
    answer = client.get(
        f"/api/v1/dashboard/deadlines?min_position={position}", headers=auth("tp-chu-tich")
    )
    assert answer.status_code == 200
    return answer.get_json()


def rows(report: Any, kind: str) -> list[tuple[Any, ...]]:
    return [
        (
            r["name"],
            r["organisation_id"],
            r["started_on"],
            r["due_on"],
            r.get("working_days_left"),
            r["provisional"],
            r["provisional_dates"],
            r["calendar_missing"],
        )
        for r in report[kind]
    ]


def test_the_receipt_clock_runs_from_submission_to_receipt_on_the_deadlines(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any
) -> None:
    clock.on(date(2026, 8, 19))  # a Wednesday
    http.draft()
    submitted = http.post("submit", "can-bo", proposal())
    assert http.state()["clocks"] == [receipt_clock_started("2026-08-19", "2026-08-21")]
    report = deadlines(client, auth, submitted["position"])
    assert rows(report, "running") == [
        ("receipt", WARD, "2026-08-19", "2026-08-21", 2, False, [], [])
    ]
    assert (report["missed"], report["by_organisation"]) == (
        [],
        {WARD: {"running": 1, "missed": 0}},
    )
    clock.on(date(2026, 8, 20))
    received = http.post(
        "receive", "van-thu", {"receipt_date": "2026-08-20", "incoming_number": "9/VT"}
    )
    state = http.state()
    assert [(c["name"], c["finished_on"], c["status"]) for c in state["clocks"]] == [
        ("receipt", "2026-08-20", "met"),
        ("approval_decision", None, "running"),
    ]
    decision = state["clocks"][1]
    assert (decision["started_on"], decision["due_on"], decision["working_days_left"]) == (
        "2026-08-20",
        "2026-08-28",  # Saturday 22/08 worked for Monday 31/08
        7,
    )
    report = deadlines(client, auth, received["position"])
    assert rows(report, "running") == [
        ("approval_decision", WARD, "2026-08-20", "2026-08-28", 7, False, [], [])
    ]
    assert report["missed"] == []


def test_a_receipt_on_30_december_2025_is_due_on_saturday_10_january(
    http: Driver, clock: Clock
) -> None:
    received_on(http, clock, date(2025, 12, 30))
    decision = clock_named(http, "approval_decision")
    assert (decision["due_on"], decision["working_days_left"], decision["provisional"]) == (
        "2026-01-10",
        7,
        False,
    )
    clock.on(date(2026, 1, 9))
    assert clock_named(http, "approval_decision")["working_days_left"] == 1
    clock.on(date(2026, 1, 12))
    late = clock_named(http, "approval_decision")
    assert (late["status"], late["overdue_by_working_days"]) == ("overdue", 1)


def test_a_clock_over_a_provisional_day_says_so_in_the_api_and_on_the_page(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    received = received_on(http, clock, date(2026, 11, 19))
    receipt, decision = http.state()["clocks"]
    assert (receipt["due_on"], receipt["provisional"], receipt["provisional_dates"]) == (
        "2026-11-23",
        False,
        [],
    )
    assert (decision["due_on"], decision["provisional"], decision["provisional_dates"]) == (
        "2026-12-01",
        True,
        ["2026-11-24"],
    )
    report = deadlines(client, auth, received["position"])
    assert rows(report, "running") == [
        ("approval_decision", WARD, "2026-11-19", "2026-12-01", 7, True, ["2026-11-24"], [])
    ]
    in_session(client, web_app, "chu-tich")
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    assert page.count("Tính theo ngày nghỉ chưa được công bố chính thức: 24/11/2026") == 1
    assert "Chưa có lịch ngày nghỉ" not in page
    with client.session_transaction() as session:
        session["seen"] = received["position"]  # the overview reads the views
    overview = client.get("/").get_data(as_text=True)
    assert overview.count("Tính theo ngày nghỉ chưa được công bố chính thức: 24/11/2026") == 1


def test_a_clock_over_a_year_without_a_calendar_file_says_which_in_the_api_and_on_the_page(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    received = received_on(http, clock, date(2027, 12, 27))
    decision = clock_named(http, "approval_decision")
    assert (decision["due_on"], decision["calendar_missing"], decision["provisional"]) == (
        "2028-01-05",  # counted Monday to Friday
        [2028],
        False,
    )
    report = deadlines(client, auth, received["position"])
    assert rows(report, "running") == [
        ("approval_decision", WARD, "2027-12-27", "2028-01-05", 7, False, [], [2028])
    ]
    in_session(client, web_app, "chu-tich")
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    assert page.count("Chưa có lịch ngày nghỉ năm 2028: tạm tính từ thứ Hai đến thứ Sáu") == 1
    assert "chưa được công bố chính thức" not in page


OBSTACLE = "Tháo gỡ vướng mắc (10 ngày làm việc)"


def test_each_obstacle_has_its_resolution_clock_on_the_deadlines_and_in_their_changes(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    http.to_approval()
    clock.on(date(2026, 4, 1))
    http.post("start", "can-bo", {"actual_start": "2026-04-01"})
    clock.on(date(2026, 4, 20))  # Monday; 27/04, 30/04 and 01/05 are off
    first = http.post("raise-obstacle", "can-bo", {"obstacle": "Thiếu chữ ký số"})
    clock.advance(minutes=5)
    second = http.post("raise-obstacle", "can-bo", {"obstacle": "Thiếu máy quét"})
    both = clock()
    assert [
        (c["obstacle_version"], c["started_on"], c["due_on"], c["status"])
        for c in http.state()["clocks"]
        if c["name"] == "obstacle_resolution"
    ] == [
        (first["version"], "2026-04-20", "2026-05-07", "running"),
        (second["version"], "2026-04-20", "2026-05-07", "running"),
    ]
    report = deadlines(client, auth, second["position"])
    assert (
        rows(report, "running")
        == [("obstacle_resolution", WARD, "2026-04-20", "2026-05-07", 10, False, [], [])] * 2
    )
    assert report["by_organisation"] == {WARD: {"running": 2, "missed": 0}}
    clock.advance(minutes=5)
    resolved = http.post(
        "resolve-obstacle",
        "chu-tich",
        {"obstacle_version": second["version"], "measure": "Mua máy quét"},
    )
    report = deadlines(client, auth, resolved["position"])
    assert rows(report, "running") == [
        ("obstacle_resolution", WARD, "2026-04-20", "2026-05-07", 10, False, [], [])
    ]
    # Two rows alike in every column are two clocks: the changes count the one that stopped.
    changes = client.get(
        f"/api/v1/dashboard/deadlines/changes?from={quote(both.isoformat())}"
        f"&to={quote(clock().isoformat())}",
        headers=auth("tp-chu-tich"),
    ).get_json()
    assert (changes["added"], changes["changed"]) == ([], [])
    assert [(r["name"], r["state"]) for r in changes["removed"]] == [
        ("obstacle_resolution", "running")
    ]
    in_session(client, web_app, "chu-tich")
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    assert page.count(OBSTACLE) == 2
    assert f"Vướng mắc ghi ở phiên bản {first['version']}" in page
    with client.session_transaction() as session:
        session["seen"] = resolved["position"]  # the overview reads the views
    assert client.get("/").get_data(as_text=True).count(OBSTACLE) == 1
    sheet = client.get(
        f"/api/v1/dashboard/deadlines/export?format=csv&min_position={resolved['position']}",
        headers=auth("tp-chu-tich"),
    )
    header, row = list(csv.reader(io.StringIO(sheet.get_data(as_text=True)[1:])))
    assert dict(zip(header, row, strict=True))["Thời hạn"] == OBSTACLE
