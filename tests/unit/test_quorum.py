"""The quorum of a leadership meeting (domain.md §5.11): more than half of the eligible members
present, or the organisation's own rule (an effective-dated detail of the directory) from the
day it takes effect; attendees only from the eligible members, votes only from attendees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import pytest
from marshmallow import ValidationError

from domain.application import LedgerApplication
from domain.directory import Organisation, OrganisationDetails
from domain.errors import ForbiddenError, InvalidError
from domain.quorum import MORE_THAN_HALF, Quorum, quorum_on, quorum_rules
from tests.factories import Clock, Scenario, oid, pid, ward_directory
from web.schemas.directory import DirectoryFileSchema

RULE_DAY = date(2026, 3, 3)  # the day after the factories' NOW


def rule(**share: str) -> Quorum:
    """An organisation's rule in force from RULE_DAY."""
    return Quorum.of({"valid_from": RULE_DAY, **share})  # type: ignore[typeddict-item]


# The arithmetic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eligible", "needed"), [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (7, 4)]
)
def test_more_than_half_of_the_eligible_members(eligible: int, needed: int) -> None:
    assert MORE_THAN_HALF.needed(eligible) == needed


@pytest.mark.parametrize(
    ("present", "eligible", "met"),
    [(1, 2, False), (2, 2, True), (1, 3, False), (2, 3, True), (2, 4, False), (3, 4, True)],
)
def test_the_boundaries_of_more_than_half(present: int, eligible: int, met: bool) -> None:
    assert MORE_THAN_HALF.met(present, eligible) is met


@pytest.mark.parametrize(
    ("share", "eligible", "needed"),
    [
        ({"at_least": "2/3"}, 3, 2),
        ({"at_least": "2/3"}, 4, 3),
        ({"at_least": "2/3"}, 6, 4),
        ({"at_least": "1/2"}, 4, 2),
        ({"at_least": "1/1"}, 3, 3),
        ({"more_than": "2/3"}, 3, 3),
        ({"more_than": "2/3"}, 6, 5),
        ({"more_than": "1/2"}, 4, 3),
    ],
)
def test_an_organisations_own_share(share: dict[str, str], eligible: int, needed: int) -> None:
    assert rule(**share).needed(eligible) == needed


def test_a_refusal_says_which_rule_failed() -> None:
    with pytest.raises(InvalidError) as refused:
        MORE_THAN_HALF.check(1, 3, "attendee_ids")
    assert str(refused.value) == (
        "no quorum: 1 of 3 eligible members present, more than half (2) needed"
    )
    assert refused.value.field == "attendee_ids"
    with pytest.raises(InvalidError) as own:
        rule(at_least="2/3").check(2, 4, "attendee_ids")
    assert str(own.value) == (
        "no quorum: 2 of 4 eligible members present, at least 2/3 (3) needed"
        " under the organisation's own rule in force from 03/03/2026"
    )
    MORE_THAN_HALF.check(2, 3, "attendee_ids")  # a quorum: nothing raised


@pytest.mark.parametrize(
    ("quorum", "phrase"),
    [
        (rule(more_than="1/2"), "more than half"),
        (rule(at_least="1/2"), "at least half"),
        (rule(more_than="3/5"), "more than 3/5"),
        (rule(at_least="1/1"), "all"),
    ],
)
def test_the_rule_in_words(quorum: Quorum, phrase: str) -> None:
    assert quorum.phrase == phrase


# The organisation's rules, effective-dated -------------------------------------------------


def test_the_rule_in_force_is_the_latest_by_the_day_else_more_than_half() -> None:
    rules = quorum_rules(
        [
            {"valid_from": date(2027, 1, 1), "more_than": "1/2"},
            {"valid_from": RULE_DAY, "at_least": "2/3"},
        ]
    )
    assert [q.valid_from for q in rules] == [RULE_DAY, date(2027, 1, 1)]
    assert quorum_on(rules, date(2026, 3, 2)) is MORE_THAN_HALF
    assert quorum_on(rules, RULE_DAY) == Quorum(Fraction(2, 3), True, RULE_DAY)
    assert quorum_on(rules, date(2026, 12, 31)) == Quorum(Fraction(2, 3), True, RULE_DAY)
    assert quorum_on(rules, date(2027, 1, 1)) == Quorum(Fraction(1, 2), False, date(2027, 1, 1))
    assert quorum_on((), RULE_DAY) is MORE_THAN_HALF


