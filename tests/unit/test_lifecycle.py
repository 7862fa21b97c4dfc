"""The life of an initiative after approval, on in-memory persistence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.errors import ConflictError, ForbiddenError, InvalidError
from tests.factories import (
    FINDINGS,
    Clock,
    Life,
    commendation,
    determination,
    early_salary_step,
    evaluation,
    oid,
    oversight_directory,
    pid,
    position,
    result_report,
    urgent_report,
    urgent_terms,
)


@pytest.fixture
def life(app: LedgerApplication, clock: Clock) -> Life:
    app.import_directory(oversight_directory(), "test")
    return Life(app, clock)


def types(life: Life) -> list[str]:
    return [e["type"] for e in life.app.get_history(life.id)]


def refused(
    life: Life, error: type[Exception], message: str, name: str, by: str, **body: Any
) -> None:
    before = types(life)
    with pytest.raises(error, match=message):
        life.cmd(name, by, **body)
    assert types(life) == before, "a refused command must record nothing"


def test_a_full_life_reads_as_the_complete_story(life: Life, app: LedgerApplication) -> None:
    life.to_approval()
    life.cmd(
        "allocate_resources",
        "chu-tich",
        people=["Phạm Đức Dũng"],
        equipment="Máy chủ",
        funds_vnd=50_000_000,
        funding_source="Ngân sách phường",
    )
    life.start()
    life.cmd(
        "record_supervision_note",
        "kiem-tra",
        kind="inspection",
        findings="Đúng tiến độ",
        recommendations="Tiếp tục",
        part_of_work="Tiếp nhận",
        outside_approved_scope=False,
    )
    obstacle = life.cmd("raise_obstacle", "can-bo", obstacle="Thiếu chữ ký số")
    life.cmd(
        "resolve_obstacle",
        "tp-chu-tich",
        obstacle_version=obstacle,
        measure="Cấp bổ sung chữ ký số",
    )
    request = life.cmd(
        "request_adjustment",
        "can-bo",
        changes={"end": date(2027, 1, 31)},
        reason="Chậm do thiếu chữ ký số",
    )
    life.cmd(
        "approve_adjustment",
        "chu-tich",
        request_version=request,
        decision_document="QĐ 20/QĐ-UBND",
    )
    life.cmd("hold_interim_review", "dang-uy", lessons="Cần tập huấn sớm")
    life.complete(date(2027, 1, 15))
    life.report()
    life.evaluate()
    life.cmd("request_protection", "can-bo", trigger="inspection", proceeding_ref="KL 1/UBKT")
    life.cmd(
        "determine_protection",
        "chu-tich",
        **determination(
            "no_liability", reasons="Hoàn thành", evidence=["BB đánh giá"], document_ref="QĐ 30"
        ),
    )
    life.cmd("commend", "thi-dua", **commendation(decision_document="QĐ khen thưởng 5"))
    life.cmd("hold_final_review", "chu-tich", lessons="Nhân rộng được")
    child_id = life.replicate()
    assert types(life)[6:] == [
        "ResourcesAllocated",
        "ImplementationStarted",
        "SupervisionNoteRecorded",
        "ObstacleRaised",
        "ObstacleResolved",
        "AdjustmentRequested",
        "AdjustmentApproved",
        "InterimReviewHeld",
        "Completed",
        "ResultReported",
        "PartyOpinionGiven",
        "LeadershipMeetingHeld",
        "Evaluated",
        "ProtectionRequested",
        "ProtectionDetermined",
        "Commended",
        "FinalReviewHeld",
        "ReplicationProposed",
        "ReplicationApproved",
    ]
    state = app.get_initiative(life.id)
    assert state["status"] == "evaluated"
    assert state["approval"]["end"] == date(2026, 12, 31)
    assert state["current_terms"]["end"] == date(2027, 1, 31)
    assert state["flags"]["acts_outside_approval"] == []
    assert state["protection"]["recommended_measure"] == "no_liability"
    assert state["protection"]["mismatch"] is False
    assert state["replications"][0]["children"] == {str(oid("sai-gon-ubnd")): child_id}
    child = app.get_initiative(child_id)
    assert (child["parent_id"], child["status"], child["employing_organisation_id"]) == (
        life.id,
        "draft",
        oid("sai-gon-ubnd"),
    )
    supervision = app.get_history(life.id)[8]
    assert supervision["actor"]["role"] == "inspector"
    assert supervision["actor"]["organisation_id"] == str(oid("hcm-ubkt"))


@pytest.mark.parametrize(
    ("stage", "by", "on", "error", "message"),
    [
        pytest.param(
            "to_approval",
            "can-bo",
            date(2026, 3, 2),
            ConflictError,
            "within the approved dates 01/04/2026",
            id="not-before-the-approved-start",
        ),
        pytest.param(
            "to_approval",
            "van-thu",
            date(2026, 4, 1),
            ForbiddenError,
            "only an assignee",
            id="only-by-an-assignee",
        ),
        pytest.param(
            "to_review",
            "can-bo",
            date(2026, 3, 2),
            ConflictError,
            "cannot start an initiative that is under_review",
            id="not-before-approval",
        ),
    ],
)
def test_work_starts_only_when_approved_by_an_assignee_on_the_approved_dates(
    life: Life, stage: str, by: str, on: date, error: type[Exception], message: str
) -> None:
    getattr(life, stage)()
    life.clock.on(on)  # the day it starts
    refused(life, error, message, "start_implementation", by, actual_start=on)


def test_an_adjustment_is_decided_only_by_the_approving_authority(life: Life) -> None:
    life.to_approval()
    life.start()
    request = life.cmd(
        "request_adjustment", "can-bo", changes={"scope": "Toàn phường"}, reason="Mở rộng"
    )
    refused(
        life,
        ForbiddenError,
        "head position in Ủy ban nhân dân phường Bến Thành",
        "approve_adjustment",
        "tp-chu-tich",
        request_version=request,
        decision_document="QĐ",
    )


def test_completion_after_the_approved_end_is_flagged_and_bars_protection(
    life: Life, app: LedgerApplication
) -> None:
    life.to_approval()
    life.start()
    life.complete(date(2027, 2, 1))
    life.report()
    life.evaluate("partially_completed")
    state = app.get_initiative(life.id)
    assert state["flags"]["acts_outside_approval"][0]["act"] == "completion"
    assert state["protection"]["recommended_measure"] == "not_eligible"
    life.cmd("determine_protection", "chu-tich", **determination("liability_excluded"))
    assert app.get_initiative(life.id)["protection"]["mismatch"] is True


@pytest.mark.parametrize(
    ("outcome", "overrides", "measure"),
    [
        ("completed", {}, "no_liability"),
        ("partially_completed", {}, "liability_excluded"),
        ("not_completed", {}, "liability_excluded"),
        (
            "not_completed",
            {
                "damage_caused": True,
                "damage_description": "Mất dữ liệu",
                "damage_amount_vnd": 10_000_000,
            },
            "consider_exclusion_exemption_mitigation",
        ),
        (
            "completed",
            {"findings": {**dict.fromkeys(FINDINGS, True), "pure_motive": False}},
            "not_eligible",
        ),
        ("not_completed", {"self_interest_or_abuse": True}, "not_eligible"),
    ],
)
def test_the_recommended_measure_follows_each_row_of_section_6(
    life: Life, app: LedgerApplication, outcome: str, overrides: dict[str, Any], measure: str
) -> None:
    life.to_evaluated(outcome, **overrides)
    assert app.get_initiative(life.id)["protection"]["recommended_measure"] == measure


def test_a_terminated_pilot_is_still_reported_and_evaluated(
    life: Life, app: LedgerApplication
) -> None:
    life.to_approval()
    life.start()
    life.cmd("suspend", "chu-tich", reason="Rà soát", decision_document="QĐ 1")
    life.cmd("resume", "chu-tich", reason="Đã rà soát", decision_document="QĐ 2")
    life.cmd("terminate", "tp-chu-tich", reason="Rủi ro", decision_document="QĐ 3")
    life.report(damage_caused=True, damage_description="Chi phí", damage_amount_vnd=5_000_000)
    life.evaluate(
        "not_completed",
        damage_caused=True,
        damage_description="Chi phí",
        damage_amount_vnd=5_000_000,
    )
    state = app.get_initiative(life.id)
    assert state["status"] == "evaluated"
    assert state["protection"]["recommended_measure"] == (
        "consider_exclusion_exemption_mitigation"
    )


def test_evaluation_needs_the_party_opinion_and_a_meeting(life: Life) -> None:
    life.to_approval()
    life.start()
    life.complete()
    life.report()
    refused(
        life,
        ConflictError,
        "evaluation needs the same-level party",
        "evaluate",
        "chu-tich",
        **evaluation(),
    )


def test_rewards_need_a_completed_outcome_but_praise_does_not(life: Life) -> None:
    life.to_approval()
    life.cmd("commend", "thi-dua", **commendation("praise", decision_document="TB biểu dương"))
    refused(
        life,
        ConflictError,
        "rewards need an evaluation with the outcome 'completed'",
        "commend",
        "thi-dua",
        **commendation(),
    )


def test_an_early_salary_step_is_at_most_twelve_months(life: Life) -> None:
    life.to_evaluated()
    refused(
        life,
        InvalidError,
        "1 to 12 months",
        "consider_early_salary_step",
        "to-chuc",
        **early_salary_step(13, "Đề nghị"),
    )
    life.cmd(
        "consider_early_salary_step", "to-chuc", **early_salary_step(12, "Nâng lương trước hạn")
    )
    assert types(life)[-1] == "EarlySalaryStepConsidered"


def test_a_proposer_cannot_evaluate_their_own_initiative(life: Life) -> None:
    life.to_review(by="pho-1")
    life.party_opinion()
    life.meeting({"chu-tich": "for", "pho-2": "for"})
    life.approve(assignee_ids=[pid("pho-1")])
    life.clock.now = datetime(2026, 4, 1, 3, tzinfo=UTC)
    life.cmd("start_implementation", "pho-1", actual_start=date(2026, 4, 1))
    life.clock.now = datetime(2026, 12, 1, 3, tzinfo=UTC)
    life.cmd("complete", "pho-1", completion_date=date(2026, 12, 1))
    life.cmd("report_result", "pho-1", **result_report())
    life.evaluation_round(voters=("chu-tich", "pho-2"))

    life.app.import_directory(
        {"positions": [position("pho-1", "ben-thanh-ubnd", "head", key="acting")]}, "t"
    )
    refused(
        life,
        ForbiddenError,
        "a proposer cannot evaluate their own",
        "evaluate",
        "pho-1",
        **evaluation(),
    )


def test_the_urgent_path_authorizes_or_ratifies(life: Life, app: LedgerApplication) -> None:
    report = urgent_report()
    life.draft(regime="urgent")
    refused(
        life,
        InvalidError,
        "at least two distinct options",
        "report_urgent",
        "can-bo",
        **{**report, "options": report["options"][:1]},
    )
    life.cmd("report_urgent", "can-bo", **report, acted_on=date(2026, 3, 2))
    terms = urgent_terms()
    refused(
        life, ConflictError, "the cadre already acted", "authorize_urgent", "chu-tich", **terms
    )
    life.cmd("ratify_urgent", "chu-tich", **terms)
    state = app.get_initiative(life.id)
    assert (state["status"], state["approval"]["basis"]) == ("approved", "urgent_ratified")


def test_a_correction_points_at_the_event_and_edits_nothing(
    life: Life, app: LedgerApplication
) -> None:
    life.to_review()
    refused(
        life,
        ForbiddenError,
        "only the person who recorded an event",
        "correct",
        "can-bo",
        corrected_version=3,
        reason="Sai số",
        corrections={"incoming_number": "9"},
    )
    proposed = life.cmd(
        "correct",
        "van-thu",
        corrected_version=3,
        reason="Sai số đến",
        corrections={"incoming_number": "124/CV"},
    )
    assert app.get_initiative(life.id)["corrections"] == []  # not in effect yet
    # Only the head of the organisation it was recorded in countersigns, by their own act.
    refused(
        life, ForbiddenError, "head", "countersign_correction", "van-thu", correction_version=4
    )
    refused(life, ForbiddenError, "head", "countersign_correction", "pho-1", correction_version=4)
    life.cmd("countersign_correction", "chu-tich", correction_version=proposed)
    history = app.get_history(life.id)
    assert history[2]["data"]["incoming_number"] == "123/CV"
    assert (history[3]["type"], history[3]["actor"]["person_id"]) == (
        "CorrectionProposed",
        str(pid("van-thu")),
    )
    assert (history[4]["type"], history[4]["actor"]["role"]) == ("Corrected", "head")
    assert history[4]["data"]["corrections"] == {"incoming_number": "124/CV"}
    assert app.get_initiative(life.id)["corrections"][0]["corrected_version"] == 3


def test_the_clocks_run_on_working_days(life: Life, app: LedgerApplication) -> None:
    life.to_review()
    receipt, clock = app.get_initiative(life.id)["clocks"]
    assert (receipt["name"], receipt["finished_on"], receipt["status"]) == (
        "receipt",
        date(2026, 3, 2),
        "met",
    )
    assert (clock["name"], clock["started_on"], clock["due_on"]) == (
        "approval_decision",
        date(2026, 3, 2),
        date(2026, 3, 11),
    )
    assert (clock["status"], clock["working_days_left"]) == ("running", 7)
    life.clock.now = datetime(2026, 3, 13, 3, tzinfo=UTC)
    clock = app.get_initiative(life.id)["clocks"][1]
    assert (clock["status"], clock["overdue_by_working_days"]) == ("overdue", 2)
    life.party_opinion()
    life.meeting({"chu-tich": "for", "pho-1": "for"})
    life.approve()
    clock = app.get_initiative(life.id)["clocks"][1]
    assert (clock["status"], clock["finished_on"]) == ("missed", date(2026, 3, 13))
    assert app.get_initiative(life.id)["status"] == "approved"


def test_a_proposer_cannot_determine_their_own_protection(life: Life) -> None:
    life.to_evaluated()
    life.app.import_directory(
        {"positions": [position("can-bo", "ben-thanh-ubnd", "head", key="acting")]}, "t"
    )
    refused(
        life,
        ForbiddenError,
        "a proposer cannot determine protection for their own",
        "determine_protection",
        "can-bo",
        **determination("no_liability"),
    )


def test_suspension_is_decided_by_the_approving_authority(life: Life) -> None:
    life.to_approval()
    life.start()
    refused(
        life,
        ForbiddenError,
        "did not hold a head position in Ủy ban nhân dân phường",
        "suspend",
        "pho-1",
        reason="x",
        decision_document="QĐ",
    )
    life.cmd("suspend", "tp-chu-tich", reason="Rà soát", decision_document="QĐ 7")
    assert types(life)[-1] == "Suspended"


@pytest.mark.parametrize("missing", ["worst_case", "remedies", "situation"])
def test_an_urgent_report_needs_worst_case_remedies_and_situation(
    life: Life, missing: str
) -> None:
    life.draft(regime="urgent")
    refused(
        life,
        InvalidError,
        f"{missing} must not be empty",
        "report_urgent",
        "can-bo",
        **urgent_report(**{missing: " "}),
    )


def test_a_regular_draft_cannot_take_the_urgent_path(life: Life) -> None:
    life.draft()
    refused(
        life,
        ConflictError,
        "drafted on the urgent path",
        "report_urgent",
        "can-bo",
        situation="x",
        options=[],
        chosen_option="",
        chosen_option_reason="",
        worst_case="",
        remedies="",
    )
