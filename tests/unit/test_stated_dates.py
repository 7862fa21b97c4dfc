"""Honest dates (domain.md §5.12): a date a command's body states lies between the earlier
event it follows and today in Vietnam; the event's timestamp stays when it was entered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from eventsourcing.domain import Snapshot
from marshmallow import Schema, fields

from domain.application import LedgerApplication
from domain.commands import REGISTRY
from domain.errors import ConflictError, InvalidError
from domain.initiative import Initiative
from domain.initiative_core import PLANNED_DATES, STATED_DATES
from tests.factories import Clock, Life, oversight_directory, pid, urgent_report, urgent_terms
from web.api.commands import request_schema
from web.schemas.common import Day

# The days the state keeps since this rule (`InitiativeCore.submitted_on`…).
NEW_DAYS = ("submitted_on", "escalated_on", "amended_on")


@pytest.fixture
def life(app: LedgerApplication, clock: Clock) -> Life:
    app.import_directory(oversight_directory(), "test")
    return Life(app, clock)


def aggregate(life: Life) -> Initiative:
    assert life.id is not None
    found: Initiative = life.app.repository.get(life.id)
    return found


def votes(voters: tuple[str, ...] = ("chu-tich", "pho-1")) -> dict[str, Any]:
    return {
        "attendee_ids": [pid(k) for k in voters],
        "votes": [{"person_id": pid(k), "vote": "for"} for k in voters],
        "minutes_ref": "BB 7/UBND",
    }


# What states each date: the command, and its body around the date.
STATING: dict[str, tuple[str, Callable[[date], dict[str, Any]]]] = {
    "receipt_date": ("receive", lambda d: {"receipt_date": d, "incoming_number": "1"}),
    "meeting_date": ("hold_leadership_meeting", lambda d: {"meeting_date": d, **votes()}),
    "actual_start": ("start_implementation", lambda d: {"actual_start": d}),
    "completion_date": ("complete", lambda d: {"completion_date": d}),
    "acted_on": ("report_urgent", lambda d: urgent_report(acted_on=d)),
}


@dataclass(frozen=True)
class Stage:
    """A stage before a stated date: its `steps`, among them the event the date follows
    (`event`, on `earliest`), then the clock set to the day the command is made (`today`)."""

    steps: Callable[[Life], None]
    earliest: date
    event: str
    today: date

    def run(self, life: Life) -> None:
        self.steps(life)
        life.clock.on(self.today)


def stage(earliest: date, event: str, today: date) -> Callable[[Callable[[Life], None]], Stage]:
    """The steps it decorates as a `Stage` with these bounds."""
    return lambda steps: Stage(steps, earliest, event, today)


@stage(date(2026, 3, 5), "the submission", today=date(2026, 3, 9))
def submitted_on_5_march(life: Life) -> None:
    life.clock.on(date(2026, 3, 2))
    life.draft()
    life.clock.on(date(2026, 3, 5))
    life.submit()


@stage(date(2026, 3, 12), "the escalation", today=date(2026, 3, 16))
def escalated_on_12_march(life: Life) -> None:
    life.to_review()
    life.clock.on(date(2026, 3, 12))
    life.cmd("escalate", "chu-tich", reason="Vượt thẩm quyền")


@stage(date(2026, 3, 5), "the receipt of the proposal", today=date(2026, 3, 10))
def received_as_of_5_march(life: Life) -> None:
    life.draft()
    life.submit()
    life.clock.on(date(2026, 3, 9))
    life.cmd("receive", "van-thu", receipt_date=date(2026, 3, 5), incoming_number="1")
    life.party_opinion()


@stage(date(2026, 3, 6), "the last amendment", today=date(2026, 3, 10))
def amended_on_6_march(life: Life) -> None:
    life.to_review()
    life.clock.on(date(2026, 3, 6))
    life.cmd("amend", "can-bo", changes={"purpose": "Rút ngắn xuống 2 ngày."})
    life.party_opinion()


@stage(date(2026, 12, 3), "the result report", today=date(2026, 12, 8))
def result_reported_on_3_december(life: Life) -> None:
    life.to_approval()
    life.start()
    life.complete(date(2026, 12, 1))
    life.clock.on(date(2026, 12, 3))
    life.report()
    life.cmd(
        "give_party_opinion", "dang-uy", phase="evaluation", opinion="Đồng ý", document_ref="CV"
    )


@stage(date(2026, 3, 4), "the approval", today=date(2026, 3, 10))
def approved_on_4_march(life: Life) -> None:
    life.to_review()
    life.party_opinion()
    life.meeting({"chu-tich": "for", "pho-1": "for", "pho-2": "against"})
    life.clock.on(date(2026, 3, 4))
    life.approve(approved_start=date(2026, 3, 1))  # a period begun before its approval


@stage(date(2026, 3, 3), "the urgent action ratified", today=date(2026, 3, 10))
def ratified_after_acting_on_3_march(life: Life) -> None:
    life.draft(regime="urgent")
    life.clock.on(date(2026, 3, 4))
    life.cmd("report_urgent", "can-bo", **urgent_report(acted_on=date(2026, 3, 3)))
    life.clock.on(date(2026, 3, 6))
    life.cmd("ratify_urgent", "chu-tich", **urgent_terms())


@stage(date(2026, 4, 1), "the start of the work", today=date(2026, 4, 10))
def started_on_1_april(life: Life) -> None:
    life.to_approval()
    life.start()


@stage(date(2026, 3, 2), "the creation of the initiative", today=date(2026, 3, 4))
def drafted_on_2_march(life: Life) -> None:
    life.draft(regime="urgent")


@dataclass(frozen=True)
class Case:
    """A command whose body states the date `field`, made by `by` after `stage`."""

    stage: Stage
    field: str
    by: str

    @property
    def command(self) -> str:
        return STATING[self.field][0]

    def body(self, day: date) -> dict[str, Any]:
        return STATING[self.field][1](day)


CASES = {
    "receipt-after-submission": Case(submitted_on_5_march, "receipt_date", "van-thu"),
    "receipt-after-escalation": Case(escalated_on_12_march, "receipt_date", "tp-chu-tich"),
    "meeting-after-receipt": Case(received_as_of_5_march, "meeting_date", "chu-tich"),
    "meeting-after-amendment": Case(amended_on_6_march, "meeting_date", "chu-tich"),
    "evaluation-meeting-after-result-report": Case(
        result_reported_on_3_december, "meeting_date", "chu-tich"
    ),
    "start-after-approval": Case(approved_on_4_march, "actual_start", "can-bo"),
    "ratified-start-after-the-urgent-action": Case(
        ratified_after_acting_on_3_march, "actual_start", "can-bo"
    ),
    "completion-after-start": Case(started_on_1_april, "completion_date", "can-bo"),
    "urgent-action-after-creation": Case(drafted_on_2_march, "acted_on", "can-bo"),
}


def refused(life: Life, case: Case, day: date) -> InvalidError:
    """The command refused with `day`, recording nothing."""
    before = life.app.get_history(life.id)
    with pytest.raises(InvalidError) as refusal:
        life.cmd(case.command, case.by, **case.body(day))
    assert life.app.get_history(life.id) == before
    assert refusal.value.field == case.field
    return refusal.value


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_stated_date_lies_between_the_event_it_follows_and_today(life: Life, case: Case) -> None:
    bounds = case.stage
    bounds.run(life)
    name = STATED_DATES[case.field].name
    early = bounds.earliest - timedelta(days=1)
    tomorrow = bounds.today + timedelta(days=1)
    assert aggregate(life).earliest(case.field) == (bounds.earliest, bounds.event)
    assert str(refused(life, case, early)) == (
        f"the {name} {early:%d/%m/%Y} is before {bounds.event} on {bounds.earliest:%d/%m/%Y}"
    )
    assert str(refused(life, case, tomorrow)) == (
        f"the {name} {tomorrow:%d/%m/%Y} is later than today, {bounds.today:%d/%m/%Y} in Vietnam"
    )
    version = life.cmd(case.command, case.by, **case.body(bounds.earliest))  # the boundary
    entered = life.app.get_history(life.id)[-1]
    data = entered["data"]
    stated = (data["report"] if case.field == "acted_on" else data)[case.field]
    assert (entered["version"], stated) == (version, bounds.earliest)
    assert entered["recorded_at"] == life.clock()  # the service's own time of entry


def test_today_is_the_last_day_a_date_may_state(life: Life) -> None:
    case = CASES["completion-after-start"]
    case.stage.run(life)
    life.cmd(case.command, case.by, **case.body(case.stage.today))
    completed = life.app.get_initiative(life.id)["implementation"]["completion_date"]
    assert completed == case.stage.today


def test_the_days_are_those_of_vietnam(life: Life) -> None:
    # 18:00 UTC is 01:00 the next day in Vietnam: the initiative was created on 2 March there,
    # and the command is made on 3 March there (still 2 March in UTC).
    life.clock.on(date(2026, 3, 1), hour=18)
    life.draft(regime="urgent")
    life.clock.on(date(2026, 3, 2), hour=18)
    with pytest.raises(InvalidError) as refusal:
        life.cmd("report_urgent", "can-bo", **urgent_report(acted_on=date(2026, 3, 1)))
    assert str(refusal.value) == (
        "the date the cadre acted 01/03/2026 is before the creation of the initiative on"
        " 02/03/2026"
    )
    life.cmd("report_urgent", "can-bo", **urgent_report(acted_on=date(2026, 3, 3)))
    assert life.app.get_initiative(life.id)["urgent_report"]["acted_on"] == date(2026, 3, 3)


def test_the_bound_is_the_latest_earlier_event_on_record(life: Life) -> None:
    life.clock.on(date(2026, 3, 2))
    life.draft()
    creation = (date(2026, 3, 2), "the creation of the initiative")
    assert {field: aggregate(life).earliest(field) for field in STATED_DATES} == dict.fromkeys(
        STATED_DATES, creation
    )
    life.submit()  # the same day: the submission, not the creation, is named
    assert aggregate(life).earliest("receipt_date") == (date(2026, 3, 2), "the submission")
    life.clock.on(date(2026, 3, 9))
    life.cmd("receive", "van-thu", receipt_date=date(2026, 3, 5), incoming_number="1")
    receipt = (date(2026, 3, 5), "the receipt of the proposal")
    assert aggregate(life).earliest("meeting_date") == receipt
    life.clock.on(date(2026, 3, 11))
    life.cmd("amend", "can-bo", changes={"purpose": "Rút ngắn xuống 2 ngày."})
    amended = aggregate(life)
    assert amended.earliest("meeting_date") == (date(2026, 3, 11), "the last amendment")
    # What the receipt follows is not what the meeting follows.
    assert amended.earliest("receipt_date") == (date(2026, 3, 2), "the submission")


def test_an_authorized_start_follows_the_authorization(life: Life) -> None:
    life.draft(regime="urgent")
    life.clock.on(date(2026, 3, 4))
    life.cmd("report_urgent", "can-bo", **urgent_report())
    life.clock.on(date(2026, 3, 6))
    life.cmd("authorize_urgent", "chu-tich", **urgent_terms())
    assert aggregate(life).earliest("actual_start") == (date(2026, 3, 6), "the approval")


def test_a_start_within_the_date_bounds_still_keeps_to_the_approved_period(life: Life) -> None:
    life.to_approval()  # on 2 March, for 1 April to 31 December
    life.clock.on(date(2026, 3, 10))
    with pytest.raises(ConflictError, match="within the approved dates 01/04/2026"):
        life.cmd("start_implementation", "can-bo", actual_start=date(2026, 3, 9))


def date_fields(schema: type[Schema]) -> set[str]:
    """The names of the date fields of a request schema, nested schemas' included."""
    found: set[str] = set()
    for name, field in schema().fields.items():
        if isinstance(field, Day):
            found.add(name)
        elif isinstance(field, fields.Nested) and isinstance(field.nested, type):
            found |= date_fields(field.nested)
    return found


def test_every_date_a_command_takes_is_bounded_or_a_plan() -> None:
    taken = set().union(*(date_fields(request_schema(c.schema)) for c in REGISTRY))
    assert taken == set(STATED_DATES) | PLANNED_DATES
    assert not set(STATED_DATES) & PLANNED_DATES


def test_a_snapshot_without_the_days_still_loads_and_bounds_by_what_it_keeps(life: Life) -> None:
    life.clock.on(date(2026, 3, 2))
    life.draft()
    life.clock.on(date(2026, 3, 5))
    life.submit()
    taken = Snapshot.take(aggregate(life))
    assert taken.state["submitted_on"] == date(2026, 3, 5)
    # The state as a snapshot of the previous release holds it: none of the days it adds.
    old = {k: v for k, v in taken.state.items() if k not in NEW_DAYS}
    loaded = Snapshot(
        originator_id=taken.originator_id,
        originator_version=taken.originator_version,
        timestamp=taken.timestamp,
        topic=taken.topic,
        state=old,
    ).mutate(None)
    assert isinstance(loaded, Initiative)
    assert loaded.earliest("receipt_date") == (date(2026, 3, 2), "the creation of the initiative")
