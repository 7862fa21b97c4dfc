"""A whole life through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from domain.clocks import CLOCKS
from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.factories import (
    Clock,
    commendation,
    early_salary_step,
    evaluation,
    oid,
    result_report,
)
from web.api.initiatives import COMMANDS

# The later stages' bodies and officers, for every test.
pytestmark = pytest.mark.usefixtures("oversight")


def test_a_full_life_through_the_api(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any
) -> None:
    http.to_approval()
    clock.on(date(2026, 4, 1))
    http.post("start", "can-bo", {"actual_start": "2026-04-01"})
    http.post("supervision-note", "kiem-tra", {"kind": "inspection", "findings": "Đúng tiến độ"})
    http.post("supervision-note", "dang-uy", {"kind": "supervision", "findings": "Tốt"})
    obstacle = http.post("raise-obstacle", "can-bo", {"obstacle": "Thiếu chữ ký số"})["version"]
    http.post(
        "resolve-obstacle",
        "chu-tich",
        {"obstacle_version": obstacle, "measure": "Bổ sung chữ ký số"},
    )
    request = http.post(
        "request-adjustment",
        "can-bo",
        {"changes": {"end": "2027-01-31"}, "reason": "Chậm do thiếu chữ ký số"},
    )["version"]
    http.post(
        "approve-adjustment",
        "chu-tich",
        {"request_version": request, "decision_document": "QĐ 20"},
    )
    clock.on(date(2027, 1, 15))
    http.post("complete", "can-bo", {"completion_date": "2027-01-15"})
    http.post("report-result", "can-bo", result_report())
    clock.on(date(2027, 1, 20))
    http.evaluated_protected_commended()
    http.post("final-review", "chu-tich", {"lessons": "Nhân rộng được"})
    http.replicated()
    state = http.state()
    assert state["status"] == "evaluated"
    assert state["current_terms"]["end"] == "2027-01-31"
    assert state["approval"]["end"] == "2026-12-31"
    assert state["protection"]["recommended_measure"] == "no_liability"
    assert state["protection"]["determined_measure"] == "no_liability"
    # Every clock ran, in the order of the rules (tests/unit/test_clocks.py pins it).
    assert [c["name"] for c in state["clocks"]] == list(CLOCKS)
    assert [c["status"] for c in state["clocks"]] == ["met", "met", "met", "met", "met", "running"]
    assert [c["obstacle_version"] for c in state["clocks"]] == [
        None,
        None,
        obstacle,
        None,
        None,
        None,
    ]
    history = http.history()
    story = [(h["type"], h["actor"]["name"], h["actor"]["role"]) for h in history[6:]]
    assert story == [
        ("ImplementationStarted", "Phạm Đức Dũng", "staff"),
        ("SupervisionNoteRecorded", "Mai Xuân Sơn", "inspector"),
        ("SupervisionNoteRecorded", "Hoàng Văn Phúc", "party_committee"),
        ("ObstacleRaised", "Phạm Đức Dũng", "staff"),
        ("ObstacleResolved", "Nguyễn Thị Hồng", "head"),
        ("AdjustmentRequested", "Phạm Đức Dũng", "staff"),
        ("AdjustmentApproved", "Nguyễn Thị Hồng", "head"),
        ("Completed", "Phạm Đức Dũng", "staff"),
        ("ResultReported", "Phạm Đức Dũng", "staff"),
        ("PartyOpinionGiven", "Hoàng Văn Phúc", "party_committee"),
        ("LeadershipMeetingHeld", "Nguyễn Thị Hồng", "head"),
        ("Evaluated", "Nguyễn Thị Hồng", "head"),
        ("ProtectionRequested", "Phạm Đức Dũng", "staff"),
        ("ProtectionDetermined", "Nguyễn Thị Hồng", "head"),
        ("Commended", "Trương Công Vinh", "commendation"),
        ("FinalReviewHeld", "Nguyễn Thị Hồng", "head"),
        ("ReplicationProposed", "Nguyễn Thị Hồng", "head"),
        ("ReplicationApproved", "Đặng Quốc Giang", "head"),
    ]
    child = state["replications"][0]["children"][str(oid("sai-gon-ubnd"))]
    response = client.get(f"{API}/{child}", headers=auth("tp-chu-tich"))
    assert response.get_json()["parent_id"] == http.id


@pytest.mark.parametrize(
    ("command", "who", "body", "status", "detail"),
    [
        ("start", "can-bo", {"actual_start": "2026-03-02"}, 409, "within the approved dates"),
        ("start", "van-thu", {"actual_start": "2026-04-01"}, 403, "only an assignee"),
        (
            "approve-adjustment",
            "chu-tich",
            {"request_version": 3, "decision_document": "QĐ"},
            409,
            "cannot decide an adjustment of an initiative that is approved",
        ),
        (
            "evaluate",
            "chu-tich",
            evaluation(),
            409,
            "cannot evaluate an initiative that is approved",
        ),
        (
            "commend",
            "thi-dua",
            commendation(),
            409,
            "rewards need an evaluation with the outcome 'completed'",
        ),
        (
            "commend",
            "chu-tich",
            commendation("praise"),
            403,
            "commendation position in Ủy ban nhân dân Thành phố",
        ),
        (
            "early-salary-step",
            "to-chuc",
            early_salary_step(6, "x"),
            409,
            "an early salary step need an evaluation",
        ),
        (
            "supervision-note",
            "can-bo",
            {"kind": "inspection", "findings": "x"},
            403,
            "Phạm Đức Dũng did not hold a head position",
        ),
        ("supervision-note", "kiem-tra", {"kind": "gossip", "findings": "x"}, 422, None),
    ],
)
def test_refusals_after_approval_record_nothing(
    http: Driver,
    clock: Clock,
    client: FlaskClient,
    auth: Any,
    command: str,
    who: str,
    body: dict[str, Any],
    status: int,
    detail: str | None,
) -> None:
    http.to_approval()
    clock.on(date(2026, 4, 1))
    before = len(http.history())
    response = client.post(f"{API}/{http.id}/{command}", json=plain(body), headers=auth(who))
    problem = problem_of(response, status)
    if detail:
        assert detail in problem["detail"]
    assert len(http.history()) == before


def test_every_lifecycle_command_is_documented_with_roles_and_states(
    client: FlaskClient,
) -> None:
    spec = client.get("/api/openapi.json").get_json()
    post = spec["paths"]["/api/v1/initiatives/{initiative_id}/approve-adjustment"]["post"]
    assert "Who may: the head of the authority that approved." in post["description"]
    assert "Allowed when: in_progress, suspended." in post["description"]
    documented = {p for p in spec["paths"] if p.startswith("/api/v1/initiatives/{initiative_id}/")}
    assert len(COMMANDS) == 45
    for path, *_ in COMMANDS:
        post = spec["paths"][f"/api/v1/initiatives/{{initiative_id}}/{path}"]["post"]
        assert "Who may: " in post["description"]
        assert "Allowed when: " in post["description"]
    # the commands, history, changes, receipts, certificates, access log, dossier and readings
    assert len(documented) == 45 + 7
