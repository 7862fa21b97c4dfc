"""The leadership meeting over HTTP, on SQLite and PostgreSQL: a quorum of the eligible members
present (more than half, or the organisation's own rule from the day it takes effect), only
eligible members attend, only attendees vote; a refusal is a 422 problem naming the field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.factories import Clock, pid, ward_directory
from web.schemas.directory import DirectoryFileSchema


def meeting(attendees: list[str], votes: dict[str, str], on: str = "2026-03-02") -> dict[str, Any]:
    """The body of a meeting `on` that day, its attendees and votes given by key."""
    return {
        "meeting_date": on,
        "attendee_ids": [str(pid(k)) for k in attendees],
        "votes": [{"person_id": str(pid(k)), "vote": v} for k, v in votes.items()],
        "minutes_ref": "BB 3/UBND",
    }


def refused(http: Driver, client: FlaskClient, auth: Any, body: dict[str, Any]) -> Any:
    """The meeting refused as a 422 problem, nothing recorded: the problem's detail and
    errors."""
    before = len(http.history())
    response = client.post(
        f"{API}/{http.id}/leadership-meeting", json=body, headers=auth("chu-tich")
    )
    problem = problem_of(response, 422)
    assert len(http.history()) == before
    return problem["detail"], problem["errors"]


def test_the_head_alone_with_two_eligible_deputies_is_refused(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.to_review()
    detail = "no quorum: 1 of 3 eligible members present, more than half (2) needed"
    assert refused(http, client, auth, meeting(["chu-tich"], {"chu-tich": "for"})) == (
        detail,
        {"attendee_ids": [detail]},
    )
    http.post(
        "leadership-meeting", "chu-tich", meeting(["chu-tich", "pho-2"], {"chu-tich": "for"})
    )
    held = http.history()[-1]
    assert held["type"] == "LeadershipMeetingHeld"
    assert held["data"]["attendee_ids"] == [str(pid("chu-tich")), str(pid("pho-2"))]
    assert held["data"]["votes"] == [{"person_id": str(pid("chu-tich")), "vote": "for"}]
    assert held["data"]["passed"] is True
    assert http.state()["last_meeting"]["passed"] is True


def test_one_of_two_eligible_members_is_refused(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.to_review("pho-1")  # the deputy proposed: the head and pho-2 are eligible
    detail = "no quorum: 1 of 2 eligible members present, more than half (2) needed"
    assert refused(http, client, auth, meeting(["chu-tich"], {"chu-tich": "for"})) == (
        detail,
        {"attendee_ids": [detail]},
    )


@pytest.mark.parametrize(
    ("attendees", "votes", "field", "detail"),
    [
        (
            ["chu-tich", "pho-1"],
            {"chu-tich": "for", "pho-2": "against"},
            "votes",
            f"{pid('pho-2')} voted but is not among the attendees",
        ),
        (
            ["chu-tich", "pho-1", "van-thu"],
            {"chu-tich": "for"},
            "attendee_ids",
            f"{pid('van-thu')} is among the attendees but not an eligible member"
            " (head or deputy on the meeting day, not a proposer)",
        ),
        (
            ["chu-tich", "pho-1", "pho-1"],
            {"chu-tich": "for"},
            "attendee_ids",
            "an attendee is listed twice",
        ),
    ],
    ids=["a-vote-from-a-non-attendee", "a-clerk-among-the-attendees", "an-attendee-twice"],
)
def test_attendance_and_votes_are_refused_naming_the_rule(
    http: Driver,
    client: FlaskClient,
    auth: Any,
    attendees: list[str],
    votes: dict[str, str],
    field: str,
    detail: str,
) -> None:
    http.to_review()
    assert refused(http, client, auth, meeting(attendees, votes)) == (detail, {field: [detail]})


def test_the_organisations_own_rule_applies_from_its_valid_from(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask, clock: Clock
) -> None:
    ward = ward_directory()["organisations"][2]
    rule = {"valid_from": "2026-03-03", "at_least": "1/1"}  # from 3 March: every member
    # The import file as the CLI loads it (`ledger directory import`).
    file = DirectoryFileSchema().load(plain({"organisations": [{**ward, "quorum": [rule]}]}))
    web_app.extensions["ledger.service"].get().import_directory(file, "test")
    answer = client.get("/api/v1/organisations/by-key/ben-thanh-ubnd", headers=auth("can-bo"))
    assert answer.get_json()["quorum"] == [{"valid_from": "2026-03-03", "at_least": "1/1"}]

    http.to_review()
    clock.now = datetime(2026, 3, 3, 3, tzinfo=UTC)
    two = meeting(["chu-tich", "pho-1"], {"chu-tich": "for", "pho-1": "for"}, on="2026-03-03")
    detail = (
        "no quorum: 2 of 3 eligible members present, all (3) needed"
        " under the organisation's own rule in force from 03/03/2026"
    )
    assert refused(http, client, auth, two) == (detail, {"attendee_ids": [detail]})
    # The day before the rule took effect, more than half was the quorum.
    http.post("leadership-meeting", "chu-tich", {**two, "meeting_date": "2026-03-02"})
    assert http.history()[-1]["data"]["meeting_date"] == "2026-03-02"
