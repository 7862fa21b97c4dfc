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

from domain.application import LedgerApplication
from domain.calendar import WorkingCalendar, vietnam
from domain.clocks import CLOCKS
from projections import due, queries, workdays
from projections.db import Database, MemoryDatabase, Tx
from projections.queries import ReadScope
from projections.worker import Worker
from tests.factories import Clock, oid
from tests.integration.worlds import a_world

WAITING = queries.WAITING
STATUSES = (*WAITING, "in_progress", "approved", "draft")


HEAD = 1000  # the random views' last log position


def _spans(rng: random.Random, first: int, ends: bool) -> list[tuple[int, int | None]]:
    """A row's versions: (from_position, to_position) from `first`, one to three of them, the
    last one current (or, now and then with `ends`, closed: the row gone; an initiative
    never goes, so a clock's initiative holds wherever the clock does)."""
    cuts = sorted(rng.sample(range(first + 1, HEAD), rng.randrange(0, 3)))
    starts = [first, *cuts]
    last: list[int | None] = [*cuts, None]
    if ends and rng.random() < 0.1:
        last[-1] = rng.randrange(starts[-1] + 1, HEAD + 1)
    return list(zip(starts, last, strict=True))


def _views(db: Database, seed: int, initiatives: int = 120) -> list[str]:
    """Random initiatives and clocks (dates from 2018 to 2034: some outside the table's
    years), three organisations; each row in one to three versions held between log
    positions (projections/history.py), so a read that does not select the versions held at
    its position counts a row more than once; their ids."""
    rng = random.Random(seed)
    orgs = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(3)]
    names = sorted(set(CLOCKS) - {"approval_decision"})  # one of a name open at a time
    with db.transaction() as tx:
        for n in range(initiatives):
            initiative = str(uuid.UUID(int=rng.getrandbits(128)))
            born = rng.randrange(1, HEAD - 10)
            for version, (start, end) in enumerate(_spans(rng, born, False), 1):
                _initiative(tx, rng, orgs, initiative, n, version, start, end)
            for seq in range(rng.randrange(0, 4)):
                started = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 365 * 16))
                due_on = started + timedelta(days=rng.randrange(1, 40))
                name = "approval_decision" if seq == 0 and rng.random() < 0.6 else None
                name = name or rng.choice(names)
                organisation = rng.choice(orgs)
                for start, end in _spans(rng, rng.randrange(born, HEAD - 5), True):
                    finished = None
                    if rng.random() < 0.5:
                        finished = (due_on + timedelta(days=rng.randrange(-10, 20))).isoformat()
                    tx.execute(
                        "INSERT INTO iv_clocks (initiative_id, seq, name, organisation_id,"
                        " started_on, due_on, finished_on, from_position, to_position)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            initiative,
                            seq,
                            name,
                            organisation,
                            started.isoformat(),
                            due_on.isoformat(),
                            finished,
                            start,
                            end,
                        ],
                    )
    return orgs


def _initiative(
    tx: Tx,
    rng: random.Random,
    orgs: list[str],
    initiative: str,
    n: int,
    version: int,
    start: int,
    end: int | None,
) -> None:
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
        " created_at, updated_at, state, from_position, to_position) VALUES"
        " (?, ?, ?, ?, '', 'ordinary', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
        [
            initiative,
            version,
            start,
            f"Sáng kiến {n}.{version}",
            rng.choice(STATUSES),
            rng.choice(orgs),
            rng.choice(orgs),
            False,
            False,
            False,
            False,
            "2026-01-01T00:00:00+00:00",
            f"2026-01-02T00:00:{version:02d}+00:00",
            json.dumps({"awaits": awaits}),
            start,
            end,
        ],
    )


DAYS = (date(2019, 2, 4), date(2025, 1, 27), date(2026, 3, 13), date(2033, 7, 1))


