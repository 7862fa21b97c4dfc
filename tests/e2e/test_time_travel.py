"""Every as-of answer equals what the API answered live at that moment (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.e2e.test_http_api import API, Driver
from tests.factories import (
    Clock,
    approval,
    commendation,
    evaluation,
    oid,
    result_report,
)

WARD = oid("ben-thanh-ubnd")
DASHBOARDS = [
    f"/api/v1/dashboard/inbox?organisation_id={WARD}",
    "/api/v1/dashboard/deadlines",
    "/api/v1/dashboard/supervision?days=30",
    "/api/v1/dashboard/outcomes",
    "/api/v1/dashboard/cadre-records?period=quarter",
    "/api/v1/dashboard/protection",
    "/api/v1/audit?limit=500",
    f"{API}?limit=200",
]


def live(client: FlaskClient, auth: Any, path: str, position: int) -> Any:
    glue = "&" if "?" in path else "?"
    response = client.get(f"{path}{glue}min_position={position}", headers=auth("tp-chu-tich"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def past(client: FlaskClient, auth: Any, path: str, moment: datetime) -> Any:
    glue = "&" if "?" in path else "?"
    response = client.get(
        f"{path}{glue}as_of={quote(moment.isoformat())}", headers=auth("tp-chu-tich")
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def without_meta(answer: Any) -> Any:
    if isinstance(answer, dict):
        return {k: v for k, v in answer.items() if k != "as_of"}
    return answer


@pytest.mark.usefixtures("oversight")
def test_as_of_answers_equal_the_live_answers_of_simulated_months(
    http: Driver, client: FlaskClient, auth: Any, clock: Clock
) -> None:
    snapshots: list[tuple[datetime, int, dict[str, Any]]] = []
    ids: list[str] = []

    def record() -> None:
        position = client.get("/api/health").get_json()["log_position"]
        answers = {path: live(client, auth, path, position) for path in DASHBOARDS}
        for initiative in ids:
            answers[f"{API}/{initiative}"] = live(client, auth, f"{API}/{initiative}", position)
        snapshots.append((clock(), position, answers))

    def month(n: int) -> None:
        clock.now = datetime(2026, 3, 2, 3, tzinfo=UTC) + timedelta(days=30 * n)

    month(0)
    http.to_review()
    ids.append(http.id)
    record()
    month(1)
    http.opinion_and_vote({"chu-tich": "for", "pho-1": "for", "pho-2": "against"})
    http.post("approve", "chu-tich", approval())
    second = Driver(client, auth)
    second.to_review(on=clock().date().isoformat())  # submitted and received this month
    ids.append(second.id)
    record()
    month(2)
    http.post("start", "can-bo", {"actual_start": clock().date().isoformat()})
    http.post("supervision-note", "kiem-tra", {"kind": "inspection", "findings": "Ổn"})
    second.post("reject", "chu-tich", {"reasons": ["Chưa khả thi"], "document_ref": "CV 3"})
    record()
    month(5)
    http.post("complete", "can-bo", {"completion_date": clock().date().isoformat()})
    http.post("report-result", "can-bo", result_report())
    record()
    month(6)
    http.opinion_and_vote(
        {"chu-tich": "for", "pho-1": "for"},  # a quorum: 2 of the 3 members
        "evaluation",
        clock().date().isoformat(),
        "CV 9",
        "BB 12",
    )
    http.post("evaluate", "chu-tich", evaluation())
    proposer = http.state()["proposer_ids"][0]
    http.post("commend", "thi-dua", commendation(person_ids=[proposer], decision_document="QĐ 5"))
    record()
    month(9)  # read everything back, months later
    assert len(snapshots) == 5
    for moment, position, answers in snapshots:
        for path, answer in answers.items():
            replayed = past(client, auth, path, moment)
            assert without_meta(replayed) == without_meta(answer), f"{path} as of {moment}"
            if isinstance(replayed, dict) and "as_of" in replayed and replayed["as_of"]:
                assert replayed["as_of"]["log_position"] == position


def test_changes_between_two_dates_for_an_initiative_and_a_dashboard(
    http: Driver, client: FlaskClient, auth: Any, clock: Clock
) -> None:
    clock.now = datetime(2026, 3, 2, 3, tzinfo=UTC)
    http.to_review()
    before = clock()
    clock.now = datetime(2026, 4, 1, 3, tzinfo=UTC)
    http.post(
        "request-clarification",
        "chu-tich",
        {"items": ["Nguồn kinh phí"], "due_date": "2026-04-10"},
    )
    after = clock()
    path = (
        f"{API}/{http.id}/changes?from={quote(before.isoformat())}&to={quote(after.isoformat())}"
    )
    changes = client.get(path, headers=auth("chu-tich")).get_json()
    assert [e["type"] for e in changes["events"]] == ["ClarificationRequested"]
    assert changes["differences"]["status"] == {
        "before": "under_review",
        "after": "clarification_requested",
    }
    assert changes["differences"]["version"] == {"before": 3, "after": 4}
    position = client.get("/api/health").get_json()["log_position"]
    live(client, auth, f"{API}?limit=5", position)
    board = client.get(
        f"/api/v1/dashboard/inbox/changes?organisation_id={WARD}"
        f"&from={quote(before.isoformat())}&to={quote(after.isoformat())}",
        headers=auth("chu-tich"),
    ).get_json()
    assert board["added"] == []
    assert board["removed"] == []
    assert [c["key"] for c in board["changed"]] == [http.id]
    assert board["changed"][0]["differences"]["status"]["after"] == "clarification_requested"
    assert board["from"]["log_position"] < board["to"]["log_position"]
    missing = client.get(
        f"/api/v1/dashboard/nope/changes?from={quote(before.isoformat())}"
        f"&to={quote(after.isoformat())}",
        headers=auth("chu-tich"),
    )
    assert missing.status_code == 404


@pytest.mark.attack(5, 6)
@pytest.mark.usefixtures("oversight")
def test_an_inspectors_reading_is_recorded_with_its_purpose(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.to_review()
    # Reading writes nothing: an inspector first opens a reading by a POST with its purpose.
    refused = client.get(f"{API}/{http.id}/history", headers=auth("kiem-tra"))
    assert refused.status_code == 403
    assert "open one with POST" in refused.get_json()["detail"]
    assert client.get(f"{API}/{http.id}", headers=auth("kiem-tra")).get_json()["register_only"]
    unstated = client.post(f"{API}/{http.id}/readings", json={}, headers=auth("kiem-tra"))
    assert unstated.status_code == 422
    opened = client.post(
        f"{API}/{http.id}/readings",
        json={"purpose": "Kiểm tra theo kế hoạch 2026"},
        headers=auth("kiem-tra"),
    )
    assert opened.status_code == 201
    reading = {"X-Reading-Id": opened.get_json()["reading_id"]}
    read = client.get(f"{API}/{http.id}/history", headers=auth("kiem-tra", **reading))
    assert read.status_code == 200
    state = client.get(f"{API}/{http.id}", headers=auth("kiem-tra", **reading)).get_json()
    assert "register_only" not in state
    # A reading is the inspector's own: another inspector cannot borrow it.
    assert (
        client.get(f"{API}/{http.id}/history", headers=auth("can-bo", **reading)).status_code
        == 200
    )
    client.get(f"{API}/{http.id}/history", headers=auth("chu-tich"))  # not an inspector
    log = client.get(f"{API}/{http.id}/access-log", headers=auth("can-bo")).get_json()
    assert [(e["actor"]["name"], e["actor"]["role"], e["what"], e["purpose"]) for e in log] == [
        ("Mai Xuân Sơn", "inspector", "record", "Kiểm tra theo kế hoạch 2026")
    ]
    position = client.get("/api/health").get_json()["log_position"]
    feed = live(
        client, auth, f"/api/v1/audit?event_type=Accessed&organisation_id={WARD}", position
    )
    assert [r["actor_name"] for r in feed["items"]] == ["Mai Xuân Sơn"]
    assert http.state()["version"] == 3, "reading never changes the initiative"
