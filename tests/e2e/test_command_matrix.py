"""The command matrix: for each command, each relation to the initiative, allowed or 403."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import one_app_per_module
from tests.e2e.test_http_api import API, Driver, plain
from tests.factories import (
    Clock,
    approval,
    directory,
    evaluation,
    officer,
    oid,
    oversight_directory,
    pid,
    proposal,
    result_report,
    urgent_report,
    urgent_terms,
    ward_committee,
)

VOTES = {"chu-tich": "for", "pho-1": "for", "pho-2": "against"}
# A quorum: two of the three eligible members (the head and two deputies) present.
MEETING = {
    "meeting_date": "2026-03-02",
    "attendee_ids": [str(pid("chu-tich")), str(pid("pho-1"))],
    "votes": [{"person_id": str(pid("chu-tich")), "vote": "for"}],
    "minutes_ref": "BB",
}


def in_review(http: Driver) -> None:
    http.to_review()


def decided(http: Driver) -> None:
    http.to_review()
    http.opinion_and_vote(VOTES)
    http.post("approve", "chu-tich", approval())


def evaluation_round(http: Driver) -> None:
    http.post(
        "party-opinion",
        "dang-uy",
        {"phase": "evaluation", "opinion": "Đồng ý", "document_ref": "CV"},
    )
    http.post("leadership-meeting", "chu-tich", {**MEETING, "meeting_date": "2026-04-01"})


def running(http: Driver, clock: Clock) -> None:
    decided(http)
    clock.now = datetime(2026, 4, 1, 3, tzinfo=UTC)
    http.post("start", "can-bo", {"actual_start": "2026-04-01"})


# command → (state, body, {person: allowed})
MATRIX: dict[str, tuple[str, dict[str, Any], dict[str, bool]]] = {
    "receive": (
        "submitted",
        {"receipt_date": "2026-03-02", "incoming_number": "1"},
        {"van-thu": True, "chu-tich": True, "can-bo": False, "pho-1": False, "tp-chu-tich": False},
    ),
    "request-clarification": (
        "review",
        {"items": ["x"], "due_date": "2026-03-20"},
        {
            "chu-tich": True,
            "pho-1": False,
            "van-thu": False,
            "can-bo": False,
            "tp-chu-tich": False,
        },
    ),
    "party-opinion": (
        "review",
        {"phase": "approval", "opinion": "Đồng ý", "document_ref": "CV"},
        {"dang-uy": True, "can-bo": False, "chu-tich": False, "tp-chu-tich": False},
    ),
    "leadership-meeting": (
        "review",
        MEETING,
        {"chu-tich": True, "pho-1": False, "van-thu": False, "tp-chu-tich": False},
    ),
    "escalate": (
        "review",
        {"reason": "Vượt thẩm quyền"},
        {"chu-tich": True, "pho-1": False, "can-bo": False, "tp-chu-tich": False},
    ),
    "reject": (
        "review",
        {"reasons": ["x"], "document_ref": "CV"},
        {"chu-tich": True, "pho-2": False, "van-thu": False, "tp-chu-tich": False},
    ),
    "withdraw": ("review", {"reason": "Rút"}, {"can-bo": True, "chu-tich": False, "pho-1": False}),
    "allocate-resources": (
        "approved",
        {"funds_vnd": 1},
        {"chu-tich": True, "pho-1": False, "can-bo": False, "tp-chu-tich": False},
    ),
    "supervision-note": (
        "approved",
        {"kind": "inspection", "findings": "Ổn"},
        {
            "chu-tich": True,
            "tp-chu-tich": True,
            "dang-uy": True,
            "kiem-tra": True,
            "can-bo": False,
            "van-thu": False,
            "pho-1": False,
        },
    ),
    "start": (
        "approved+april",
        {"actual_start": "2026-04-01"},
        {"can-bo": True, "chu-tich": False, "pho-1": False},
    ),
    "suspend": (
        "running",
        {"reason": "Rà soát", "decision_document": "QĐ"},
        {"chu-tich": True, "tp-chu-tich": True, "pho-1": False, "can-bo": False},
    ),
    "report-progress": (
        "running",
        {"period": "T4", "progress": "Tốt"},
        {"can-bo": True, "chu-tich": False, "van-thu": False},
    ),
}
MATRIX.update(
    {
        "submit": ("draft", proposal(), {"can-bo": True, "chu-tich": False, "pho-1": False}),
        "amend": (
            "review",
            {"changes": {"scope": "Hai khu phố"}},
            {"can-bo": True, "chu-tich": False, "van-thu": False},
        ),
        "approve": (
            "voted",
            approval(),
            {"chu-tich": True, "pho-1": False, "tp-chu-tich": False, "can-bo": False},
        ),
        "commend": (
            "approved",
            {
                "awarding_organisation_id": str(oid("hcm-ubnd")),
                "form": "praise",
                "person_ids": [str(pid("can-bo"))],
                "decision_document": "QĐ",
            },
            {"thi-dua": True, "chu-tich": False, "to-chuc": False},
        ),
        "request-protection": (
            "approved",
            {"trigger": "inspection"},
            {"can-bo": True, "kiem-tra": True, "tp-van-thu": False},
        ),
        "raise-obstacle": (
            "running",
            {"obstacle": "Thiếu máy"},
            {"can-bo": True, "chu-tich": False},
        ),
        "request-adjustment": (
            "running",
            {"changes": {"scope": "Toàn phường"}, "reason": "Mở rộng"},
            {"can-bo": True, "van-thu": False},
        ),
        "terminate": (
            "running",
            {"reason": "Rủi ro", "decision_document": "QĐ"},
            {"chu-tich": True, "tp-chu-tich": True, "pho-1": False},
        ),
        "complete": (
            "running",
            {"completion_date": "2026-04-01"},
            {"can-bo": True, "chu-tich": False},
        ),
        "interim-review": (
            "running",
            {"lessons": "Cần tập huấn"},
            {"chu-tich": True, "dang-uy": True, "can-bo": False},
        ),
    }
)
URGENT = urgent_report()
URGENT_TERMS = urgent_terms()
EVALUATION = evaluation()
MATRIX.update(
    {
        "report-urgent": (
            "urgent-draft",
            URGENT,
            {"can-bo": True, "chu-tich": True, "pho-1": False, "tp-chu-tich": False},
        ),
        "authorize-urgent": (
            "urgent",
            URGENT_TERMS,
            {"chu-tich": True, "pho-1": False, "tp-chu-tich": False},
        ),
        "refuse-urgent": (
            "urgent",
            {"reasons": ["Không cần"], "document_ref": "CV"},
            {"chu-tich": True, "pho-1": False, "van-thu": False},
        ),
        "resolve-obstacle": (
            "obstacle",
            {"obstacle_version": 8, "measure": "Mua máy"},
            {"chu-tich": True, "tp-chu-tich": True, "pho-1": False, "can-bo": False},
        ),
        "approve-adjustment": (
            "adjustment",
            {"request_version": 8, "decision_document": "QĐ"},
            {"chu-tich": True, "tp-chu-tich": False, "pho-1": False, "can-bo": False},
        ),
        "reject-adjustment": (
            "adjustment",
            {"request_version": 8, "reasons": ["Không"]},
            {"chu-tich": True, "tp-chu-tich": False, "can-bo": False},
        ),
        "resume": (
            "suspended",
            {"reason": "Tiếp tục", "decision_document": "QĐ"},
            {"chu-tich": True, "tp-chu-tich": True, "pho-1": False},
        ),
        "report-result": (
            "completed",
            result_report(),
            {"can-bo": True, "chu-tich": False, "van-thu": False},
        ),
        "evaluate": (
            "reported",
            EVALUATION,
            {"chu-tich": True, "pho-1": False, "tp-chu-tich": False},
        ),
        "final-review": (
            "evaluated",
            {"lessons": "Tốt"},
            {"chu-tich": True, "dang-uy": True, "can-bo": False},
        ),
        "determine-protection": (
            "evaluated",
            {"measure": "no_liability", "reasons": "Hoàn thành", "document_ref": "QĐ"},
            {"chu-tich": True, "tp-chu-tich": True, "pho-1": False, "can-bo": False},
        ),
        "cadre-evaluation-input": (
            "evaluated",
            {
                "personnel_organisation_id": str(oid("hcm-ubnd")),
                "person_id": str(pid("can-bo")),
                "period": "2026",
                "facts": "Hoàn thành",
            },
            {"to-chuc": True, "chu-tich": False, "thi-dua": False},
        ),
        "early-salary-step": (
            "evaluated",
            {
                "personnel_organisation_id": str(oid("hcm-ubnd")),
                "person_id": str(pid("can-bo")),
                "months_early": 6,
                "decision": "Đề nghị",
            },
            {"to-chuc": True, "chu-tich": False},
        ),
        "propose-replication": (
            "evaluated",
            {"target_organisation_ids": [str(oid("sai-gon-ubnd"))], "reason": "Tốt"},
            {"chu-tich": True, "tp-chu-tich": True, "pho-1": False},
        ),
        "recommend-institutionalisation": (
            "evaluated",
            {"target_instrument": "QĐ mới", "drafting_body": "Sở Nội vụ", "reason": "Tốt"},
            {"chu-tich": True, "tp-chu-tich": True, "can-bo": False},
        ),
        "archive": (
            "evaluated",
            {"archive_ref": "LT 1"},
            {"van-thu": True, "chu-tich": False, "can-bo": False},
        ),
        "ratify-urgent": (
            "urgent-acted",
            URGENT_TERMS,
            {"chu-tich": True, "pho-1": False, "can-bo": False},
        ),
        "approve-replication": (
            "replication-proposed",
            {"proposal_version": 13, "decision_document": "QĐ"},
            {"tp-chu-tich": True, "chu-tich": False, "pho-1": False},
        ),
        "name-proposers": (
            "replicated",
            {"proposer_ids": [str(pid("sg-van-thu"))]},
            {"sg-chu-tich": True, "chu-tich": False, "tp-chu-tich": False, "sg-van-thu": False},
        ),
        "hand-over": (
            "merged",
            {"from_organisation_id": str(oid("tan-dinh-ubnd"))},
            {"sg-chu-tich": True, "td-chu-tich": False, "sg-van-thu": False, "chu-tich": False},
        ),
        "correct": (
            "review",
            {
                "corrected_version": 3,
                "reason": "Sai số",
                "corrections": {"incoming_number": "9/VT-2"},
            },
            {"van-thu": True, "can-bo": False, "pho-1": False},
        ),
        "countersign-correction": (
            "correction-proposed",
            {"correction_version": 4},
            {"chu-tich": True, "van-thu": False, "pho-1": False, "tp-chu-tich": False},
        ),
        "liability-outcome": (
            "protection-requested",
            {
                "body_organisation_id": str(oid("hcm-ubkt")),
                "decision": "Không xử lý",
                "document_ref": "KL 1",
            },
            {"tp-van-thu": True, "kiem-tra": False, "chu-tich": False},
        ),
    }
)
CELLS = [(command, who) for command, (_, _, people) in MATRIX.items() for who in people]


def evaluated(http: Driver, clock: Clock, state: str) -> None:
    """Run, complete, report and evaluate (and request protection, for that state)."""
    running(http, clock)
    http.post("complete", "can-bo", {"completion_date": "2026-04-01"})
    http.post("report-result", "can-bo", result_report())
    evaluation_round(http)
    http.post("evaluate", "chu-tich", EVALUATION)
    if state == "protection-requested":
        http.post("request-protection", "can-bo", {"trigger": "inspection"})


def reach(http: Driver, clock: Clock, state: str) -> None:
    """Bring the new initiative into `state` (a state of MATRIX)."""
    if state in ("urgent-draft", "urgent", "urgent-acted"):
        reach_urgent(http, state)
    elif state == "merged":  # a proposal of Tân Định ward, merged into Sài Gòn ward
        http.draft("td-can-bo", employing_organisation_id=str(oid("tan-dinh-ubnd")))
        http.post("submit", "td-can-bo", proposal())
    elif state in ("draft", "submitted", "review", "voted", "correction-proposed"):
        reach_before_decision(http, state)
    elif state in ("approved", "approved+april"):
        decided(http)
        if state == "approved+april":
            clock.now = datetime(2026, 4, 1, 3, tzinfo=UTC)
    elif state in ("evaluated", "protection-requested", "replication-proposed", "replicated"):
        evaluated(http, clock, state)
        if state in ("replication-proposed", "replicated"):
            http.post(
                "propose-replication",
                "chu-tich",
                {"target_organisation_ids": [str(oid("sai-gon-ubnd"))], "reason": "Tốt"},
            )
        if state == "replicated":  # the cell acts on the child created in Sài Gòn
            http.post(
                "approve-replication",
                "tp-chu-tich",
                {"proposal_version": 13, "decision_document": "QĐ"},
            )
            http.id = http.state()["replications"][0]["children"][str(oid("sai-gon-ubnd"))]
    else:
        reach_under_way(http, clock, state)


def reach_urgent(http: Driver, state: str) -> None:
    """An urgent initiative: drafted, reported, or reported after acting."""
    http.draft(regime="urgent")
    if state == "urgent":
        http.post("report-urgent", "can-bo", URGENT)
    if state == "urgent-acted":
        http.post("report-urgent", "can-bo", {**URGENT, "acted_on": "2026-03-02"})


def reach_before_decision(http: Driver, state: str) -> None:
    """A proposal not yet decided: drafted, submitted, or in review."""
    if state == "draft":
        http.draft()
    elif state == "submitted":
        http.draft()
        http.post("submit", "can-bo", proposal())
    else:
        in_review(http)
        if state == "voted":
            http.opinion_and_vote(VOTES)
        if state == "correction-proposed":
            correction = {"corrected_version": 3, "reason": "Sai số", "corrections": {"a": "b"}}
            http.post("correct", "van-thu", correction)


# The command that follows the start, for the states it leads to.
UNDER_WAY = {
    "obstacle": ("raise-obstacle", "can-bo", {"obstacle": "Thiếu máy"}),
    "adjustment": (
        "request-adjustment",
        "can-bo",
        {"changes": {"scope": "Toàn phường"}, "reason": "Mở rộng"},
    ),
    "suspended": ("suspend", "chu-tich", {"reason": "x", "decision_document": "QĐ"}),
    "completed": ("complete", "can-bo", {"completion_date": "2026-04-01"}),
    "reported": ("complete", "can-bo", {"completion_date": "2026-04-01"}),
}


def reach_under_way(http: Driver, clock: Clock, state: str) -> None:
    """A started initiative: running, or after the command UNDER_WAY names (and reported)."""
    running(http, clock)
    if state in UNDER_WAY:
        command, who, body = UNDER_WAY[state]
        http.post(command, who, body)
    if state == "reported":
        http.post("report-result", "can-bo", result_report())
        evaluation_round(http)


def unrelated_officers() -> dict[str, Any]:
    """Officers of Sài Gòn ward: the same roles, in a ward the initiative does not concern (and
    its head, who names the proposers of what is replicated there)."""
    return directory(
        officers=[
            officer("sg-thi-dua", "Ngô Văn Khải", "sai-gon-ubnd", "commendation", "Thi đua"),
            officer("sg-to-chuc", "Đỗ Thị Lan", "sai-gon-ubnd", "personnel", "Tổ chức"),
            officer("sg-van-thu", "Mai Văn Minh", "sai-gon-ubnd", "clerk", "Văn thư"),
            officer("sg-chu-tich", "Lâm Văn Phúc", "sai-gon-ubnd", "head", "Chủ tịch"),
        ]
    )


def merged_ward() -> dict[str, Any]:
    """Tân Định ward, merged into Sài Gòn ward on 1 March 2026 (its head and a cadre still in
    the directory): the head of Sài Gòn takes over its proposals (`hand-over`)."""
    return directory(
        organisations=[
            ward_committee(
                "tan-dinh-ubnd",
                "Ủy ban nhân dân phường Tân Định",
                succession=[
                    {
                        "relation": "merged_into",
                        "organisation": "sai-gon-ubnd",
                        "date": date(2026, 3, 1),
                    }
                ],
            )
        ],
        officers=[
            officer("td-chu-tich", "Hà Văn Quang", "tan-dinh-ubnd", "head", "Chủ tịch"),
            officer("td-can-bo", "Kiều Thị Oanh", "tan-dinh-ubnd", "staff", "Chuyên viên"),
        ],
    )


# Each cell drives a new initiative of its own: one store, app and directory per backend for
# the whole module, and the clock set back to the factories' NOW before each cell.
storage, module_clock, clock, web_app = one_app_per_module(
    oversight_directory, unrelated_officers, merged_ward
)


@pytest.mark.attack(2, 3)
@pytest.mark.parametrize(("command", "who"), CELLS)
def test_each_command_for_each_relation(
    http: Driver,
    client: FlaskClient,
    auth: Any,
    web_app: Flask,
    clock: Clock,
    command: str,
    who: str,
) -> None:
    state, body, people = MATRIX[command]
    reach(http, clock, state)
    # Sài Gòn's and Tân Định's superior
    reader = "tp-chu-tich" if state in ("replicated", "merged") else "chu-tich"
    before = len(http.history(reader))
    response = client.post(f"{API}/{http.id}/{command}", json=plain(body), headers=auth(who))
    if people[who]:
        assert response.status_code == 200, response.get_json()
        assert len(http.history(reader)) == before + 1
    else:
        assert response.status_code == 403, response.get_json()
        assert len(http.history(reader)) == before


# Commands whose body names the organisation that acts: the same role in an organisation the
# initiative does not concern (another ward of the city) is refused.
BODY_NAMED = {
    "commend": ("sg-thi-dua", "awarding_organisation_id"),
    "cadre-evaluation-input": ("sg-to-chuc", "personnel_organisation_id"),
    "early-salary-step": ("sg-to-chuc", "personnel_organisation_id"),
    "liability-outcome": ("sg-van-thu", "body_organisation_id"),
}


@pytest.mark.attack(2)
@pytest.mark.parametrize("command", sorted(BODY_NAMED))
def test_the_same_role_in_an_unrelated_organisation_is_refused(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask, clock: Clock, command: str
) -> None:
    state, body, _ = MATRIX[command]
    evaluated(http, clock, state)
    who, field = BODY_NAMED[command]
    before = len(http.history())
    named = {**body, field: str(oid("sai-gon-ubnd"))}
    response = client.post(f"{API}/{http.id}/{command}", json=plain(named), headers=auth(who))
    assert response.status_code == 403, response.get_json()
    assert "is not concerned by this initiative" in response.get_json()["detail"]
    assert len(http.history()) == before
