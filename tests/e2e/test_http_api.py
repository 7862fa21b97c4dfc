"""The HTTP contract through the Flask test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from uuid import UUID

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SECRET
from tests.factories import (
    PROPOSAL_PATH,
    approval,
    commendation,
    evaluation,
    oid,
    pid,
    position,
    proposal,
)
from tests.unit.test_directory_reads import counted_loads
from web.problems import PROBLEM

API = "/api/v1/initiatives"


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready copy (dates and UUIDs as strings)."""
    return json.loads(json.dumps(data, default=str))


class Driver:
    """Drives one initiative over HTTP and checks every answer's status."""

    def __init__(self, client: FlaskClient, auth: Any) -> None:
        self.client = client
        self.auth = auth
        self.id = ""

    def post(
        self, path: str, who: str, body: dict[str, Any], status: int = 200, **headers: str
    ) -> Any:
        response = self.client.post(
            f"{API}/{self.id}/{path}" if path else API,
            json=plain(body),
            headers=self.auth(who, **headers),
        )
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def draft(self, who: str = "can-bo", **body: Any) -> str:
        body = {
            "title": "Một cửa điện tử",
            "employing_organisation_id": str(oid("ben-thanh-ubnd")),
            **body,
        }
        created = self.post("", who, body, 201)
        self.id = created["id"]
        return self.id

    def to_review(self, who: str = "can-bo", on: str = "2026-03-02") -> None:
        """Drafted and submitted by `who`, received by the clerk as of `on` (not before the
        submission: domain.md §5.12)."""
        self.draft(who)
        self.post("submit", who, proposal())
        self.post("receive", "van-thu", {"receipt_date": on, "incoming_number": "9/VT"})

    def opinion_and_vote(
        self,
        votes: dict[str, str],
        phase: str = "approval",
        on: str = "2026-03-02",
        opinion_ref: str = "CV 1/ĐU",
        minutes_ref: str = "BB 1",
    ) -> None:
        """The party committee's opinion, then the leadership meeting's votes (by attendee)."""
        self.post(
            "party-opinion",
            "dang-uy",
            {"phase": phase, "opinion": "Đồng ý", "document_ref": opinion_ref},
        )
        self.post(
            "leadership-meeting",
            "chu-tich",
            {
                "meeting_date": on,
                "attendee_ids": [str(pid(k)) for k in votes],
                "votes": [{"person_id": str(pid(k)), "vote": v} for k, v in votes.items()],
                "minutes_ref": minutes_ref,
            },
        )

    def evaluated_protected_commended(self) -> None:
        """After the result report: evaluated on 20/01/2027 (opinion and vote first), the
        protection asked for and determined, the cadre commended."""
        self.opinion_and_vote(
            {"chu-tich": "for", "pho-1": "for"}, "evaluation", "2027-01-20", "CV 9/ĐU", "BB 12"
        )
        self.post("evaluate", "chu-tich", evaluation())
        self.post(
            "request-protection",
            "can-bo",
            {"trigger": "inspection", "proceeding_ref": "KL 1/UBKT"},
        )
        self.post(
            "determine-protection",
            "chu-tich",
            {
                "measure": "no_liability",
                "reasons": "Hoàn thành",
                "evidence": ["BB đánh giá"],
                "document_ref": "QĐ 30",
            },
        )
        self.post("commend", "thi-dua", commendation(decision_document="QĐ khen 5"))

    def replicated(self, target: str = "sai-gon-ubnd") -> None:
        """Its replication to `target` proposed by the ward's head and approved by the city's."""
        proposed = self.post(
            "propose-replication",
            "chu-tich",
            {"target_organisation_ids": [str(oid(target))], "reason": "Hiệu quả"},
        )["version"]
        self.post(
            "approve-replication",
            "tp-chu-tich",
            {"proposal_version": proposed, "decision_document": "QĐ 99"},
        )

    def to_decision(self) -> None:
        """Reviewed, the party committee's opinion and a majority vote: the head decides."""
        self.to_review()
        self.opinion_and_vote({"chu-tich": "for", "pho-1": "for", "pho-2": "against"})

    def to_approval(self) -> Any:
        """Reviewed, the opinion and a majority vote, approved: the answer to the approval."""
        self.to_decision()
        return self.post("approve", "chu-tich", approval())

    def state(self, who: str = "chu-tich") -> Any:
        response = self.client.get(f"{API}/{self.id}", headers=self.auth(who))
        assert response.status_code == 200
        return response.get_json()

    def history(self, who: str = "chu-tich") -> list[dict[str, Any]]:
        response = self.client.get(f"{API}/{self.id}/history", headers=self.auth(who))
        assert response.status_code == 200
        return response.get_json()


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    return body


