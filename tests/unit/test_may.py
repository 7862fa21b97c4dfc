"""What the pages' forms offer: exactly the commands the registry's rules allow, evaluated
without running anything (nothing saved, no probe)."""

from __future__ import annotations

from domain.application import LedgerApplication
from domain.commands import REGISTRY
from tests.factories import Clock, Life, Scenario, ctx


def offered(app: LedgerApplication, scenario: Scenario, key: str) -> list[str]:
    assert scenario.id is not None
    asking = ctx(key, scenario.clock)
    one_by_one = [c.name for c in REGISTRY if app.may(asking, scenario.id, c.name)]
    assert app.offered(asking, scenario.id) == one_by_one
    return one_by_one


def test_a_draft_offers_its_proposer_submit_withdraw_and_nothing_to_others(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft()
    # the person who recorded an event may correct it (countersigned): any state
    assert offered(app, scenario, "can-bo") == ["submit", "withdraw", "correct"]
    assert offered(app, scenario, "chu-tich") == []
    assert offered(app, scenario, "van-thu") == []


def test_a_submitted_proposal_is_received_by_the_clerk_or_head_only(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.draft()
    scenario.submit()
    assert offered(app, scenario, "van-thu") == ["receive"]
    assert offered(app, scenario, "chu-tich") == ["receive"]
    assert offered(app, scenario, "can-bo") == ["withdraw", "correct"]


def test_approval_is_offered_only_once_party_opinion_and_meeting_are_recorded(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    head = offered(app, scenario, "chu-tich")
    assert "approve" not in head
    assert {"request_clarification", "reject", "escalate", "hold_leadership_meeting"} <= set(head)
    assert offered(app, scenario, "dang-uy") == ["give_party_opinion"]
    scenario.party_opinion()
    scenario.meeting({"chu-tich": "for", "pho-1": "for"})
    assert "approve" in offered(app, scenario, "chu-tich")
    assert "approve" not in offered(app, scenario, "pho-1")  # a deputy does not decide
    assert "approve" not in offered(app, scenario, "can-bo")  # nor the proposer


def test_asking_about_every_command_records_nothing(app: LedgerApplication, clock: Clock) -> None:
    life = Life(app, clock)
    life.to_approval()
    assert life.id is not None
    before = app.repository.get(life.id).version
    for key in ("chu-tich", "can-bo", "dang-uy", "van-thu", "tp-chu-tich"):
        offered(app, life, key)
    assert app.repository.get(life.id).version == before
    assert offered(app, life, "can-bo") == [
        "start_implementation",
        "request_protection",
        "correct",
    ]


def test_a_running_pilot_offers_supervision_to_the_authority_and_work_to_the_assignee(
    app: LedgerApplication, clock: Clock
) -> None:
    life = Life(app, clock)
    life.to_approval()
    life.start()
    head = offered(app, life, "chu-tich")
    assert "record_supervision_note" in head
    assert "suspend" in head
    assert "approve_adjustment" not in head  # nothing is waiting for a decision
    assert "resolve_obstacle" not in head  # no obstacle is open
    assert "start_implementation" not in offered(app, life, "can-bo")
    assert {"report_progress", "raise_obstacle", "complete"} <= set(offered(app, life, "can-bo"))
    life.cmd("raise_obstacle", "can-bo", obstacle="Thiếu máy quét")
    assert "resolve_obstacle" in offered(app, life, "chu-tich")
