"""The command matrix: for each command, each relation to the initiative, allowed or 403."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

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
    http.to_decision()
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


Row = tuple[str, dict[str, Any], dict[str, bool]]


def row(state: str, body: dict[str, Any], allowed: str, refused: str) -> Row:
    """A command's row: the state the initiative is brought to, the body, and whether each
    person may act, from the keys of those `allowed` and those `refused` (space-separated)."""
    return (
        state,
        body,
        {**dict.fromkeys(allowed.split(), True), **dict.fromkeys(refused.split(), False)},
    )


def pilot_decision(state: str, reason: str) -> Row:
    """The row of a suspension, resumption or termination: the same body (`DecisionSchema`)
    and the same deciders (the approving head or the city's, `HEAD_OR_SUPERIORS`; never a
    deputy, nor the proposer) for each."""
    body = {"reason": reason, "decision_document": "QĐ"}
    return row(state, body, "chu-tich tp-chu-tich", "pho-1 can-bo")


# command → (state, body, {person: allowed})
MATRIX: dict[str, Row] = {
    "receive": row(
        "submitted",
        {"receipt_date": "2026-03-02", "incoming_number": "1"},
        "van-thu chu-tich",
        "can-bo pho-1 tp-chu-tich",
    ),
    "request-clarification": row(
        "review",
        {"items": ["x"], "due_date": "2026-03-20"},
        "chu-tich",
        "pho-1 van-thu can-bo tp-chu-tich",
    ),
    "party-opinion": row(
        "review",
        {"phase": "approval", "opinion": "Đồng ý", "document_ref": "CV"},
        "dang-uy",
        "can-bo chu-tich tp-chu-tich",
    ),
    "leadership-meeting": row("review", MEETING, "chu-tich", "pho-1 van-thu tp-chu-tich"),
    "escalate": row(
        "review", {"reason": "Vượt thẩm quyền"}, "chu-tich", "pho-1 can-bo tp-chu-tich"
    ),
    "reject": row(
        "review", {"reasons": ["x"], "document_ref": "CV"}, "chu-tich", "pho-2 van-thu tp-chu-tich"
    ),
    "withdraw": row("review", {"reason": "Rút"}, "can-bo", "chu-tich pho-1"),
    "allocate-resources": row(
        "approved", {"funds_vnd": 1}, "chu-tich", "pho-1 can-bo tp-chu-tich"
    ),
    "supervision-note": row(
        "approved",
        {"kind": "inspection", "findings": "Ổn"},
        "chu-tich tp-chu-tich dang-uy kiem-tra",
        "can-bo van-thu pho-1",
    ),
    "start": row("approved+april", {"actual_start": "2026-04-01"}, "can-bo", "chu-tich pho-1"),
    "suspend": pilot_decision("running", "Rà soát"),
    "report-progress": row(
        "running", {"period": "T4", "progress": "Tốt"}, "can-bo", "chu-tich van-thu"
    ),
}
MATRIX.update(
    {
        "submit": row("draft", proposal(), "can-bo", "chu-tich pho-1"),
        "amend": row(
            "review", {"changes": {"scope": "Hai khu phố"}}, "can-bo", "chu-tich van-thu"
        ),
        "approve": row("voted", approval(), "chu-tich", "pho-1 tp-chu-tich can-bo"),
        "commend": row(
            "approved",
            {
                "awarding_organisation_id": str(oid("hcm-ubnd")),
                "form": "praise",
                "person_ids": [str(pid("can-bo"))],
                "decision_document": "QĐ",
            },
            "thi-dua",
            "chu-tich to-chuc",
        ),
        "request-protection": row(
            "approved", {"trigger": "inspection"}, "can-bo kiem-tra", "tp-van-thu"
        ),
        "raise-obstacle": row("running", {"obstacle": "Thiếu máy"}, "can-bo", "chu-tich"),
        "request-adjustment": row(
            "running",
            {"changes": {"scope": "Toàn phường"}, "reason": "Mở rộng"},
            "can-bo",
            "van-thu",
        ),
        "terminate": pilot_decision("running", "Rủi ro"),
        "complete": row("running", {"completion_date": "2026-04-01"}, "can-bo", "chu-tich"),
        "interim-review": row(
            "running", {"lessons": "Cần tập huấn"}, "chu-tich dang-uy", "can-bo"
        ),
    }
)
URGENT = urgent_report()
URGENT_TERMS = urgent_terms()
EVALUATION = evaluation()
# The cadre an evaluation input or a salary step is for, and the personnel office recording it.
FOR_THE_CADRE = {
    "personnel_organisation_id": str(oid("hcm-ubnd")),
    "person_id": str(pid("can-bo")),
}
MATRIX.update(
    {
        "report-urgent": row("urgent-draft", URGENT, "can-bo chu-tich", "pho-1 tp-chu-tich"),
        "authorize-urgent": row("urgent", URGENT_TERMS, "chu-tich", "pho-1 tp-chu-tich"),
        "refuse-urgent": row(
            "urgent", {"reasons": ["Không cần"], "document_ref": "CV"}, "chu-tich", "pho-1 van-thu"
        ),
        "resolve-obstacle": row(
            "obstacle",
            {"obstacle_version": 8, "measure": "Mua máy"},
            "chu-tich tp-chu-tich",
            "pho-1 can-bo",
        ),
        "approve-adjustment": row(
            "adjustment",
            {"request_version": 8, "decision_document": "QĐ"},
            "chu-tich",
            "tp-chu-tich pho-1 can-bo",
        ),
        "reject-adjustment": row(
            "adjustment",
            {"request_version": 8, "reasons": ["Không"]},
            "chu-tich",
            "tp-chu-tich can-bo",
        ),
        "resume": pilot_decision("suspended", "Tiếp tục"),
        "report-result": row("completed", result_report(), "can-bo", "chu-tich van-thu"),
        "evaluate": row("reported", EVALUATION, "chu-tich", "pho-1 tp-chu-tich"),
        "final-review": row("evaluated", {"lessons": "Tốt"}, "chu-tich dang-uy", "can-bo"),
        "determine-protection": row(
            "evaluated",
            {"measure": "no_liability", "reasons": "Hoàn thành", "document_ref": "QĐ"},
            "chu-tich tp-chu-tich",
            "pho-1 can-bo",
        ),
        "cadre-evaluation-input": row(
            "evaluated",
            {**FOR_THE_CADRE, "period": "2026", "facts": "Hoàn thành"},
            "to-chuc",
            "chu-tich thi-dua",
        ),
        "early-salary-step": row(
            "evaluated",
            {**FOR_THE_CADRE, "months_early": 6, "decision": "Đề nghị"},
            "to-chuc",
            "chu-tich",
        ),
        "propose-replication": row(
            "evaluated",
            {"target_organisation_ids": [str(oid("sai-gon-ubnd"))], "reason": "Tốt"},
            "chu-tich tp-chu-tich",
            "pho-1",
        ),
        "recommend-institutionalisation": row(
            "evaluated",
            {"target_instrument": "QĐ mới", "drafting_body": "Sở Nội vụ", "reason": "Tốt"},
            "chu-tich tp-chu-tich",
            "can-bo",
        ),
        "archive": row("evaluated", {"archive_ref": "LT 1"}, "van-thu", "chu-tich can-bo"),
        "ratify-urgent": row("urgent-acted", URGENT_TERMS, "chu-tich", "pho-1 can-bo"),
        "approve-replication": row(
            "replication-proposed",
            {"proposal_version": 13, "decision_document": "QĐ"},
            "tp-chu-tich",
            "chu-tich pho-1",
        ),
        "name-proposers": row(
            "replicated",
            {"proposer_ids": [str(pid("sg-van-thu"))]},
            "sg-chu-tich",
            "chu-tich tp-chu-tich sg-van-thu",
        ),
        "hand-over": row(
            "merged",
            {"from_organisation_id": str(oid("tan-dinh-ubnd"))},
            "sg-chu-tich",
            "td-chu-tich sg-van-thu chu-tich",
        ),
        "correct": row(
            "review",
            {
                "corrected_version": 3,
                "reason": "Sai số",
                "corrections": {"incoming_number": "9/VT-2"},
            },
            "van-thu",
            "can-bo pho-1",
        ),
        "countersign-correction": row(
            "correction-proposed",
            {"correction_version": 4},
            "chu-tich",
            "van-thu pho-1 tp-chu-tich",
        ),
        "liability-outcome": row(
            "protection-requested",
            {
                "body_organisation_id": str(oid("hcm-ubkt")),
                "decision": "Không xử lý",
                "document_ref": "KL 1",
            },
            "tp-van-thu",
            "kiem-tra chu-tich",
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


def recorded(web_app: Flask, initiative: str) -> int:
    """How many events the initiative's stream holds (read from the event store: what a cell
    recorded, or did not)."""
    service = web_app.extensions["ledger.service"].get()
    return len(service.recorder.select_events(UUID(initiative)))


# A refusal records nothing: the refused cells of a state share one initiative brought into it
# (per backend's app), with the clock as `reach` left it; it is reached again if anything was
# recorded on it since (a refusal that failed to refuse does not spill into other cells).
_FOR_REFUSALS: dict[str, tuple[Flask, str, datetime, int]] = {}


def reached_for_refusals(http: Driver, clock: Clock, state: str, web_app: Flask) -> None:
    """Point `http` at the shared initiative in `state` (made by `reach` the first time)."""
    kept = _FOR_REFUSALS.get(state)
    if kept is not None and kept[0] is web_app:
        _, http.id, clock.now, length = kept
        if recorded(web_app, http.id) == length:
            return
    reach(http, clock, state)
    _FOR_REFUSALS[state] = (web_app, http.id, clock.now, recorded(web_app, http.id))


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
    if people[who]:
        reach(http, clock, state)
    else:
        reached_for_refusals(http, clock, state, web_app)
    before = recorded(web_app, http.id)
    response = client.post(f"{API}/{http.id}/{command}", json=plain(body), headers=auth(who))
    if people[who]:
        assert response.status_code == 200, response.get_json()
        assert recorded(web_app, http.id) == before + 1
    else:
        assert response.status_code == 403, response.get_json()
        assert recorded(web_app, http.id) == before


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
    before = recorded(web_app, http.id)
    named = {**body, field: str(oid("sai-gon-ubnd"))}
    response = client.post(f"{API}/{http.id}/{command}", json=plain(named), headers=auth(who))
    assert response.status_code == 403, response.get_json()
    assert "is not concerned by this initiative" in response.get_json()["detail"]
    assert recorded(web_app, http.id) == before
