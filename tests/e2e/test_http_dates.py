"""Honest dates through the HTTP API, on SQLite and PostgreSQL (domain.md §5.12): a date a body
states before the event it follows, or after today in Vietnam, is a 422 problem naming it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import one_app_per_module
from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.factories import Clock, approval, oversight_directory, pid, proposal

# Each test drives an initiative of its own: one store and app per backend for the module.
storage, module_clock, clock, web_app = one_app_per_module(oversight_directory)


def refusal(
    client: FlaskClient, auth: Any, http: Driver, path: str, who: str, body: dict[str, Any]
) -> dict[str, Any]:
    """The 422 problem a command answers, once the history is checked unchanged."""
    before = http.history()
    response = client.post(f"{API}/{http.id}/{path}", json=plain(body), headers=auth(who))
    problem = problem_of(response, 422)
    assert http.history() == before
    return problem


def submitted_on_5_december(http: Driver, clock: Clock) -> None:
    clock.on(date(2026, 12, 5))
    http.draft()
    http.post("submit", "can-bo", proposal())
    clock.on(date(2026, 12, 7))


def test_a_receipt_before_the_submission_is_refused(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any
) -> None:
    submitted_on_5_december(http, clock)
    body = {"receipt_date": "2025-12-30", "incoming_number": "1/VT"}
    problem = refusal(client, auth, http, "receive", "van-thu", body)
    said = "the receipt date 30/12/2025 is before the submission on 05/12/2026"
    assert (problem["detail"], problem["errors"]) == (said, {"receipt_date": [said]})


def test_a_receipt_after_today_in_vietnam_is_refused(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any
) -> None:
    submitted_on_5_december(http, clock)
    clock.now = datetime(2026, 12, 7, 16, 59, tzinfo=UTC)  # 23:59 on 7 December in Vietnam
    body = {"receipt_date": "2026-12-08", "incoming_number": "1/VT"}
    problem = refusal(client, auth, http, "receive", "van-thu", body)
    said = "the receipt date 08/12/2026 is later than today, 07/12/2026 in Vietnam"
    assert (problem["detail"], problem["errors"]) == (said, {"receipt_date": [said]})
    clock.now = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # midnight: 8 December there
    http.post("receive", "van-thu", body)
    assert http.state()["received"] == {"receipt_date": "2026-12-08", "incoming_number": "1/VT"}


def test_a_receipt_on_the_day_of_the_submission_is_taken_and_entered_when_it_is(
    http: Driver, clock: Clock
) -> None:
    submitted_on_5_december(http, clock)
    http.post("receive", "van-thu", {"receipt_date": "2026-12-05", "incoming_number": "1/VT"})
    assert http.state()["received"] == {"receipt_date": "2026-12-05", "incoming_number": "1/VT"}
    received = http.history()[-1]
    assert (received["type"], received["data"]["receipt_date"], received["recorded_at"]) == (
        "Received",
        "2026-12-05",
        "2026-12-07T03:00:00+00:00",
    )


def test_the_work_neither_starts_before_its_approval_nor_completes_before_its_start(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any
) -> None:
    http.to_decision()
    clock.on(date(2026, 3, 4))
    http.post("approve", "chu-tich", approval(approved_start=date(2026, 3, 1)))
    clock.on(date(2026, 3, 10))
    problem = refusal(client, auth, http, "start", "can-bo", {"actual_start": "2026-03-03"})
    said = "the start date 03/03/2026 is before the approval on 04/03/2026"
    assert problem["errors"] == {"actual_start": [said]}
    http.post("start", "can-bo", {"actual_start": "2026-03-04"})
    problem = refusal(client, auth, http, "complete", "can-bo", {"completion_date": "2026-03-03"})
    said = "the completion date 03/03/2026 is before the start of the work on 04/03/2026"
    assert problem["errors"] == {"completion_date": [said]}
    http.post("complete", "can-bo", {"completion_date": "2026-03-04"})
    assert http.state()["implementation"] == {
        "actual_start": "2026-03-04",
        "completion_date": "2026-03-04",
    }


def test_a_meeting_before_the_last_amendment_is_refused(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any
) -> None:
    http.to_review()  # received on 2 March
    clock.on(date(2026, 3, 6))
    http.post("amend", "can-bo", {"changes": {"purpose": "Rút ngắn xuống 2 ngày."}})
    body = {
        "meeting_date": "2026-03-05",
        "attendee_ids": [str(pid("chu-tich"))],
        "votes": [{"person_id": str(pid("chu-tich")), "vote": "for"}],
        "minutes_ref": "BB",
    }
    problem = refusal(client, auth, http, "leadership-meeting", "chu-tich", body)
    said = "the meeting date 05/03/2026 is before the last amendment on 06/03/2026"
    assert problem["errors"] == {"meeting_date": [said]}
