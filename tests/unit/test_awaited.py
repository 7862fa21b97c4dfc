"""What an initiative waits for and who must act next, read off the command registry
(`domain/awaited.py`): the command that moves it on in its status, or the one that records
the first fact that command lacks; its Who's first seat, or the people its actor rules name.
The people a step names are the people the registry lets perform it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import LedgerApplication
from domain.awaited import FORWARD, Awaited, awaited, clocks_awaited
from domain.clocks import CLOCKS
from domain.commands import REGISTRY
from domain.directory import Organisation
from domain.vocabulary import Role
from tests.factories import (
    Clock,
    Life,
    ctx,
    evaluation,
    oid,
    oversight_directory,
    pid,
    urgent_report,
)
from web.pages.labels import WAITING

WARD = oid("ben-thanh-ubnd")
CITY = oid("hcm-ubnd")
PARTY = ("party_committee", "head", "deputy")


@pytest.fixture
def life(app: LedgerApplication, clock: Clock) -> Life:
    app.import_directory(oversight_directory(), "test")
    return Life(app, clock)


def now(life: Life) -> Awaited | None:
    """What the initiative waits for now; the people it names may each perform the command
    (`may()`: the registry's own rules), and each running clock waits for something."""
    assert life.id is not None
    initiative = life.app.repository.get(life.id)
    found = awaited(initiative)
    if found is not None:
        people = named(life, found)
        assert people, found
        for person in people:
            assert life.app.may(ctx(person, life.clock), life.id, found.command), (person, found)
    running = {c.name for c in initiative.clocks if c.finished_on is None}
    assert set(clocks_awaited(initiative)) == running
    return found


KEYS = {
    pid(k): k
    for k in ("chu-tich", "pho-1", "pho-2", "can-bo", "van-thu", "dang-uy", "tp-chu-tich")
}


def named(life: Life, found: Awaited) -> list[str]:
    """The directory keys of the people a step names: those it names itself, else those who
    hold one of its roles in its organisation (the party committee or superior of it, if the
    step says so) today."""
    if found.person_ids:
        return [KEYS[p] for p in found.person_ids]
    assert found.organisation_id is not None
    org: Organisation = life.app.repository.get(found.organisation_id)
    if found.via is not None:
        org = life.app.repository.get(getattr(org, f"{found.via}_id"))
    day = life.clock().date()
    holders = org.holders({Role(a) for a in found.actors}, day)
    return sorted(KEYS[p.person_id] for p in holders if p.person_id in KEYS)


def test_a_proposal_waits_for_its_receipt_the_opinion_the_meeting_then_the_head(
    life: Life,
) -> None:
    life.draft()
    assert now(life) is None  # a draft waits on nobody
    life.submit()
    assert now(life) == Awaited("receive", WARD, None, ("clerk", "head"))
    assert named(life, Awaited("receive", WARD, None, ("clerk", "head"))) == [
        "chu-tich",
        "van-thu",
    ]
    life.receive()
    opinion = Awaited("give_party_opinion", WARD, "party_committee", PARTY)
    assert now(life) == opinion
    assert named(life, opinion) == ["dang-uy"]
    life.party_opinion()
    assert now(life) == Awaited("hold_leadership_meeting", WARD, None, ("head",))
    life.meeting({"chu-tich": "for", "pho-1": "for"})
    assert now(life) == Awaited("approve", WARD, None, ("head",))
    life.approve()
    assert now(life) is None  # approved: the assignees start when they are ready


def test_a_clarification_waits_for_the_proposers_and_an_escalation_for_the_superior(
    life: Life,
) -> None:
    life.draft("can-bo", co_proposer_ids=[pid("pho-2")])
    life.submit()
    life.receive()
    life.cmd(
        "request_clarification", "chu-tich", items=["Làm rõ kinh phí"], due_date=date(2026, 3, 9)
    )
    assert now(life) == Awaited("amend", WARD, None, ("proposer",), (pid("can-bo"), pid("pho-2")))
    life.cmd("amend", "pho-2", changes={"budget_source": "Xã hội hóa"}, note="Bổ sung")
    assert now(life) == Awaited("give_party_opinion", WARD, "party_committee", PARTY)
    life.cmd("escalate", "chu-tich", reason="Vượt thẩm quyền phường")
    assert now(life) == Awaited("receive", CITY, None, ("clerk", "head"))


@pytest.mark.parametrize(
    ("acted_on", "command"),
    [(None, "authorize_urgent"), (date(2026, 3, 2), "ratify_urgent")],
)
def test_an_urgent_report_waits_for_the_competent_head(
    life: Life, acted_on: date | None, command: str
) -> None:
    life.draft(regime="urgent")
    acted = {} if acted_on is None else {"acted_on": acted_on}
    life.cmd("report_urgent", "can-bo", **urgent_report(**acted))
    assert now(life) == Awaited(command, WARD, None, ("head",))


def test_after_the_work_it_waits_for_the_report_the_evaluation_and_the_archive(
    life: Life,
) -> None:
    life.to_approval()
    life.start()
    assert now(life) is None
    life.complete()
    assert now(life) == Awaited(
        "report_result", WARD, None, ("assignee", "proposer"), (pid("can-bo"),)
    )
    life.report()
    assert now(life) == Awaited("give_party_opinion", WARD, "party_committee", PARTY)
    life.evaluation_round()
    assert now(life) == Awaited("evaluate", WARD, None, ("head",))
    life.cmd("evaluate", "chu-tich", **evaluation())
    assert now(life) == Awaited("archive", WARD, None, ("clerk",))
    life.cmd("archive", "van-thu", archive_ref="HS 1/2026")
    assert now(life) is None


def test_an_obstacle_clock_waits_for_the_approving_authoritys_head(life: Life) -> None:
    life.to_approval()
    life.start()
    raised = life.cmd("raise_obstacle", "can-bo", obstacle="Thiếu chữ ký số")
    assert life.id is not None
    initiative = life.app.repository.get(life.id)
    resolution = Awaited("resolve_obstacle", WARD, None, ("head",))
    assert clocks_awaited(initiative) == {"obstacle_resolution": resolution}
    assert named(life, resolution) == ["chu-tich"]
    assert life.app.may(life.as_("chu-tich"), life.id, "resolve_obstacle")
    life.cmd("resolve_obstacle", "chu-tich", obstacle_version=raised, measure="Cấp chữ ký số")
    assert clocks_awaited(life.app.repository.get(life.id)) == {}


def test_the_steps_are_the_registrys_and_each_has_a_label() -> None:
    """Each command awaited in a status is allowed in it; the commands a step can name
    (those, the ones recording a fact they lack, a clock's own) each have a label."""
    for status, commands in FORWARD.items():
        for command in commands:
            assert command.states.statuses is not None
            assert status in command.states.statuses, (status, command.name)
    names = {c.name for c in REGISTRY}
    recorders = {f.recorded_by for c in REGISTRY for f in c.facts if f.recorded_by}
    own = {rule.awaits for rule in CLOCKS.values() if rule.awaits}
    assert recorders | own <= names
    steps = {c.name for commands in FORWARD.values() for c in commands} | recorders | own
    assert steps == set(WAITING)


def test_the_decision_clock_waits_for_what_the_review_waits_for(life: Life) -> None:
    life.to_review()
    assert life.id is not None
    assert clocks_awaited(life.app.repository.get(life.id)) == {
        "approval_decision": Awaited("give_party_opinion", WARD, "party_committee", PARTY)
    }