def test_the_whole_proposal_path_and_its_history(http: Driver) -> None:
    assert http.to_approval() == {"version": 6, "position": 36}
    state = http.state()
    assert (state["status"], state["version"]) == ("approved", 6)
    assert state["proposer_ids"] == [str(pid("can-bo"))]
    assert state["addressee_id"] == str(oid("ben-thanh-ubnd"))
    assert state["approval"]["basis"] == "majority"
    assert state["approval"]["start"] == "2026-04-01"
    history = http.history()
    assert [h["type"] for h in history] == PROPOSAL_PATH
    approved = history[-1]
    assert approved["actor"] == {
        "person_id": str(pid("chu-tich")),
        "name": "Nguyễn Thị Hồng",
        "role": "head",
        "organisation_id": str(oid("ben-thanh-ubnd")),
    }
    assert approved["recorded_at"] == "2026-03-02T03:00:00+00:00"
    assert approved["data"]["approval"]["scope"] == "Phường Bến Thành"


def test_a_request_loads_the_caller_and_their_agency_once(
    http: Driver, web_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Authentication, the command's candidates and the actor read one directory
    (`ServiceBase.directory_reads`, opened per request by web/app.py)."""
    http.to_review()
    loads = counted_loads(web_app.extensions["ledger.service"].get(), monkeypatch)
    http.post(
        "party-opinion",
        "dang-uy",
        {"phase": "approval", "opinion": "Đồng ý", "document_ref": "CV 1"},
    )
    assert (loads[pid("dang-uy")], loads[oid("ben-thanh-ubnd")], loads[UUID(http.id)]) == (1, 1, 1)


def test_clarification_and_amendment(http: Driver) -> None:
    http.to_review()
    http.post(
        "request-clarification",
        "chu-tich",
        {"items": ["Làm rõ nguồn kinh phí"], "due_date": "2026-03-09"},
    )
    assert http.state()["status"] == "clarification_requested"
    http.post("amend", "can-bo", {"changes": {"budget_source": "Xã hội hóa"}, "note": "Bổ sung"})
    state = http.state()
    assert (state["status"], state["proposal"]["budget_source"]) == ("under_review", "Xã hội hóa")


def test_reject_escalate_and_withdraw(http: Driver) -> None:
    http.to_review()
    http.post("reject", "chu-tich", {"reasons": ["Chưa khả thi"], "document_ref": "CV 2"})
    assert http.state()["status"] == "rejected"
    http.to_review()
    http.post("escalate", "chu-tich", {"reason": "Vượt thẩm quyền"})
    assert http.state()["addressee_id"] == str(oid("hcm-ubnd"))
    http.post("withdraw", "can-bo", {"reason": "Rút để hoàn thiện"})
    assert http.state()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("who", "votes", "body", "status", "detail"),
    [
        (
            "can-bo",
            {"chu-tich": "for", "pho-1": "for"},
            {},
            403,
            "Phạm Đức Dũng did not hold a head position",
        ),
        (
            "chu-tich",
            {"chu-tich": "for", "pho-1": "for"},
            {"basis": "head_override", "justification": "Cấp bách"},
            409,
            "does not support the basis 'head_override'",
        ),
        ("chu-tich", None, {}, 409, "party committee's opinion"),
    ],
)
def test_refused_approvals_answer_a_problem_and_record_nothing(
    http: Driver,
    client: FlaskClient,
    auth: Any,
    who: str,
    votes: dict[str, str] | None,
    body: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    http.to_review()
    if votes:
        http.opinion_and_vote(votes)
    before = len(http.history())
    response = client.post(
        f"{API}/{http.id}/approve", json=plain(approval(**body)), headers=auth(who)
    )
    assert detail in problem_of(response, status)["detail"]
    assert len(http.history()) == before


def test_a_proposer_cannot_approve_their_own_initiative(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.draft("pho-1")
    http.post("submit", "pho-1", proposal())
    http.post("receive", "van-thu", {"receipt_date": "2026-03-02", "incoming_number": "1"})
    response = client.post(
        f"{API}/{http.id}/leadership-meeting",
        headers=auth("chu-tich"),
        json={
            "meeting_date": "2026-03-02",
            "attendee_ids": [str(pid("pho-1"))],
            "votes": [{"person_id": str(pid("pho-1")), "vote": "for"}],
            "minutes_ref": "BB",
        },
    )
    assert problem_of(response, 403)["detail"] == "a proposer cannot vote on their own initiative"


def test_the_heads_own_proposal_cannot_be_approved_by_that_head(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.draft("chu-tich")
    http.post("submit", "chu-tich", proposal())
    assert http.state()["addressee_id"] == str(oid("hcm-ubnd"))
    response = client.post(
        f"{API}/{http.id}/receive",
        headers=auth("chu-tich"),
        json={"receipt_date": "2026-03-02", "incoming_number": "1"},
    )
    assert "Ủy ban nhân dân Thành phố Hồ Chí Minh" in problem_of(response, 403)["detail"]


def test_a_stale_if_match_is_412_and_records_nothing(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.draft()
    response = client.post(
        f"{API}/{http.id}/submit",
        json=plain(proposal()),
        headers=auth("can-bo", **{"If-Match": '"7"'}),
    )
    assert "expected version 7" in problem_of(response, 412)["detail"]
    assert http.state()["version"] == 1
    response = client.post(
        f"{API}/{http.id}/submit",
        json=plain(proposal()),
        headers=auth("can-bo", **{"If-Match": '"1"'}),
    )
    assert (response.status_code, response.headers["ETag"]) == (200, '"2"')


def test_if_match_must_be_a_version(http: Driver, client: FlaskClient, auth: Any) -> None:
    http.draft()
    response = client.post(
        f"{API}/{http.id}/withdraw",
        json={"reason": "x"},
        headers=auth("can-bo", **{"If-Match": "abc"}),
    )
    problem_of(response, 412)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": ""}, "title", "must not be empty"),
        ({"title": 5}, "title", "Not a valid string."),
        ({"title": "Tên", "surprise": 1}, "surprise", "Unknown field."),
        ({"title": "a\x07b"}, "title", "control characters are not allowed"),
        ({"title": "x" * 501}, "title", "Longer than maximum length 500."),
        (
            {"title": "Tên", "employing_organisation_id": "nope"},
            "employing_organisation_id",
            "Not a valid UUID.",
        ),
    ],
)
def test_invalid_fields_are_422_with_field_errors(
    client: FlaskClient, auth: Any, body: dict[str, Any], field: str, message: str
) -> None:
    body = {"employing_organisation_id": str(oid("ben-thanh-ubnd")), **body}
    response = client.post(API, json=body, headers=auth("can-bo"))
    assert problem_of(response, 422)["errors"][field] == [message]


def test_dates_out_of_range_are_refused(http: Driver, client: FlaskClient, auth: Any) -> None:
    http.draft()
    response = client.post(
        f"{API}/{http.id}/submit",
        headers=auth("can-bo"),
        json=plain(proposal(planned_start=date(1900, 1, 1))),
    )
    assert problem_of(response, 422)["errors"]["planned_start"][0].startswith("must be between")


def test_malformed_json_is_400(client: FlaskClient, auth: Any) -> None:
    response = client.post(
        API, data="{nope", content_type="application/json", headers=auth("can-bo")
    )
    assert problem_of(response, 400)["detail"] == "Invalid JSON body."


def test_unknown_and_malformed_ids_are_404(client: FlaskClient, auth: Any) -> None:
    unknown = "6f1c1a5e-0000-4000-8000-000000000000"
    body = problem_of(client.get(f"{API}/{unknown}", headers=auth("can-bo")), 404)
    assert body["detail"] == f"no initiative with id {unknown}"
    problem_of(client.get(f"{API}/not-a-uuid", headers=auth("can-bo")), 404)
    problem_of(
        client.post(f"{API}/{unknown}/withdraw", json={"reason": "x"}, headers=auth("can-bo")), 404
    )


def test_vietnamese_text_round_trips_in_nfc(http: Driver) -> None:
    decomposed = unicodedata.normalize("NFD", "Đổi mới sáng tạo ở phường Bến Thành")
    http.draft(title=decomposed)
    assert http.state()["title"] == "Đổi mới sáng tạo ở phường Bến Thành"
    assert http.state()["title"] == unicodedata.normalize("NFC", decomposed)


ISSUED = 1_767_225_600  # 2026-01-01: fixed, so the test ids are the same in every process


def token(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    base = {
        "sub": "can-bo",
        "iss": "initiative-ledger",
        "aud": "initiative-ledger",
        "iat": int(time.time()),
        "exp": int(time.time()) + 86_400,  # built at import: outlive the suite
    }
    return jwt.encode({**base, **claims}, key, algorithm=algorithm)


@pytest.mark.attack(11)
@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (None, "an 'Authorization: Bearer <token>' header is required"),
        ("Basic abc", "an 'Authorization: Bearer <token>' header is required"),
        ("Bearer " + token({"exp": int(time.time()) - 3600}), "the token has expired"),
        (
            "Bearer " + token({}, key="another-secret-" + "y" * 40),
            "the token is not valid: Signature verification failed",
        ),
        (
            "Bearer " + token({}, algorithm="none", key=""),
            "the token is not valid: The specified alg value is not allowed",
        ),
        (
            "Bearer " + token({"sub": "nobody"}),
            "the token names a person who is not in the directory",
        ),
        (
            "Bearer " + token({"aud": "someone-else"}),
            "the token is not valid: Audience doesn't match",
        ),
        (
            "Bearer " + token({"iat": ISSUED, "exp": 253402300799}),  # 31/12/9999
            f"the token lives {253402300799 - ISSUED} s; this service accepts at most 604800 s"
            " (JWT_MAX_TTL)",
        ),
    ],
)
def test_bad_tokens_are_401(client: FlaskClient, header: str | None, detail: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get(f"{API}/6f1c1a5e-0000-4000-8000-000000000000", headers=headers)
    assert problem_of(response, 401)["detail"] == detail
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_may_name_the_person_by_id(client: FlaskClient) -> None:
    header = {"Authorization": "Bearer " + token({"sub": str(pid("can-bo"))})}
    response = client.get("/api/v1/people/by-key/can-bo", headers=header)
    assert response.get_json()["full_name"] == "Phạm Đức Dũng"


def test_directory_endpoints(client: FlaskClient, auth: Any) -> None:
    orgs = client.get("/api/v1/organisations?min_position=30", headers=auth("can-bo")).get_json()
    assert [o["key"] for o in orgs] == [
        "ben-thanh-dang-uy",
        "ben-thanh-ubnd",
        "hcm-thanh-uy",
        "hcm-ubnd",
    ]
    ward = client.get(
        f"/api/v1/organisations/{oid('ben-thanh-ubnd')}", headers=auth("can-bo")
    ).get_json()
    assert ward["superior"] == "hcm-ubnd"
    assert len(ward["positions"]) == 5
    by_key = client.get("/api/v1/organisations/by-key/ben-thanh-ubnd", headers=auth("can-bo"))
    assert by_key.get_json() == ward
    people = client.get("/api/v1/people?min_position=30", headers=auth("can-bo")).get_json()
    assert len(people) == 8
    person = client.get(f"/api/v1/people/{pid('dang-uy')}", headers=auth("can-bo")).get_json()
    assert person["positions"][0]["organisation_id"] == str(oid("ben-thanh-dang-uy"))
    problem_of(client.get("/api/v1/people/by-key/nobody", headers=auth("can-bo")), 404)


def test_health_openapi_and_docs(client: FlaskClient, web_app: Any) -> None:
    health = client.get("/api/health").get_json()
    assert health["status"] == "ok"
    assert health["storage"] == web_app.extensions["ledger.service"].storage.kind
    assert health["log_position"] == 30
    spec = client.get("/api/openapi.json").get_json()
    paths = set(spec["paths"])
    for command in (
        "submit",
        "receive",
        "request-clarification",
        "amend",
        "party-opinion",
        "leadership-meeting",
        "approve",
        "reject",
        "escalate",
        "withdraw",
    ):
        assert f"/api/v1/initiatives/{{initiative_id}}/{command}" in paths
    assert (
        "422" in spec["paths"]["/api/v1/initiatives/{initiative_id}/approve"]["post"]["responses"]
    )
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"/api/docs/static/swagger-ui-bundle.js" in docs.data
    bundle = client.get("/api/docs/static/swagger-ui-bundle.js")
    assert (bundle.status_code, bundle.mimetype) == (200, "text/javascript")
    bundle.close()


def test_method_not_allowed_is_a_problem(client: FlaskClient, auth: Any) -> None:
    problem_of(client.delete(API, headers=auth("can-bo")), 405)


@pytest.mark.attack(10)
def test_a_body_over_the_limit_is_413(client: FlaskClient, auth: Any, web_app: Any) -> None:
    web_app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post(
        API, data="x" * 2000, content_type="application/json", headers=auth("can-bo")
    )
    problem_of(response, 413)


@pytest.mark.parametrize("precondition", [{"If-Match": '"1"'}, {}])
def test_concurrent_commands_on_one_initiative_record_exactly_one(
    http: Driver, web_app: Any, auth: Any, precondition: dict[str, str]
) -> None:
    http.draft()
    headers = auth("can-bo", **precondition)
    barrier = threading.Barrier(8)

    def withdraw(n: int) -> int:
        client = web_app.test_client()
        barrier.wait()
        response = client.post(
            f"{API}/{http.id}/withdraw",
            json={"reason": f"Lý do {n}"},
            headers={**headers, "If-Match": '"1"'},
        )
        status = response.status_code
        response.close()
        return status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(withdraw, range(8)))
    assert statuses.count(200) == 1
    assert set(statuses) <= {200, 409, 412}
    assert [h["version"] for h in http.history()] == [1, 2]


def test_self_approval_is_403_with_the_reason(
    http: Driver, client: FlaskClient, auth: Any, web_app: Any
) -> None:
    http.draft("pho-1")
    http.post("submit", "pho-1", proposal())
    http.post("receive", "van-thu", {"receipt_date": "2026-03-02", "incoming_number": "1"})
    http.opinion_and_vote({"chu-tich": "for", "pho-2": "for"})
    acting = {"positions": [position("pho-1", "ben-thanh-ubnd", "head", key="acting-head")]}
    web_app.extensions["ledger.service"].get().import_directory(acting, "test")
    response = client.post(
        f"{API}/{http.id}/approve", json=plain(approval()), headers=auth("pho-1")
    )
    body = problem_of(response, 403)
    assert body["detail"] == "a proposer cannot approve their own initiative"
    assert http.state()["status"] == "under_review"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_nothing_is_updated_or_deleted_through_the_api(
    http: Driver, client: FlaskClient, auth: Any, method: str
) -> None:
    http.draft()
    response = getattr(client, method)(
        f"{API}/{http.id}", json={"title": "x"}, headers=auth("can-bo")
    )
    problem_of(response, 405)
    assert http.history()[0]["data"]["title"] == "Một cửa điện tử"


def test_invalid_utf8_is_refused(client: FlaskClient, auth: Any) -> None:
    response = client.post(
        API,
        data=b'{"title": "\xff\xfe", "employing_organisation_id": "x"}',
        content_type="application/json",
        headers=auth("can-bo"),
    )
    assert problem_of(response, 400)["detail"] == "Invalid JSON body."


def test_the_api_document_built_once_per_process_is_the_one_a_fresh_app_builds(
    client: FlaskClient, tmp_path: Any
) -> None:
    """Apps share the document their process built first (web.problems._DOCUMENTS): it must be
    the document an app would build for itself, whatever else its settings say."""
    from web import create_app, problems

    shared = client.get("/api/openapi.json").data
    problems._DOCUMENTS.clear()
    own = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
            "JWT_SECRET": SECRET,
            "MAX_CONTENT_LENGTH": "2048",
            "RATE_LIMIT": "off",
        }
    )
    assert problems._DOCUMENTS, "the fresh app built the document"
    assert own.test_client().get("/api/openapi.json").data == shared