def _paged_deadlines(db: Database, day: date, scope: ReadScope, limit: int) -> dict[str, Any]:
    cursor, running, missed, pages = None, [], [], 0
    while True:
        page = due.deadlines(db, day, vietnam(), scope, due.Page(limit, cursor))
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


def _paged_inbox(
    db: Database, org: str, day: date, limit: int, at: int | None = None
) -> list[Any]:
    cursor, items = None, []
    while True:
        page = due.inbox(db, org, day, vietnam(), due.Page(limit, cursor), at)
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


@pytest.mark.long
@pytest.mark.parametrize("filled", [True, False])
def test_sql_deadlines_and_inbox_equal_the_python_reference(db: Database, filled: bool) -> None:
    orgs = _views(db, seed=20261213)
    if filled:
        _fill(db, vietnam())
    assert (workdays.ready(db, vietnam()) is not None) is filled
    assert _compared(db, orgs, DAYS, None, (1, 7, 500), (1, 4)) > 400


def _compared(
    db: Database,
    orgs: list[str],
    days: tuple[date, ...],
    at: int | None,
    limits: tuple[int, ...],
    inbox_limits: tuple[int, ...],
) -> int:
    """Compare due.* to queries.* as at log position `at`, whole and by pages; the number
    of deadline rows and inbox items compared."""
    compared = 0
    for day in days:
        for org in (None, *orgs):
            reference = queries.deadlines(db, day, vietnam(), ReadScope(org, at))
            assert due.deadlines(db, day, vietnam(), ReadScope(org, at)) == reference, (at, day)
            compared += len(reference["running"]) + len(reference["missed"])
            for limit in limits:
                paged = _paged_deadlines(db, day, ReadScope(org, at), limit)
                assert paged == reference, (at, limit)
        for org in orgs:
            reference_inbox = queries.inbox(db, org, day, vietnam(), at)
            assert due.inbox(db, org, day, vietnam(), None, at) == reference_inbox, (at, day)
            compared += len(reference_inbox)
            for limit in inbox_limits:
                assert _paged_inbox(db, org, day, limit, at) == reference_inbox, (at, limit)
    return compared


@pytest.mark.parametrize("filled", [True, False])
def test_as_of_random_past_positions_they_equal_the_reference(db: Database, filled: bool) -> None:
    """Each row's versions held at a position (projections/history.py), as the reference
    selects them: at random positions, the first and the last, whole and by pages."""
    orgs = _views(db, seed=20261218)
    if filled:
        _fill(db, vietnam())
    versions = db.query("SELECT COUNT(*) AS n, COUNT(to_position) AS closed FROM iv_clocks")[0]
    assert int(versions["closed"]) > 50  # a history: reads of every version would differ
    rng = random.Random(18)
    positions = sorted({0, 1, *rng.sample(range(2, HEAD), 6), HEAD})
    compared = {at: _compared(db, orgs, DAYS[1:3], at, (7,), (4,)) for at in positions}
    assert compared[0] == 0
    assert all(n > 0 for at, n in compared.items() if at > 1)
    assert due.deadlines(db, DAYS[2], vietnam(), ReadScope(at=HEAD)) == due.deadlines(
        db, DAYS[2], vietnam()
    )


