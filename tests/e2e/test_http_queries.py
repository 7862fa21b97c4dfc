"""The query API: read-your-writes, dashboards and the audit feed over HTTP."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from projections.storage import Storage
from tests.conftest import SECRET, _url
from tests.e2e.test_http_api import API, Driver, problem_of
from tests.factories import Clock, oid, pid, proposal
from web import create_app


def test_a_query_with_min_position_reads_the_write(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    created = http.post(
        "",
        "can-bo",
        {"title": "Đọc ngay sau khi ghi", "employing_organisation_id": str(oid("ben-thanh-ubnd"))},
        201,
    )
    http.id = created["id"]
    listed = client.get(
        f"{API}?min_position={created['position']}&q=doc ngay", headers=auth("can-bo")
    ).get_json()
    assert [i["id"] for i in listed["items"]] == [created["id"]]
    submitted = http.post("submit", "can-bo", proposal())
    page = client.get(
        f"{API}?status=submitted&min_position={submitted['position']}", headers=auth("can-bo")
    ).get_json()
    assert [(i["id"], i["version"]) for i in page["items"]] == [(created["id"], 2)]


def test_dashboards_and_audit_over_http(http: Driver, client: FlaskClient, auth: Any) -> None:
    http.to_review()
    position = http.client.get("/api/health").get_json()["log_position"]
    query = f"min_position={position}"
    inbox = client.get(
        f"/api/v1/dashboard/inbox?organisation_id={oid('ben-thanh-ubnd')}&{query}",
        headers=auth("chu-tich"),
    ).get_json()
    assert [(r["id"], r["working_days_left"]) for r in inbox["items"]] == [(http.id, 7)]
    deadlines = client.get(
        f"/api/v1/dashboard/deadlines?{query}", headers=auth("tp-chu-tich")
    ).get_json()
    assert [r["initiative_id"] for r in deadlines["running"]] == [http.id]
    outcomes = client.get(
        f"/api/v1/dashboard/outcomes?organisation_id={oid('hcm-ubnd')}",
        headers=auth("tp-chu-tich"),
    ).get_json()["items"]
    assert outcomes[0]["rolled_up"]["by_status"] == {"under_review": 1}
    records = client.get(
        f"/api/v1/dashboard/cadre-records?person_id={pid('can-bo')}", headers=auth("tp-chu-tich")
    ).get_json()["items"]
    assert (records[0]["period"], records[0]["proposed"]) == ("2026", 1)
    assert client.get(
        "/api/v1/dashboard/supervision?days=30", headers=auth("tp-chu-tich")
    ).get_json() == {"items": [], "as_of": None}
    protection = client.get("/api/v1/dashboard/protection", headers=auth("tp-chu-tich"))
    assert protection.get_json() == {"items": [], "as_of": None}
    feed = client.get(
        f"/api/v1/audit?aggregate_id={http.id}&limit=2", headers=auth("chu-tich")
    ).get_json()
    assert [r["event_type"] for r in feed["items"]] == ["Received", "Submitted"]
    rest = client.get(
        f"/api/v1/audit?aggregate_id={http.id}&before={feed['next_before']}",
        headers=auth("chu-tich"),
    ).get_json()
    assert [r["event_type"] for r in rest["items"]] == ["Drafted"]
    health = client.get("/api/health").get_json()
    assert health["views_lag"] == 0


def test_bad_query_arguments_are_422(client: FlaskClient, auth: Any) -> None:
    problem_of(client.get(f"{API}?sort=colour", headers=auth("can-bo")), 422)
    problem_of(client.get(f"{API}?cursor=!!!", headers=auth("can-bo")), 422)
    problem_of(client.get(f"{API}?limit=0", headers=auth("can-bo")), 422)
    problem_of(client.get("/api/v1/dashboard/inbox", headers=auth("can-bo")), 422)


def test_views_that_do_not_catch_up_answer_503(
    storage: Storage, clock: Clock, web_app: Flask, auth: Any
) -> None:
    lagging = create_app(
        {
            "DATABASE_URL": _url(storage),
            "DATABASE_SCHEMA": storage.schema,
            "JWT_SECRET": SECRET,
            "READ_WAIT_SECONDS": "0.2",
        },
        clock=clock,
    )
    try:
        head = lagging.extensions["ledger.service"].get().recorder.max_notification_id()
        client = lagging.test_client()
        response = client.get(f"{API}?min_position={head}", headers=auth("can-bo"))
        body = problem_of(response, 503)
        assert f"log position {head}" in body["detail"]
        assert response.headers["Retry-After"] == "1"
        beyond = client.get(f"{API}?min_position={head + 1}", headers=auth("can-bo"))
        assert problem_of(beyond, 422)["detail"] == (
            f"min_position {head + 1} is past the end of the log ({head})"
        )
    finally:
        lagging.extensions["ledger.reads"].stop()
        lagging.extensions["ledger.service"].close()


def waiting(client: FlaskClient, auth: Any, answer: Any) -> list[tuple[Any, ...]]:
    """The ward's inbox once the views hold `answer`: each row's id, status, what it waits
    for and who must act next."""
    found = client.get(
        f"/api/v1/dashboard/inbox?organisation_id={oid('ben-thanh-ubnd')}"
        f"&min_position={answer['position']}",
        headers=auth("chu-tich"),
    ).get_json()
    return [
        (
            r["id"],
            r["status"],
            r["waiting_for"],
            r["next_actor"],
            r["next_actor_organisation_id"],
            r["next_actor_person_ids"],
        )
        for r in found["items"]
    ]


def test_the_inbox_says_what_each_proposal_waits_for_and_who_must_act(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    ward, party = str(oid("ben-thanh-ubnd")), str(oid("ben-thanh-dang-uy"))
    http.draft()
    answer = http.post("submit", "can-bo", proposal())
    assert waiting(client, auth, answer) == [
        (http.id, "submitted", "receive", ["clerk", "head"], ward, [])
    ]
    answer = http.post(
        "receive", "van-thu", {"receipt_date": "2026-03-02", "incoming_number": "9"}
    )
    assert waiting(client, auth, answer) == [
        (
            http.id,
            "under_review",
            "give_party_opinion",
            ["party_committee", "head", "deputy"],
            party,  # the ward's same-level party committee
            [],
        )
    ]
    answer = http.post(
        "party-opinion", "dang-uy", {"phase": "approval", "opinion": "Đồng ý", "document_ref": "1"}
    )
    assert waiting(client, auth, answer) == [
        (http.id, "under_review", "hold_leadership_meeting", ["head"], ward, [])
    ]
    answer = http.post(
        "leadership-meeting",
        "chu-tich",
        {
            "meeting_date": "2026-03-02",
            "attendee_ids": [str(pid("chu-tich")), str(pid("pho-1"))],
            "votes": [
                {"person_id": str(pid("chu-tich")), "vote": "for"},
                {"person_id": str(pid("pho-1")), "vote": "for"},
            ],
            "minutes_ref": "BB 1",
        },
    )
    assert waiting(client, auth, answer) == [
        (http.id, "under_review", "approve", ["head"], ward, [])
    ]
    answer = http.post(
        "request-clarification",
        "chu-tich",
        {"items": ["Làm rõ nguồn kinh phí"], "due_date": "2026-03-09"},
    )
    assert waiting(client, auth, answer) == [
        (http.id, "clarification_requested", "amend", ["proposer"], ward, [str(pid("can-bo"))])
    ]
