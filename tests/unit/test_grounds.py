"""Several options and the declaration of grounds (docs/domain.md §5.13) in a regular proposal,
and the head's confirmation of the declaration at approval; proposals and approvals the previous
release recorded without them still load."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.errors import ConflictError, InvalidError
from domain.proposal import GROUNDS_FIELDS, NOT_CONTRARY, check_grounds, declares_grounds
from domain.values import Actor
from domain.vocabulary import Role
from tests.factories import (
    Scenario,
    approval,
    as_the_previous_release,
    choice,
    grounds,
    oid,
    pid,
    proposal,
)

DECLARATION = GROUNDS_FIELDS


def recorded(app: LedgerApplication, scenario: Scenario) -> list[str]:
    return [e["type"] for e in app.get_history(scenario.id)]


def refused(
    app: LedgerApplication, scenario: Scenario, error: type[Exception], act: Any
) -> Exception:
    """The refusal `act` meets (of type `error`); nothing is recorded."""
    before = recorded(app, scenario)
    with pytest.raises(error) as raised:
        act()
    assert recorded(app, scenario) == before, "a refused command must record nothing"
    return raised.value


OPTIONS_REFUSED = {
    "one-option": (
        {"options": [{"title": "Trực tuyến", "description": ""}]},
        "options",
        "a proposal weighs at least two distinct options",
    ),
    "no-option": ({"options": []}, "options", "a proposal weighs at least two distinct options"),
    "the-same-title-twice": (
        {"options": [{"title": "Trực tuyến"}, {"title": "Trực tuyến"}]},
        "options",
        "a proposal weighs at least two distinct options",
    ),
    "the-choice-not-among-them": (
        {"chosen_option": "Thuê ngoài"},
        "chosen_option",
        "the chosen option must be one of the options",
    ),
    "no-worst-case": ({"worst_case": " "}, "worst_case", "worst_case must not be empty"),
    "no-remedies": ({"remedies": ""}, "remedies", "remedies must not be empty"),
}


NOT_CONTRARY_REFUSAL = (
    "the proposer must declare that it is not contrary to the Party's line, the Constitution or"
    " the law"
)
GROUNDS_REFUSED = {
    "no-grounds-in-practice": (
        {"grounds_in_practice": "  "},
        "grounds_in_practice",
        "grounds_in_practice must not be empty",
    ),
    "no-grounds-in-science": (
        {"grounds_in_science": ""},
        "grounds_in_science",
        "grounds_in_science must not be empty",
    ),
    "declared-contrary": ({NOT_CONTRARY: False}, NOT_CONTRARY, NOT_CONTRARY_REFUSAL),
    "declared-as-text": ({NOT_CONTRARY: "yes"}, NOT_CONTRARY, NOT_CONTRARY_REFUSAL),
}


# A submission without its options or its declaration of grounds: the refusal names the field.
SUBMISSION_REFUSED = {**OPTIONS_REFUSED, **GROUNDS_REFUSED}


@pytest.mark.parametrize(
    ("overrides", "field", "message"), SUBMISSION_REFUSED.values(), ids=SUBMISSION_REFUSED
)
def test_a_proposal_weighs_several_options_and_declares_its_grounds(
    app: LedgerApplication, scenario: Scenario, overrides: dict[str, Any], field: str, message: str
) -> None:
    scenario.draft()
    error = refused(app, scenario, InvalidError, lambda: scenario.submit(**overrides))
    assert (str(error), getattr(error, "field", None)) == (message, field)


REASONS = {"reason": "Ít rủi ro", "worst_case": "Quá tải", "remedies": "Tăng ca"}


def test_two_options_the_chosen_one_among_them_are_recorded(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft()
    options = choice(("Kết hợp", "Trực tuyến và giấy"), ("Giữ nguyên", ""), **REASONS)
    scenario.submit(**options)
    recorded_proposal = app.get_initiative(scenario.id)["proposal"]
    assert [o["title"] for o in recorded_proposal["options"]] == ["Kết hợp", "Giữ nguyên"]
    assert recorded_proposal["chosen_option"] == "Kết hợp"


def test_a_proposal_without_the_declaration_is_refused_naming_what_it_lacks(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft()
    body = {k: v for k, v in proposal().items() if k not in DECLARATION}
    error = refused(
        app,
        scenario,
        InvalidError,
        lambda: app.submit(scenario.as_("can-bo"), scenario.id, None, **body),
    )
    assert str(error) == f"the proposal lacks {', '.join(DECLARATION)}"
    assert getattr(error, "field", None) == "grounds_in_practice"


def test_the_declaration_is_recorded_with_the_proposal(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft()
    scenario.submit()
    state = app.get_initiative(scenario.id)["proposal"]
    assert {k: state[k] for k in DECLARATION} == grounds()


def test_an_amendment_keeps_the_options_and_the_declaration(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    ctx = scenario.as_("can-bo")
    error = refused(
        app,
        scenario,
        InvalidError,
        lambda: app.amend(ctx, scenario.id, None, changes={NOT_CONTRARY: False}),
    )
    assert (str(error), getattr(error, "field", None)) == (NOT_CONTRARY_REFUSAL, NOT_CONTRARY)
    one = {"options": [{"title": "Trực tuyến", "description": ""}]}
    error = refused(
        app, scenario, InvalidError, lambda: app.amend(ctx, scenario.id, None, changes=one)
    )
    assert (str(error), getattr(error, "field", None)) == (
        "a proposal weighs at least two distinct options",
        "options",
    )
    app.amend(ctx, scenario.id, None, changes={"grounds_in_science": "Đề tài cấp Thành phố 2025"})
    assert app.get_initiative(scenario.id)["proposal"]["grounds_in_science"] == (
        "Đề tài cấp Thành phố 2025"
    )


CONFIRMATION_REFUSAL = (
    "the decision confirms the declaration of grounds: that the proposal is grounded in practice"
    " and science and not contrary to the Party's line, the Constitution or the law"
)


def ready_for_decision(scenario: Scenario) -> None:
    scenario.to_review()
    scenario.party_opinion()
    scenario.meeting({"chu-tich": "for", "pho-1": "for", "pho-2": "against"})


@pytest.mark.parametrize("confirmation", [{"grounds_confirmed": False}, {}], ids=["false", "none"])
def test_the_head_confirms_the_declaration_at_approval(
    app: LedgerApplication, scenario: Scenario, confirmation: dict[str, Any]
) -> None:
    ready_for_decision(scenario)
    body = {k: v for k, v in approval().items() if k != "grounds_confirmed"} | confirmation
    error = refused(
        app,
        scenario,
        InvalidError,
        lambda: app.approve(scenario.as_("chu-tich"), scenario.id, None, **body),
    )
    assert (str(error), getattr(error, "field", None)) == (
        CONFIRMATION_REFUSAL,
        "grounds_confirmed",
    )


def test_the_confirmation_is_recorded_in_the_approval(
    app: LedgerApplication, scenario: Scenario
) -> None:
    ready_for_decision(scenario)
    scenario.approve()
    approved = app.get_history(scenario.id)[-1]
    assert (approved["type"], approved["data"]["grounds_confirmed"]) == ("Approved", True)
    assert app.get_initiative(scenario.id)["approval"]["grounds_confirmed"] is True


# What the previous release recorded --------------------------------------------------------

CADRE = Actor(pid("can-bo"), "Phạm Đức Dũng", Role.STAFF, oid("ben-thanh-ubnd"))
HEAD = Actor(pid("chu-tich"), "Nguyễn Thị Hồng", Role.HEAD, oid("ben-thanh-ubnd"))
NO_DECLARATION_REFUSAL = (
    "the proposal carries no declaration of grounds (it was submitted before the declaration"
    " was required): the proposer adds it by an amendment"
)


def submitted_by_the_previous_release(app: LedgerApplication, scenario: Scenario) -> None:
    """Drafted, then submitted as the previous release stored it (without the declaration),
    and received."""
    scenario.draft()
    old = {k: v for k, v in proposal().items() if k not in DECLARATION}
    as_the_previous_release(
        app,
        scenario.id,  # type: ignore[arg-type]
        "Submitted",
        CADRE,
        scenario.as_("can-bo"),
        addressee_id=oid("ben-thanh-ubnd"),
        proposal=old,
    )
    scenario.receive()


def test_a_proposal_submitted_before_the_declaration_is_approved_once_amended_with_it(
    app: LedgerApplication, scenario: Scenario
) -> None:
    submitted_by_the_previous_release(app, scenario)
    assert app.get_initiative(scenario.id)["proposal"].get(NOT_CONTRARY) is None
    scenario.party_opinion()
    scenario.meeting({"chu-tich": "for", "pho-1": "for"})
    error = refused(app, scenario, ConflictError, lambda: scenario.approve())
    assert str(error) == NO_DECLARATION_REFUSAL
    assert not app.may(scenario.as_("chu-tich"), scenario.id, "approve")  # not offered
    # An amendment that leaves the declaration out is refused, naming it.
    ctx = scenario.as_("can-bo")
    error = refused(
        app,
        scenario,
        InvalidError,
        lambda: app.amend(ctx, scenario.id, None, changes={"scope": "Hai khu phố"}),
    )
    assert str(error) == f"the proposal lacks {', '.join(DECLARATION)}"
    app.amend(ctx, scenario.id, None, changes=grounds(), note="Bổ sung cam kết")
    scenario.party_opinion()
    scenario.meeting({"chu-tich": "for", "pho-1": "for"})
    scenario.approve()
    state = app.get_initiative(scenario.id)
    assert (state["status"], state["approval"]["grounds_confirmed"]) == ("approved", True)


def test_an_approval_recorded_before_the_confirmation_still_loads_without_one(
    app: LedgerApplication, scenario: Scenario
) -> None:
    ready_for_decision(scenario)
    terms = {
        "scope": "Phường Bến Thành",
        "start": approval()["approved_start"],
        "end": approval()["approved_end"],
        "resources": "2 cán bộ",
        "assignee_ids": [pid("can-bo")],
        "directions": "",
    }
    as_the_previous_release(
        app,
        scenario.id,  # type: ignore[arg-type]
        "Approved",
        HEAD,
        scenario.as_("chu-tich"),
        basis="majority",
        decision_document="QĐ 15/QĐ-UBND",
        justification="",
        approval=terms,
    )
    approved = app.get_history(scenario.id)[-1]
    assert approved["type"] == "Approved"
    assert "grounds_confirmed" not in approved["data"]  # as stored, nothing added
    state = app.get_initiative(scenario.id)
    assert (state["status"], state["approval"]["grounds_confirmed"]) == ("approved", None)


# Each field of a declaration: absent, or one of values the check treats differently.
_FIELD_VALUES = (None, "", "   ", "Thực tiễn", 0, 1, True, False, "true", ["x"], {})


def test_declares_grounds_is_what_the_check_accepts() -> None:
    """The predicate the views ask of every version (without raising) and the check that
    refuses a proposal agree on every declaration of these values (1,331 of them)."""
    accepted_ones = 0
    for values in itertools.product(_FIELD_VALUES, repeat=3):
        declaration = {k: v for k, v in zip(GROUNDS_FIELDS, values, strict=True) if v is not None}
        try:
            check_grounds(declaration)
            accepted = True
        except InvalidError:
            accepted = False
        assert declares_grounds(declaration) is accepted, declaration
        accepted_ones += accepted
    # the texts: "Thực tiễn", 1, True, "true", ["x"] (5 each); the statement: True alone
    assert accepted_ones == 5 * 5 * 1