def test_a_rule_is_recorded_in_its_lowest_terms() -> None:
    assert rule(more_than="2/4").as_dict() == {"valid_from": RULE_DAY, "more_than": "1/2"}
    assert rule(at_least="4/6").as_dict() == {"valid_from": RULE_DAY, "at_least": "2/3"}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({}, "either more_than or at_least"),
        ({"more_than": "1/2", "at_least": "2/3"}, "either more_than or at_least"),
        ({"at_least": "0/3"}, "'0/3' is not a fraction such as 2/3"),
        ({"at_least": "0.5"}, "'0.5' is not a fraction such as 2/3"),
        ({"at_least": "4/3"}, "at_least 4/3 asks for more members than there are"),
        ({"more_than": "1/1"}, "more_than 1/1 asks for more members than there are"),
        ({"at_least": "2/3", "valid_from": "2026-03-03"}, "needs the day it takes effect"),
    ],
)
def test_a_rule_that_states_no_share_in_range_is_refused(
    record: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidError, match=message):
        Quorum.of({"valid_from": RULE_DAY, **record})  # type: ignore[typeddict-item]


def test_two_rules_on_the_same_day_are_refused() -> None:
    same_day = [
        {"valid_from": RULE_DAY, "more_than": "1/2"},
        {"valid_from": RULE_DAY, "at_least": "2/3"},
    ]
    with pytest.raises(InvalidError, match="two quorum rules take effect on the same day"):
        quorum_rules(same_day)  # type: ignore[arg-type]


def test_details_recorded_before_quorum_rules_existed_have_none() -> None:
    stored = {k: v for k, v in ward_directory()["organisations"][2].items() if k != "key"}
    details = OrganisationDetails.of(stored)  # type: ignore[arg-type]
    assert details.quorum == ()
    assert details.as_dict()["quorum"] == []


# The directory import ----------------------------------------------------------------------


def ward_with(*rules: dict[str, Any]) -> dict[str, Any]:
    """The ward's people's committee as an import file entry, with these quorum rules."""
    return {"organisations": [{**ward_directory()["organisations"][2], "quorum": list(rules)}]}


def test_an_import_records_the_rules_once_and_the_ward_applies_them_by_day(
    app: LedgerApplication,
) -> None:
    report = app.import_directory(ward_with({"valid_from": RULE_DAY, "at_least": "4/6"}), "t")
    assert (report["organisations_changed"], report["events"]) == (1, 1)
    again = app.import_directory(ward_with({"valid_from": RULE_DAY, "at_least": "2/3"}), "t")
    assert again["events"] == 0
    answer = app.get_organisation(oid("ben-thanh-ubnd"))
    assert answer["quorum"] == [{"valid_from": RULE_DAY, "at_least": "2/3"}]
    ward = app.repository.get(oid("ben-thanh-ubnd"))
    assert isinstance(ward, Organisation)
    assert ward.quorum_on(date(2026, 3, 2)) is MORE_THAN_HALF
    assert ward.quorum_on(RULE_DAY).phrase == "at least 2/3"


def test_an_import_with_a_bad_rule_is_refused_and_records_nothing(
    app: LedgerApplication,
) -> None:
    size = app.recorder.max_notification_id()
    with pytest.raises(InvalidError, match="organisation 'ben-thanh-ubnd': '3/2x' is not"):
        app.import_directory(ward_with({"valid_from": RULE_DAY, "at_least": "3/2x"}), "t")
    assert app.recorder.max_notification_id() == size


def test_the_import_file_schema_takes_quorum_rules() -> None:
    loaded = DirectoryFileSchema().load(
        {
            "organisations": [
                {
                    "key": "ward",
                    "name": "Phường",
                    "kind": "peoples_committee",
                    "level": "commune",
                    "quorum": [{"valid_from": "2026-03-03", "at_least": "2/3"}],
                },
                {"key": "other", "name": "Khác", "kind": "peoples_committee", "level": "commune"},
            ]
        }
    )
    assert loaded["organisations"][0]["quorum"] == [{"valid_from": RULE_DAY, "at_least": "2/3"}]
    assert loaded["organisations"][1]["quorum"] == []


