"""The deadlines and the inbox counted by SQL over the working-day table (projections/due.py)
equal the Python reference (projections/queries.py) on random views, on both backends, with
the table filled and not; their pages give every row exactly once, in the answer's order."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from domain.calendar import WorkingCalendar, vietnam
from domain.clocks import CLOCKS
from projections import due, queries, workdays
from projections.db import Database, MemoryDatabase

WAITING = queries.WAITING
STATUSES = (*WAITING, "in_progress", "approved", "draft")


def _views(db: Database, seed: int, initiatives: int = 120) -> list[str]:
    """Random initiatives and clocks (dates from 2018 to 2034: some outside the table's
    years), three organisations; their ids."""
    rng = random.Random(seed)
    orgs = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(3)]
    names = sorted(set(CLOCKS) - {"approval_decision"})  # one of a name open at a time
    with db.transaction() as tx:
        for n in range(initiatives):
            initiative = str(uuid.UUID(int=rng.getrandbits(128)))
            status = rng.choice(STATUSES)
            awaits = None
            if rng.random() < 0.7:
                awaits = {
                    "command": "approve",
                    "actors": ["head"],
                    "organisation_id": rng.choice(orgs),
                    "person_ids": [],
                }
            tx.execute(
                "INSERT INTO iv_initiatives (id, version, position, title, search, regime,"
                " status, employing_organisation_id, addressee_id, protection_mismatch,"
                " protection_requested, head_override, outside_approval, supervision_notes,"
                " created_at, updated_at, state) VALUES"
                " (?, 1, ?, ?, '', 'ordinary', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                [
                    initiative,
                    n,
                    f"Sáng kiến {n}",
                    status,
                    rng.choice(orgs),
                    rng.choice(orgs),
                    False,
                    False,
                    False,
                    False,
                    "2026-01-01T00:00:00+00:00",
                    "2026-01-02T00:00:00+00:00",
                    json.dumps({"awaits": awaits}),
                ],
            )
            for seq in range(rng.randrange(0, 4)):
                started = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 365 * 16))
                due_on = started + timedelta(days=rng.randrange(1, 40))
                name = "approval_decision" if seq == 0 and rng.random() < 0.6 else None
                finished = None
                if rng.random() < 0.5:
                    finished = (due_on + timedelta(days=rng.randrange(-10, 20))).isoformat()
                tx.execute(
                    "INSERT INTO iv_clocks (initiative_id, seq, name, organisation_id,"
                    " started_on, due_on, finished_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        initiative,
                        seq,
                        name or rng.choice(names),
                        rng.choice(orgs),
                        started.isoformat(),
                        due_on.isoformat(),
                        finished,
                    ],
                )
    return orgs


DAYS = (date(2019, 2, 4), date(2025, 1, 27), date(2026, 3, 13), date(2033, 7, 1))


def _paged_deadlines(db: Database, day: date, org: str | None, limit: int) -> dict[str, Any]:
    cursor, running, missed, pages = None, [], [], 0
    while True:
        page = due.deadlines(db, day, vietnam(), org, due.Page(limit, cursor))
        running += page["running"]
        missed += page["missed"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            total = page["total"]
            assert total == {"running": len(running), "missed": len(missed)}
            counts = page["by_organisation"]
            return {"running": running, "missed": missed, "by_organisation": counts}
        assert len(page["running"]) + len(page["missed"]) == limit
        assert pages < 1000


def _paged_inbox(db: Database, org: str, day: date, limit: int) -> list[Any]:
    cursor, items = None, []
    while True:
        page = due.inbox(db, org, day, vietnam(), due.Page(limit, cursor))
        items += page["items"]
        assert page["total"] >= len(items)
        cursor = page["next_cursor"]
        if cursor is None:
            assert page["total"] == len(items)
            return items


def _fill(db: Database, calendar: WorkingCalendar) -> None:
    with db.transaction() as tx:
        workdays.fill(tx, calendar)
    workdays.forget(db)


@pytest.mark.parametrize("filled", [True, False])
def test_sql_deadlines_and_inbox_equal_the_python_reference(db: Database, filled: bool) -> None:
    orgs = _views(db, seed=20261213)
    if filled:
        _fill(db, vietnam())
    assert (workdays.ready(db, vietnam()) is not None) is filled
    compared = 0
    for day in DAYS:
        for org in (None, *orgs):
            reference = queries.deadlines(db, day, vietnam(), org)
            assert due.deadlines(db, day, vietnam(), org) == reference
            compared += len(reference["running"]) + len(reference["missed"])
            for limit in (1, 7, 500):
                assert _paged_deadlines(db, day, org, limit) == reference
        for org in orgs:
            reference_inbox = queries.inbox(db, org, day, vietnam())
            assert due.inbox(db, org, day, vietnam()) == reference_inbox
            for limit in (1, 4):
                assert _paged_inbox(db, org, day, limit) == reference_inbox
    assert compared > 400


def test_the_table_counts_as_the_calendar_does(db: Database) -> None:
    """Every pair of days in the filled years: ordinal difference = working_days_between."""
    calendar = vietnam()
    _fill(db, calendar)
    span = workdays.ready(db, calendar)
    assert span is not None
    assert span.first == date(min(calendar.years) - 5, 1, 1)
    ordinals = {
        date.fromisoformat(r["day"]): int(r["ordinal"])
        for r in db.query("SELECT day, ordinal FROM cal_days WHERE calendar = ?", [span.key])
    }
    assert len(ordinals) == (span.last - span.first).days + 1
    rng = random.Random(7)
    days = sorted(ordinals)
    for _ in range(2000):
        a, b = rng.choice(days), rng.choice(days)
        assert ordinals[b] - ordinals[a] == calendar.working_days_between(a, b)


def test_a_calendar_of_its_own_gets_rows_of_its_own(db: Database) -> None:
    """A test's calendar (a holiday on 2 March 2026) is not the shipped one: its own rows."""
    own = WorkingCalendar(holidays={date(2026, 3, 2): "nghỉ"})
    _fill(db, vietnam())
    _fill(db, own)
    assert workdays.span_of(own).key != workdays.span_of(vietnam()).key
    orgs = _views(db, seed=5)
    for org in (None, *orgs):
        day = date(2026, 2, 27)
        assert due.deadlines(db, day, own, org) == queries.deadlines(db, day, own, org)


def test_a_time_travel_copy_is_filled_on_first_use() -> None:
    memory = MemoryDatabase()
    from projections.worker import all_views, create_view_tables

    create_view_tables(memory, all_views())
    orgs = _views(memory, seed=11, initiatives=40)
    day = date(2026, 3, 13)
    assert due.deadlines(memory, day, vietnam(), None) == queries.deadlines(
        memory, day, vietnam(), None
    )
    assert workdays.ready(memory, vietnam()) is not None
    assert due.inbox(memory, orgs[0], day, vietnam()) == queries.inbox(
        memory, orgs[0], day, vietnam()
    )


@pytest.mark.parametrize(
    "cursor",
    ["", "bm9wZQ", "WzEsMiwzXQ==", "WyJydW5uaW5nIiwgIjIwMjYtMDEtMDEiLCAieCIsIDFd"],
)
def test_a_cursor_not_issued_is_refused(db: Database, cursor: str) -> None:
    with pytest.raises(queries.QueryError):
        due.deadlines(db, date(2026, 1, 1), vietnam(), None, due.Page(5, cursor or "!"))
    with pytest.raises(queries.QueryError):
        due.inbox(db, str(uuid.uuid4()), date(2026, 1, 1), vietnam(), due.Page(5, cursor or "!"))
