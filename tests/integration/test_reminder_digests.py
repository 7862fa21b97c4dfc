"""Who must act on what (projections/reminders.py), from the views, on both backends; the
people's choices; the record of sendings that keeps a digest from going twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

from domain.application import LedgerApplication
from domain.calendar import vietnam
from projections.db import Database
from projections.reminders import (
    CLOCK,
    INBOX,
    MAX_ATTEMPTS,
    SUPERVISION,
    Item,
    Sending,
    claim,
    digests,
    mark_failed,
    mark_sent,
    prefer,
    preferences,
    sendings,
)
from projections.worker import Worker
from tests.factories import Clock, Life, Scenario, pid, ward_directory

DAY = date(2026, 5, 15)  # a Friday
WARD = "Ủy ban nhân dân phường Bến Thành"
TITLE = "Một cửa điện tử"


def build(app: LedgerApplication, clock: Clock, db: Database) -> dict[str, UUID]:
    """On DAY: a pilot never supervised (since 1 April), a pilot completed on 11 May (its
    result report due on 18 May), a proposal submitted on 13 May (its receipt due today); the
    clerk's position ended on 30 April."""
    unsupervised = Life(app, clock)
    unsupervised.to_approval()
    unsupervised.start()
    completed = Life(app, clock)
    completed.to_approval()
    completed.start()
    completed.complete(date(2026, 5, 11))
    directory = ward_directory()
    clerk = next(p for p in directory["positions"] if p["person"] == "van-thu")
    clerk["valid_to"] = date(2026, 4, 30)
    app.import_directory(directory, "test: the clerk leaves")
    clock.on(date(2026, 5, 13))
    submitted = Scenario(app, clock)
    submitted.draft()
    submitted.submit()
    Worker(app, db).catch_up()
    ids = {"unsupervised": unsupervised.id, "completed": completed.id, "submitted": submitted.id}
    return {name: value for name, value in ids.items() if value is not None}


def test_each_person_gets_what_they_must_act_on(
    stored_app: LedgerApplication, clock: Clock, db: Database
) -> None:
    ids = {name: str(value) for name, value in build(stored_app, clock, db).items()}
    receipt = Item(
        CLOCK,
        ids["submitted"],
        TITLE,
        WARD,
        what="receipt",
        due_on="2026-05-15",
        working_days_left=0,
    )
    report = Item(
        CLOCK,
        ids["completed"],
        TITLE,
        WARD,
        what="result_report",
        due_on="2026-05-18",
        working_days_left=1,
    )
    waiting = Item(INBOX, ids["submitted"], TITLE, WARD, what="submitted")
    pilot = Item(SUPERVISION, ids["unsupervised"], TITLE, WARD, what="in_progress")
    leadership = (receipt, report, waiting, pilot)
    found = {d.recipient.key: d.items for d in digests(db, DAY, vietnam())}
    assert found == {
        "can-bo": (report,),  # the proposer and assignee writes the result report
        "chu-tich": leadership,
        "pho-1": leadership,
        "pho-2": leadership,
    }


def test_a_clock_overdue_says_by_how_many_working_days(
    stored_app: LedgerApplication, clock: Clock, db: Database
) -> None:
    scenario = Scenario(stored_app, clock)
    scenario.draft()
    scenario.submit()  # on Monday 2 March: the receipt is due on Wednesday 4 March
    Worker(stored_app, db).catch_up()
    (digest, *_) = digests(db, date(2026, 3, 9), vietnam())
    overdue = digest.section(CLOCK)
    assert [(i.what, i.due_on, i.overdue_by, i.working_days_left) for i in overdue] == [
        ("receipt", "2026-03-04", 3, None)  # Thursday, Friday, Monday
    ]
    assert digests(db, date(2026, 3, 1), vietnam())[0].section(CLOCK) == []  # 3 days ahead


def test_choices_and_addresses_come_with_the_digest(
    stored_app: LedgerApplication, clock: Clock, db: Database
) -> None:
    directory = ward_directory()
    directory["people"][0]["email"] = "hong.nt@ben-thanh.gov.vn"  # chu-tich
    stored_app.import_directory(directory, "test")
    Scenario(stored_app, clock).to_review()
    Worker(stored_app, db).catch_up()
    now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert prefer(db, str(pid("pho-1")), now, opted_out=True) == ("vi", True)
    assert prefer(db, str(pid("pho-1")), now, language="en") == ("en", True)  # still out
    assert prefer(db, str(pid("pho-2")), now, language="en") == ("en", False)
    assert preferences(db) == {str(pid("pho-1")): ("en", True), str(pid("pho-2")): ("en", False)}
    people = {d.recipient.key: d.recipient for d in digests(db, date(2026, 3, 2), vietnam())}
    assert [(k, p.email, p.language, p.opted_out) for k, p in people.items()] == [
        ("chu-tich", "hong.nt@ben-thanh.gov.vn", "vi", False),
        ("pho-1", None, "en", True),
        ("pho-2", None, "en", False),
        ("van-thu", None, "vi", False),
    ]


def test_a_digest_is_taken_once_refused_ones_again_up_to_the_limit(db: Database) -> None:
    now = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    sending = Sending(date(2026, 3, 2), str(pid("chu-tich")), "a@b.vn", "vi", 2, "<m@b.vn>")
    assert claim(db, sending, now) is None
    assert claim(db, sending, now) == "sending"  # in flight, or its sender stopped
    mark_failed(db, sending.day, sending.person_id, "550 no such mailbox")
    for _ in range(MAX_ATTEMPTS - 1):
        assert claim(db, sending, now) is None
        mark_failed(db, sending.day, sending.person_id, "550 no such mailbox")
    assert claim(db, sending, now) == "failed"  # given up for the day
    (row,) = sendings(db, sending.day)
    assert (row["status"], row["attempts"], row["error"]) == (
        "failed",
        MAX_ATTEMPTS,
        "550 no such mailbox",
    )

    other = replace(sending, day=date(2026, 3, 3))
    assert claim(db, other, now) is None
    assert claim(db, other, now, unconfirmed=True) is None  # the operator's retry
    mark_sent(db, other.day, other.person_id, now)
    assert claim(db, other, now, unconfirmed=True) == "sent"
    (row,) = sendings(db, other.day)
    assert (row["status"], row["attempts"], row["sent_at"], row["error"]) == (
        "sent",
        2,
        now.isoformat(),
        None,
    )
