"""The Initiative's rules from draft to decision, on in-memory persistence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.errors import ConflictError, ForbiddenError, InvalidError, StaleVersionError
from tests.factories import (
    PROPOSAL_PATH,
    Clock,
    Scenario,
    oid,
    pid,
    position,
    ward_directory,
)


def recorded(app: LedgerApplication, scenario: Scenario) -> list[str]:
    return [e["type"] for e in app.get_history(scenario.id)]


def test_the_proposal_path_records_each_act_with_the_authorising_position(
    app: LedgerApplication, scenario: Scenario
) -> None:
    assert scenario.to_approval() == 6
    history = app.get_history(scenario.id)
    assert [e["type"] for e in history] == PROPOSAL_PATH
    assert [(e["actor"]["name"], e["actor"]["role"]) for e in history] == [
        ("Phạm Đức Dũng", "staff"),
        ("Phạm Đức Dũng", "staff"),
        ("Võ Thị Em", "clerk"),
        ("Hoàng Văn Phúc", "party_committee"),
        ("Nguyễn Thị Hồng", "head"),
        ("Nguyễn Thị Hồng", "head"),
    ]
    assert history[3]["actor"]["organisation_id"] == str(oid("ben-thanh-dang-uy"))
    state = app.get_initiative(scenario.id)
    assert state["status"] == "approved"
    assert state["addressee_id"] == oid("ben-thanh-ubnd")
    assert state["approval"]["basis"] == "majority"
    assert state["approval"]["assignee_ids"] == [pid("can-bo")]
    assert state["last_meeting"]["passed"] is True


def expect_refusal(
    app: LedgerApplication, scenario: Scenario, error: type[Exception], message: str, act: Any
) -> None:
    before = recorded(app, scenario)
    with pytest.raises(error, match=message):
        act()
    assert recorded(app, scenario) == before, "a refused command must record nothing"


def ready_for_decision(scenario: Scenario, votes: dict[str, str] | None = None) -> None:
    scenario.to_review()
    scenario.party_opinion()
    scenario.meeting(votes or {"chu-tich": "for", "pho-1": "for", "pho-2": "against"})


def test_a_proposer_cannot_approve_their_own_initiative(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review(by="pho-1")
    scenario.party_opinion()
    scenario.meeting({"chu-tich": "for", "pho-2": "for"})
    # The deputy-proposer holds no head position; make them acting head to reach the rule.
    app.import_directory(
        {"positions": [position("pho-1", "ben-thanh-ubnd", "head", key="acting-head")]}, "t"
    )
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "a proposer cannot approve their own",
        lambda: scenario.approve(by="pho-1"),
    )


def test_a_deputy_who_proposed_is_not_an_eligible_voter(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review(by="pho-1")
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "a proposer cannot vote",
        lambda: scenario.meeting({"chu-tich": "for", "pho-1": "for"}),
    )
    scenario.meeting({"chu-tich": "for", "pho-2": "against"})
    meeting = app.get_history(scenario.id)[-1]["data"]
    assert meeting["eligible_voter_ids"] == sorted([pid("chu-tich"), pid("pho-2")], key=str)


def test_a_staff_member_cannot_vote(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.to_review()
    expect_refusal(
        app,
        scenario,
        InvalidError,
        "not an eligible voter",
        lambda: scenario.meeting({"chu-tich": "for", "van-thu": "for"}),
    )


def test_a_head_override_needs_a_meeting_that_did_not_pass(
    app: LedgerApplication, scenario: Scenario
) -> None:
    ready_for_decision(scenario)
    expect_refusal(
        app,
        scenario,
        ConflictError,
        "does not support the basis 'head_override'",
        lambda: scenario.approve(basis="head_override", justification="Cấp bách"),
    )


def test_a_head_override_of_a_failed_vote_is_recorded_with_its_justification(
    app: LedgerApplication, scenario: Scenario
) -> None:
    ready_for_decision(scenario, {"chu-tich": "for", "pho-1": "against", "pho-2": "against"})
    expect_refusal(
        app,
        scenario,
        ConflictError,
        "does not support the basis 'majority'",
        lambda: scenario.approve(),
    )
    expect_refusal(
        app,
        scenario,
        InvalidError,
        "justification must not be empty",
        lambda: scenario.approve(basis="head_override"),
    )
    scenario.approve(basis="head_override", justification="Cấp bách trước mùa mưa")
    approved = app.get_history(scenario.id)[-1]
    assert approved["data"]["basis"] == "head_override"
    assert approved["data"]["justification"] == "Cấp bách trước mùa mưa"


def test_a_tie_on_the_heads_side_supports_tie_head_side_only(
    app: LedgerApplication, scenario: Scenario
) -> None:
    ready_for_decision(scenario, {"chu-tich": "for", "pho-1": "against"})
    expect_refusal(app, scenario, ConflictError, "basis 'majority'", lambda: scenario.approve())
    scenario.approve(basis="tie_head_side")
    assert app.get_initiative(scenario.id)["approval"]["basis"] == "tie_head_side"


def test_approval_needs_the_party_committees_opinion(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    scenario.meeting({"chu-tich": "for", "pho-1": "for"})
    expect_refusal(
        app, scenario, ConflictError, "party committee's opinion", lambda: scenario.approve()
    )


def test_approval_needs_a_leadership_meeting(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.to_review()
    scenario.party_opinion()
    expect_refusal(
        app, scenario, ConflictError, "needs a leadership meeting", lambda: scenario.approve()
    )


def test_an_amendment_requires_a_new_opinion_and_vote(
    app: LedgerApplication, scenario: Scenario, clock: Clock
) -> None:
    ready_for_decision(scenario)
    app.amend(
        scenario.as_("can-bo"),
        scenario.id,
        None,
        changes={"scope": "Hai khu phố"},
        note="Thu hẹp phạm vi",
    )
    expect_refusal(
        app, scenario, ConflictError, "party committee's opinion", lambda: scenario.approve()
    )
    assert app.get_initiative(scenario.id)["proposal"]["scope"] == "Hai khu phố"


def test_the_heads_own_proposal_goes_to_the_superior_agency(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft(by="chu-tich")
    scenario.submit(by="chu-tich")
    assert app.get_initiative(scenario.id)["addressee_id"] == oid("hcm-ubnd")
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "clerk position in Ủy ban nhân dân Thành phố",
        lambda: scenario.receive(by="van-thu"),
    )
    scenario.receive(by="tp-chu-tich")
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "Nguyễn Thị Hồng did not hold a head position",
        lambda: scenario.approve(by="chu-tich"),
    )


def test_a_head_who_is_a_co_proposer_also_sends_it_up(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft(co_proposer_ids=[pid("chu-tich")])
    scenario.submit()
    assert app.get_initiative(scenario.id)["addressee_id"] == oid("hcm-ubnd")


def test_authority_is_checked_as_of_the_day_of_the_act(
    app: LedgerApplication, scenario: Scenario, clock: Clock
) -> None:
    ready_for_decision(scenario)
    ended = clock().date() - timedelta(days=1)
    app.import_directory(
        {
            "positions": [
                position("chu-tich", "ben-thanh-ubnd", "head", title="Chủ tịch", valid_to=ended)
            ]
        },
        "t",
    )
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "did not hold a head position in Ủy ban nhân dân phường Bến Thành on 02/03/2026",
        lambda: scenario.approve(),
    )


def test_a_position_starting_tomorrow_gives_no_authority_today(
    app: LedgerApplication, scenario: Scenario, clock: Clock
) -> None:
    ready_for_decision(scenario)
    app.import_directory(
        {
            "people": [
                {"key": "moi", "full_name": "Người Mới", "party_member": True, "identifiers": {}}
            ],
            "positions": [
                position(
                    "moi", "ben-thanh-ubnd", "head", valid_from=clock().date() + timedelta(days=1)
                )
            ],
        },
        "t",
    )
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "Người Mới did not hold a head position",
        lambda: scenario.approve(by="moi"),
    )


def test_a_draft_needs_a_position_in_the_employing_agency(
    app: LedgerApplication, scenario: Scenario
) -> None:
    with pytest.raises(ForbiddenError, match="Đặng Quốc Giang did not hold"):
        scenario.draft(by="tp-chu-tich")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"necessity": "  "}, "necessity"),
        ({"options": []}, "options"),
        ({"chosen_option": "Không có"}, "chosen_option"),
        ({"no_self_interest": False}, "no_self_interest"),
        ({"planned_end": date(2026, 1, 1)}, "planned_end"),
        ({"tasks": []}, "tasks"),
    ],
)
def test_a_submission_lacking_an_article_7_field_is_refused(
    app: LedgerApplication, scenario: Scenario, overrides: dict[str, Any], field: str
) -> None:
    scenario.draft()
    with pytest.raises(InvalidError) as raised:
        scenario.submit(**overrides)
    assert raised.value.field == field
    assert recorded(app, scenario) == ["Drafted"]


def test_only_a_proposer_may_submit(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.draft()
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "only a proposer may submit",
        lambda: scenario.submit(by="pho-2"),
    )


def test_a_rejection_states_reasons_and_ends_the_review(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    ctx = scenario.as_("chu-tich")
    with pytest.raises(InvalidError, match="reasons"):
        app.reject(ctx, scenario.id, None, reasons=[" "], document_ref="CV 1")
    app.reject(ctx, scenario.id, None, reasons=["Chưa khả thi"], document_ref="CV 1")
    assert app.get_initiative(scenario.id)["status"] == "rejected"
    expect_refusal(
        app,
        scenario,
        ConflictError,
        "cannot approve an initiative that is rejected",
        lambda: scenario.approve(),
    )


def test_escalation_sends_it_to_the_superior_which_reviews_afresh(
    app: LedgerApplication, scenario: Scenario
) -> None:
    ready_for_decision(scenario)
    app.escalate(scenario.as_("chu-tich"), scenario.id, None, reason="Vượt thẩm quyền phường")
    state = app.get_initiative(scenario.id)
    assert (state["status"], state["addressee_id"]) == ("submitted", oid("hcm-ubnd"))
    assert state["party_opinion_recorded"] is False
    assert state["last_meeting"] is None


def test_withdrawal_only_before_the_decision(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.to_approval()
    expect_refusal(
        app,
        scenario,
        ConflictError,
        "cannot withdraw an initiative that is approved",
        lambda: app.withdraw(scenario.as_("can-bo"), scenario.id, None, reason="x"),
    )


def test_a_stale_expected_version_is_refused(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.draft()
    with pytest.raises(StaleVersionError, match="expected version 3"):
        app.withdraw(scenario.as_("can-bo"), scenario.id, 3, reason="Đổi ý")
    assert app.withdraw(scenario.as_("can-bo"), scenario.id, 1, reason="Đổi ý") == 2


def test_the_party_opinion_comes_from_the_addressees_party_committee(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    expect_refusal(
        app,
        scenario,
        ForbiddenError,
        "Đảng ủy phường Bến Thành",
        lambda: scenario.party_opinion(by="tp-chu-tich"),
    )


def test_directory_fixture_is_the_one_imported(app: LedgerApplication) -> None:
    assert [o["key"] for o in app.list_organisations()] == sorted(
        o["key"] for o in ward_directory()["organisations"]
    )