def test_the_deadlines_of_several_organisations_are_those_of_the_whole_answer(
    db: Database,
) -> None:
    """A page's organisation and those under it (`ReadScope.within`: the home page, the
    inspection page) are read by the database: the whole answer's rows and counts of those
    organisations, whole and by pages, now and as of a past position."""
    orgs = _views(db, seed=20261206)
    assert len(orgs) >= 3
    compared = 0
    for day in DAYS[1:3]:
        for at in (None, HEAD // 2):
            whole = due.deadlines(db, day, vietnam(), ReadScope(at=at))
            for within in (frozenset(orgs[:2]), frozenset(orgs[-1:]), frozenset()):
                scope = ReadScope(at=at, within=within)
                expected: dict[str, Any] = {
                    state: [r for r in whole[state] if r["organisation_id"] in within]
                    for state in ("running", "missed")
                }
                expected["by_organisation"] = {
                    org: n for org, n in whole["by_organisation"].items() if org in within
                }
                assert due.deadlines(db, day, vietnam(), scope) == expected, (day, at)
                assert queries.deadlines(db, day, vietnam(), scope) == expected, (day, at)
                assert _paged_deadlines(db, day, scope, 5) == expected, (day, at)
                compared += len(expected["running"]) + len(expected["missed"])
    assert compared > 50


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
        scope = ReadScope(org)
        assert due.deadlines(db, day, own, scope) == queries.deadlines(db, day, own, scope)


def test_a_time_travel_copy_is_filled_on_first_use() -> None:
    memory = MemoryDatabase()
    from projections.worker import all_views, create_view_tables

    create_view_tables(memory, all_views())
    orgs = _views(memory, seed=11, initiatives=40)
    day = date(2026, 3, 13)
    assert due.deadlines(memory, day, vietnam()) == queries.deadlines(memory, day, vietnam())
    assert workdays.ready(memory, vietnam()) is not None
    assert due.inbox(memory, orgs[0], day, vietnam()) == queries.inbox(
        memory, orgs[0], day, vietnam()
    )


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "bm9wZQ",
        "WzEsMiwzXQ==",
        "WyJydW5uaW5nIiwgIjIwMjYtMDEtMDEiLCAieCIsIDFd",
        # a well-formed cursor whose clock number no INTEGER holds (was an OverflowError, 500)
        queries.encode_cursor(["running", "2026-01-01", str(uuid.UUID(int=1)), 2**64]),
        queries.encode_cursor(["missed", "2026-01-01", str(uuid.UUID(int=1)), -1]),
    ],
)
def test_a_cursor_not_issued_is_refused(db: Database, cursor: str) -> None:
    with pytest.raises(queries.QueryError):
        due.deadlines(db, date(2026, 1, 1), vietnam(), page=due.Page(5, cursor or "!"))
    with pytest.raises(queries.QueryError):
        due.inbox(db, str(uuid.uuid4()), date(2026, 1, 1), vietnam(), due.Page(5, cursor or "!"))


def test_as_of_every_position_of_a_recorded_history_they_equal_the_reference(
    stored_app: LedgerApplication, clock: Clock, db: Database
) -> None:
    """The views' tests' world (tests/integration/worlds.py) built by the worker in small
    batches: at every log position, the inbox of each ward and the deadlines (all, and of
    the ward) equal the reference, whole and by pages."""
    a_world(stored_app, clock)
    Worker(stored_app, db, batch_size=4).catch_up()
    _fill(db, vietnam())
    head = stored_app.recorder.max_notification_id() or 0
    day = date(2026, 6, 1)
    wards = [str(oid("ben-thanh-ubnd")), str(oid("pham-ngu-lao-ubnd"))]
    seen = 0
    for at in range(1, head + 1):
        for org in (None, *wards):
            reference = queries.deadlines(db, day, vietnam(), ReadScope(org, at))
            assert due.deadlines(db, day, vietnam(), ReadScope(org, at)) == reference, at
            assert _paged_deadlines(db, day, ReadScope(org, at), 2) == reference, at
            seen += len(reference["running"]) + len(reference["missed"])
        for org in wards:
            inbox = queries.inbox(db, org, day, vietnam(), at)
            assert due.inbox(db, org, day, vietnam(), None, at) == inbox, at
            assert _paged_inbox(db, org, day, 1, at) == inbox, at
            seen += len(inbox)
    assert seen > 0


def plan(db: Database, statement: str, params: list[Any]) -> str:
    """PostgreSQL's plan of `statement`, with sorting and reading the whole table priced out
    (on these small tables the planner would take either: the question is whether an index
    can answer)."""
    with db.transaction() as tx:
        for setting in ("enable_sort", "enable_seqscan", "enable_bitmapscan"):
            tx.execute(f"SET LOCAL {setting} = off")
        explained = tx.query(f"EXPLAIN {statement}", params)
    return " ".join(str(*row.values()) for row in explained)


