"""The urgent path as HCMC plan 124-KH/TU writes it: the proposer reports to the head of the
unit, the head reports to the competent level above; the report weighs several options and
declares its grounds; the competent level's decision carries its specific directions and
confirms the declaration."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.errors import ConflictError, ForbiddenError, InvalidError
from domain.proposal import GROUNDS_FIELDS
from domain.values import Actor
from domain.vocabulary import Role
from tests.factories import (
    Clock,
    Life,
    as_the_previous_release,
    oid,
    pid,
    urgent_report,
    urgent_terms,
)
from tests.unit.test_grounds import GROUNDS_REFUSED


@pytest.fixture
def life(app: LedgerApplication, clock: Clock) -> Life:
    return Life(app, clock)


def types(life: Life) -> list[str]:
    return [e["type"] for e in life.app.get_history(life.id)]


def refused(life: Life, error: type[Exception], name: str, by: str, **body: Any) -> Exception:
    """The refusal of the command (of type `error`); nothing is recorded."""
    before = types(life)
    with pytest.raises(error) as raised:
        life.cmd(name, by, **body)
    assert types(life) == before, "a refused command must record nothing"
    return raised.value


def field_of(error: Exception) -> str | None:
    return getattr(error, "field", None)


def test_a_proposer_reports_to_the_head_of_the_unit_who_decides(life: Life) -> None:
    life.draft(regime="urgent")
    life.cmd("report_urgent", "can-bo", **urgent_report())
    state = life.app.get_initiative(life.id)
    assert (state["status"], state["addressee_id"]) == ("urgent_reported", oid("ben-thanh-ubnd"))
    life.cmd("authorize_urgent", "chu-tich", **urgent_terms())
    approval = life.app.get_initiative(life.id)["approval"]
    assert (approval["basis"], approval["authority_id"]) == (
        "urgent_authorized",
        oid("ben-thanh-ubnd"),
    )


def test_the_head_of_the_unit_reports_to_the_superior_agency_which_decides(
    life: Life,
) -> None:
    life.draft(regime="urgent")  # opened by the cadre, who is its proposer
    assert life.app.may(life.as_("chu-tich"), life.id, "report_urgent")
    life.cmd("report_urgent", "chu-tich", **urgent_report())
    history = life.app.get_history(life.id)
    assert (history[-1]["type"], history[-1]["actor"]["role"]) == ("UrgentReported", "head")
    assert history[-1]["actor"]["person_id"] == str(pid("chu-tich"))
    state = life.app.get_initiative(life.id)
    assert (state["status"], state["addressee_id"]) == ("urgent_reported", oid("hcm-ubnd"))
    assert state["proposer_ids"] == [pid("can-bo")]  # the cadre who acts stays its proposer
    # The ward's head reported it: the city decides, not the ward.
    error = refused(life, ForbiddenError, "authorize_urgent", "chu-tich", **urgent_terms())
    assert str(error) == (
        "Nguyễn Thị Hồng did not hold a head position in Ủy ban nhân dân Thành phố Hồ Chí"
        " Minh on 02/03/2026, which is needed to authorize urgent action"
    )
    life.cmd("authorize_urgent", "tp-chu-tich", **urgent_terms())
    approval = life.app.get_initiative(life.id)["approval"]
    assert (approval["authority_id"], approval["assignee_ids"]) == (
        oid("hcm-ubnd"),
        [pid("can-bo")],
    )


@pytest.mark.parametrize("who", ["pho-1", "van-thu"])
def test_a_member_who_neither_proposes_nor_heads_the_unit_cannot_report(
    life: Life, who: str
) -> None:
    life.draft(regime="urgent")
    assert not life.app.may(life.as_(who), life.id, "report_urgent")
    error = refused(life, ForbiddenError, "report_urgent", who, **urgent_report())
    name = {"pho-1": "Trần Văn Bình", "van-thu": "Võ Thị Em"}[who]
    assert str(error) == (
        f"{name} did not hold a head position in Ủy ban nhân dân phường Bến Thành on"
        " 02/03/2026, which is needed to report an urgent situation for the unit"
    )


def test_the_head_of_an_agency_without_a_superior_has_no_one_to_report_to(life: Life) -> None:
    life.draft(by="tp-pho", org_key="hcm-ubnd", regime="urgent")
    error = refused(life, ConflictError, "report_urgent", "tp-chu-tich", **urgent_report())
    assert str(error) == (
        "what the head proposes or reports goes to the superior agency, but Ủy ban nhân dân"
        " Thành phố Hồ Chí Minh has none in the directory"
    )


REPORTS_REFUSED = {
    "one-option": (
        {"options": [{"title": "Mở đường tạm", "description": ""}]},
        "options",
        "an urgent report weighs at least two distinct options",
    ),
    "the-same-title-twice": (
        {"options": [{"title": "Mở đường tạm"}, {"title": "Mở đường tạm"}]},
        "options",
        "an urgent report weighs at least two distinct options",
    ),
    "the-choice-not-among-them": (
        {"chosen_option": "Sơ tán"},
        "chosen_option",
        "the chosen option must be one of the options",
    ),
    # The declaration of grounds is refused as a proposal's is (tests/unit/test_grounds.py).
    **{
        case: GROUNDS_REFUSED[case]
        for case in ("no-grounds-in-practice", "no-grounds-in-science", "declared-contrary")
    },
}


@pytest.mark.parametrize(
    ("overrides", "field", "message"), REPORTS_REFUSED.values(), ids=REPORTS_REFUSED
)
def test_an_urgent_report_weighs_several_options_and_declares_its_grounds(
    life: Life, overrides: dict[str, Any], field: str, message: str
) -> None:
    life.draft(regime="urgent")
    error = refused(life, InvalidError, "report_urgent", "can-bo", **urgent_report(**overrides))
    assert (str(error), field_of(error)) == (message, field)


@pytest.mark.parametrize("decision", ["authorize_urgent", "ratify_urgent"])
@pytest.mark.parametrize("directions", [None, "", "  "], ids=["none", "empty", "blank"])
def test_the_competent_levels_decision_carries_its_directions(
    life: Life, decision: str, directions: str | None
) -> None:
    life.draft(regime="urgent")
    acted = {"acted_on": date(2026, 3, 2)} if decision == "ratify_urgent" else {}
    life.cmd("report_urgent", "can-bo", **urgent_report(**acted))
    terms = urgent_terms()
    body = {k: v for k, v in terms.items() if k != "directions"}
    if directions is not None:
        body["directions"] = directions
    error = refused(life, InvalidError, decision, "chu-tich", **body)
    assert (str(error), field_of(error)) == ("directions must not be empty", "directions")
    life.cmd(decision, "chu-tich", **terms)
    assert life.app.get_initiative(life.id)["approval"]["directions"] == terms["directions"]


@pytest.mark.parametrize("decision", ["authorize_urgent", "ratify_urgent"])
def test_the_competent_levels_decision_confirms_the_declaration(life: Life, decision: str) -> None:
    life.draft(regime="urgent")
    acted = {"acted_on": date(2026, 3, 2)} if decision == "ratify_urgent" else {}
    life.cmd("report_urgent", "can-bo", **urgent_report(**acted))
    error = refused(
        life, InvalidError, decision, "chu-tich", **urgent_terms(grounds_confirmed=False)
    )
    assert field_of(error) == "grounds_confirmed"
    assert str(error) == (
        "the decision confirms the declaration of grounds: that the proposal is grounded in"
        " practice and science and not contrary to the Party's line, the Constitution or the"
        " law"
    )
    life.cmd(decision, "chu-tich", **urgent_terms())
    history = life.app.get_history(life.id)
    assert history[-1]["data"]["grounds_confirmed"] is True
    assert life.app.get_initiative(life.id)["approval"]["grounds_confirmed"] is True


def test_an_urgent_report_recorded_before_the_declaration_can_only_be_refused(
    life: Life,
) -> None:
    life.draft(regime="urgent")
    old = {k: v for k, v in urgent_report().items() if k not in GROUNDS_FIELDS}
    cadre = Actor(pid("can-bo"), "Phạm Đức Dũng", Role.STAFF, oid("ben-thanh-ubnd"))
    as_the_previous_release(
        life.app,
        life.id,  # type: ignore[arg-type]
        "UrgentReported",
        cadre,
        life.as_("can-bo"),
        addressee_id=oid("ben-thanh-ubnd"),
        report={**old, "acted_on": None},
    )
    assert life.app.get_initiative(life.id)["status"] == "urgent_reported"
    assert not life.app.may(life.as_("chu-tich"), life.id, "authorize_urgent")
    error = refused(life, ConflictError, "authorize_urgent", "chu-tich", **urgent_terms())
    assert str(error) == (
        "the urgent report carries no declaration of grounds (it was reported before the"
        " declaration was required): refuse it, and the situation is reported again"
    )
    life.cmd("refuse_urgent", "chu-tich", reasons=["Thiếu cam kết về cơ sở"], document_ref="CV")
    assert types(life)[-1] == "UrgentRefused"