@pytest.mark.parametrize(
    ("rules", "errors"),
    [
        (
            [{"valid_from": "2026-03-03", "at_least": "two thirds"}],
            {0: {"at_least": ["a fraction such as 2/3"]}},
        ),
        (
            [{"valid_from": "2026-03-03", "at_least": "2/3", "more_than": "1/2"}],
            {0: {"_schema": ["a quorum rule states either more_than or at_least a share"]}},
        ),
        (
            [{"valid_from": "2026-03-03", "more_than": "3/3"}],
            {0: {"_schema": ["more_than 3/3 asks for more members than there are"]}},
        ),
        ([{"at_least": "2/3"}], {0: {"valid_from": ["Missing data for required field."]}}),
        (
            [{"valid_from": "2026-03-03", "at_least": "2/3", "members": 3}],
            {0: {"members": ["Unknown field."]}},
        ),
        (
            [
                {"valid_from": "2026-03-03", "at_least": "2/3"},
                {"valid_from": "2026-03-03", "more_than": "1/2"},
            ],
            ["two quorum rules take effect on the same day"],
        ),
    ],
)
def test_the_import_file_schema_refuses_a_bad_rule(rules: list[Any], errors: Any) -> None:
    entry = {"key": "w", "name": "P", "kind": "peoples_committee", "level": "commune"}
    with pytest.raises(ValidationError) as refused:
        DirectoryFileSchema().load({"organisations": [{**entry, "quorum": rules}]})
    assert refused.value.messages == {"organisations": {0: {"quorum": errors}}}


# The meeting -------------------------------------------------------------------------------


def hold(
    app: LedgerApplication,
    scenario: Scenario,
    attendees: list[str],
    votes: dict[str, str],
    on: date = date(2026, 3, 2),
) -> int:
    """The head records a meeting held `on`, its attendees and votes given by key."""
    return app.hold_leadership_meeting(
        scenario.as_("chu-tich"),
        scenario.id,
        None,
        meeting_date=on,
        attendee_ids=[pid(k) for k in attendees],
        votes=[{"person_id": pid(k), "vote": v} for k, v in votes.items()],
        minutes_ref="BB",
    )


def refused(
    app: LedgerApplication,
    scenario: Scenario,
    error: type[Exception],
    message: str,
    attendees: list[str],
    votes: dict[str, str],
    on: date = date(2026, 3, 2),
) -> Exception:
    """Expect the meeting refused with exactly `message`, and nothing recorded."""
    before = len(app.get_history(scenario.id))
    with pytest.raises(error) as raised:
        hold(app, scenario, attendees, votes, on)
    assert str(raised.value) == message
    assert len(app.get_history(scenario.id)) == before
    return raised.value