def test_on_postgresql_a_page_of_deadlines_walks_an_index_and_the_counts_read_one(
    db: Database,
) -> None:
    """A page of the whole province's deadlines reads the open or late clocks in its order and
    stops (no sort of every such clock); the counts per organisation that every page carries
    are read from an index alone (migrations r0011)."""
    if db.kind != "postgresql":
        return
    _views(db, seed=20261206)
    today = DAYS[1].isoformat()
    for state in ("running", "missed"):
        for after in (None, [today, str(uuid.UUID(int=0)), 0]):
            statement = due.clocks_statement(db.kind, "k", today, ReadScope(), state, after, 101)
            found = plan(db, *statement)
            assert "Index Scan using iv_clocks_open_or_late_due on iv_clocks" in found, found
            assert "Sort" not in found, found
    counted = plan(db, *due.counts_statement(db.kind, today, ReadScope()))
    assert "Index Only Scan using iv_clocks_open_or_late on iv_clocks" in counted, counted
    # As of a past position: the current versions begun by then (from a partial index of the
    # current ones: on these small tables the planner takes the one in the organisations'
    # order, at a million events the one by position, r0019) and the replaced ones that held
    # then (from the index of their spans alone, r0019), never the table.
    past = ReadScope(at=HEAD // 2)
    counted = plan(db, *due.counts_statement(db.kind, today, past))
    found = "Index Only Scan using iv_clocks_open_or_late_replaced on iv_clocks"
    assert found in counted, counted
    assert "Seq Scan" not in counted, counted
    for state in ("running", "missed"):
        statement = due.clocks_statement(db.kind, "k", today, past, state, None, 101)
        found = plan(db, *statement)
        assert "Index Only Scan using iv_clocks_open_or_late_replaced on iv_clocks" in found
        assert "using iv_clocks_open_or_late_due on iv_clocks" in found, found
        assert "Seq Scan" not in found, found


def test_the_first_unsupervised_pilots_and_their_count_are_those_of_the_whole_list(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home page's first pilots without a recent supervision note and their count: the
    whole list's first rows and its length, for every kind of scope; on PostgreSQL both read
    the current pilots' index in the list's order (migrations r0018), no sort."""
    orgs = _views(db, seed=20261207, initiatives=400)
    day = DAYS[2]
    scopes = (
        ReadScope(),
        ReadScope(orgs[0]),
        ReadScope(within=frozenset(orgs[:2])),
        ReadScope(at=HEAD // 2),
    )
    # Pilots with an old note beside those never supervised: never first, on either database.
    with db.transaction() as tx:
        tx.execute(
            "UPDATE iv_initiatives SET last_supervision_on = '2019-01-0' || CAST(version AS TEXT)"
            " WHERE status = 'in_progress' AND to_position IS NULL AND title LIKE '%1%'"
        )
        # supervised lately: pilots, not in the list
        tx.execute(
            "UPDATE iv_initiatives SET last_supervision_on = ? WHERE title LIKE '%7.%'",
            [(day - timedelta(days=5)).isoformat()],
        )
        # approved by an organisation other than the employer: in both organisations' scopes
        tx.execute("UPDATE iv_initiatives SET authority_id = ? WHERE title LIKE '%2%'", [orgs[2]])
    everyone = queries.supervision_coverage(db, day, 30)
    never = [r for r in everyone if r["last_supervision_on"] is None]
    noted = [r for r in everyone if r["last_supervision_on"] is not None]
    assert len(never) > 5
    assert len(noted) > 5
    assert everyone == never + noted
    assert noted == sorted(noted, key=lambda r: (r["last_supervision_on"], r["id"]))
    lengths = []
    for scope in scopes:
        whole = queries.supervision_coverage(db, day, 30, scope)
        assert queries.supervision_coverage(db, day, 30, scope, 5) == whole[:5], scope
        totals = queries.supervision_totals(db, day, 30, scope)
        assert totals == {"pilots": _pilots(db, scope), "unsupervised": len(whole)}, scope
        assert totals["pilots"] > totals["unsupervised"], scope
        lengths.append(len(whole))
    assert lengths[0] > lengths[2] > lengths[1] > 5
    # the pilots approved by an organisation are in its count beside those it employs
    employed = _pilots(db, ReadScope(orgs[2]), employer_only=True)
    assert queries.supervision_totals(db, day, 30, ReadScope(orgs[2]))["pilots"] > employed
    if db.kind != "postgresql":
        return
    seen: list[tuple[str, list[Any]]] = []
    query = db.query

    def recorded(statement: str, params: Any = ()) -> list[Any]:
        seen.append((statement, list(params)))
        return query(statement, params)

    monkeypatch.setattr(db, "query", recorded)
    queries.supervision_coverage(db, day, 30, ReadScope(), 100)
    queries.supervision_totals(db, day, 30, ReadScope())
    monkeypatch.undo()
    first, total = (plan(db, *statement) for statement in seen)
    assert "Index Scan using iv_initiatives_piloted on iv_initiatives" in first, first
    assert "Sort" not in first, first
    assert "using iv_initiatives_piloted on iv_initiatives" in total, total


def _pilots(db: Database, scope: ReadScope, employer_only: bool = False) -> int:
    """The pilots (in progress or suspended) that held at the scope's position, employed or
    approved by one of its organisations (or all), counted version by version in Python."""
    ids, at = scope.organisations(), scope.at
    found = 0
    for row in db.query("SELECT * FROM iv_initiatives"):
        start, end = int(row["from_position"]), row["to_position"]
        held = end is None if at is None else start <= at and (end is None or int(end) > at)
        parties = {row["employing_organisation_id"]}
        if not employer_only:
            parties.add(row["authority_id"])
        ours = ids is None or bool(parties & set(ids))
        found += held and ours and row["status"] in ("in_progress", "suspended")
    return found


@pytest.mark.parametrize("filled", [True, False])
def test_the_clocks_at_risk_are_counted_as_the_deadlines_say(db: Database, filled: bool) -> None:
    """The home page's card: the running clocks with at most `due.AT_RISK` working days left,
    counted by the database, equal those of the whole answer, on the days when random clocks
    have exactly that many working days left, one more, and none (weekends and holidays
    between), now, as of a past position, for one organisation, several and all."""
    orgs = _views(db, seed=20261207, initiatives=400)
    if filled:
        _fill(db, vietnam())
    dues = sorted(
        {date.fromisoformat(r["due_on"]) for r in db.query("SELECT due_on FROM iv_clocks")}
    )
    calendar = vietnam()

    def left(due_on: date, days: int) -> date:
        """The last day with `days` working days left to `due_on`."""
        day = due_on
        while calendar.working_days_between(day, due_on) < days:
            day -= timedelta(days=1)
        return day

    sample = random.Random(7).sample(dues, 10)
    days = sorted({left(d, n) for d in sample for n in (0, due.AT_RISK, due.AT_RISK + 1)})
    scopes = [ReadScope(), ReadScope(orgs[0]), ReadScope(within=frozenset(orgs[1:]))]
    scopes += [ReadScope(at=HEAD // 2), ReadScope(orgs[1], HEAD // 3)]
    at_risk = beyond = 0
    for day in days:
        for scope in scopes:
            running = due.deadlines(db, day, vietnam(), scope)["running"]
            expected = sum(1 for r in running if r["working_days_left"] <= due.AT_RISK)
            assert due.at_risk_total(db, day, vietnam(), scope) == expected, (day, scope)
            at_risk += expected
            beyond += len(running) - expected
    assert at_risk > 12
    assert beyond > 12