def test_the_head_alone_with_two_eligible_deputies_is_no_quorum(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    error = refused(
        app,
        scenario,
        InvalidError,
        "no quorum: 1 of 3 eligible members present, more than half (2) needed",
        attendees=["chu-tich"],
        votes={"chu-tich": "for"},
    )
    assert getattr(error, "field", None) == "attendee_ids"


def test_one_of_two_eligible_members_is_no_quorum(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review(by="pho-1")  # the deputy proposed: the head and pho-2 are eligible
    refused(
        app,
        scenario,
        InvalidError,
        "no quorum: 1 of 2 eligible members present, more than half (2) needed",
        attendees=["chu-tich"],
        votes={"chu-tich": "for"},
    )
    scenario.meeting({"chu-tich": "for"}, present=["pho-2"])
    assert app.get_initiative(scenario.id)["last_meeting"]["passed"] is True


def test_two_of_three_present_is_a_quorum_and_the_attendance_is_recorded(
    app: LedgerApplication, scenario: Scenario
) -> None:
    scenario.to_review()
    scenario.meeting({"chu-tich": "for"}, present=["pho-2"])
    meeting = app.get_history(scenario.id)[-1]
    assert meeting["type"] == "LeadershipMeetingHeld"
    assert meeting["data"]["attendee_ids"] == [pid("chu-tich"), pid("pho-2")]
    assert meeting["data"]["eligible_voter_ids"] == sorted(
        [pid("chu-tich"), pid("pho-1"), pid("pho-2")], key=str
    )
    assert meeting["data"]["passed"] is True


@pytest.mark.parametrize(
    ("attendees", "votes", "message"),
    [
        pytest.param(
            ["chu-tich", "pho-1"],
            {"chu-tich": "for", "pho-2": "for"},
            f"{pid('pho-2')} voted but is not among the attendees",
            id="a-vote-from-a-member-who-did-not-attend",
        ),
        pytest.param(
            ["chu-tich", "chu-tich"],
            {"chu-tich": "for"},
            "an attendee is listed twice",
            id="an-attendee-listed-twice",
        ),
        pytest.param(
            ["chu-tich", "pho-1"],
            {},
            "a meeting needs at least one vote",
            id="a-meeting-without-a-vote",
        ),
    ],
)
def test_an_ill_formed_meeting_is_refused(
    app: LedgerApplication,
    scenario: Scenario,
    attendees: list[str],
    votes: dict[str, str],
    message: str,
) -> None:
    scenario.to_review()
    refused(app, scenario, InvalidError, message, attendees, votes)


@pytest.mark.parametrize(
    ("proposer", "attendee"),
    [("can-bo", "van-thu"), ("can-bo", "tp-chu-tich"), ("pho-1", "pho-1")],
    ids=["a-clerk", "the-superiors-head", "a-proposing-deputy"],
)
def test_only_eligible_members_attend(
    app: LedgerApplication, scenario: Scenario, proposer: str, attendee: str
) -> None:
    scenario.to_review(by=proposer)
    refused(
        app,
        scenario,
        InvalidError,
        f"{pid(attendee)} is among the attendees but not an eligible member"
        " (head or deputy on the meeting day, not a proposer)",
        attendees=["chu-tich", "pho-2", attendee],
        votes={"chu-tich": "for"},
    )


def test_a_member_who_votes_twice_is_refused(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.to_review()
    before = len(app.get_history(scenario.id))
    with pytest.raises(InvalidError, match=r"^a member voted twice$"):
        app.hold_leadership_meeting(
            scenario.as_("chu-tich"),
            scenario.id,
            None,
            meeting_date=date(2026, 3, 2),
            attendee_ids=[pid("chu-tich"), pid("pho-1")],
            votes=[
                {"person_id": pid("pho-1"), "vote": "for"},
                {"person_id": pid("pho-1"), "vote": "against"},
            ],
            minutes_ref="BB",
        )
    assert len(app.get_history(scenario.id)) == before


def test_a_proposer_still_cannot_vote(app: LedgerApplication, scenario: Scenario) -> None:
    scenario.to_review(by="pho-1")
    refused(
        app,
        scenario,
        ForbiddenError,
        "a proposer cannot vote on their own initiative",
        attendees=["chu-tich", "pho-1"],
        votes={"pho-1": "for"},
    )


def test_the_organisations_own_rule_applies_from_its_valid_from_only(
    app: LedgerApplication, clock: Clock
) -> None:
    # From RULE_DAY, the ward's working regulation wants more than two thirds: all three.
    app.import_directory(ward_with({"valid_from": RULE_DAY, "more_than": "2/3"}), "t")
    before, held_before = Scenario(app, clock), Scenario(app, clock)
    before.to_review()
    held_before.to_review()
    before.meeting({"chu-tich": "for", "pho-1": "for"})  # 2 March: more than half will do
    clock.now = datetime(2026, 3, 3, 3, tzinfo=UTC)
    # Recorded on RULE_DAY, a meeting held the day before is judged by the rule of its day.
    hold(app, held_before, ["chu-tich", "pho-1"], {"chu-tich": "for"}, on=date(2026, 3, 2))
    after = Scenario(app, clock)
    after.to_review()
    refused(
        app,
        after,
        InvalidError,
        "no quorum: 2 of 3 eligible members present, more than 2/3 (3) needed"
        " under the organisation's own rule in force from 03/03/2026",
        attendees=["chu-tich", "pho-1"],
        votes={"chu-tich": "for", "pho-1": "for"},
        on=RULE_DAY,
    )
    after.meeting({"chu-tich": "for", "pho-1": "for"}, present=["pho-2"])
    assert [app.get_history(s.id)[-1]["data"]["meeting_date"] for s in (held_before, after)] == [
        date(2026, 3, 2),
        RULE_DAY,
    ]
