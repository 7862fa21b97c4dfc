"""Every view on SQLite and PostgreSQL, built by the worker from real events."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.calendar import vietnam
from domain.values import VIETNAM_TZ
from projections import queries, roll_ups
from projections.cadre_view import FACTS
from projections.db import Database
from projections.storage import Storage
from projections.worker import (
    BATCH,
    SQLITE_BATCH,
    Worker,
    all_views,
    analyze,
    positions,
    rebuildable,
    reset_views,
)
from tests.factories import (
    Clock,
    Life,
    determination,
    oid,
    pid,
)
from tests.integration.worlds import a_world

CAL = vietnam()

# Every table of the views that can be rebuilt (the ledger is append-only, never rebuilt).
TABLES = tuple(t for view in rebuildable(all_views()) for t in view.tables)


@pytest.fixture
def world(stored_app: LedgerApplication, clock: Clock) -> dict[str, Any]:
    """A handful of initiatives in different states, with a merged ward."""
    return a_world(stored_app, clock)


def built(app: LedgerApplication, db: Database, batch_size: int = 1000) -> Worker:
    worker = Worker(app, db, batch_size=batch_size)
    worker.catch_up()
    return worker


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    tables = {}
    for table in TABLES:
        rows = db.query(f"SELECT * FROM {table}")
        tables[table] = sorted(tuple(str(v) for v in r.values()) for r in rows)
    return tables


def test_incremental_and_rebuilt_views_are_identical(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db, batch_size=7)
    incremental = dump(db)
    # The plan, recorded then revised, in two versions (the first closed by the second).
    plans = db.query("SELECT version, from_position, to_position FROM iv_unit_plans")
    first, second = sorted(plans, key=lambda r: r["version"])
    assert (first["version"], second["version"]) == (1, 2)
    assert first["to_position"] == second["from_position"] > first["from_position"]
    assert second["to_position"] is None
    assert len(incremental["iv_unit_reviews"]) == 1
    assert len(incremental["iv_audit"]) == stored_app.recorder.max_notification_id()
    reset_views(db, rebuildable(all_views()))
    assert dump(db)["iv_initiatives"] == []
    built(stored_app, db, batch_size=5000)
    assert dump(db) == incremental


def test_a_batch_holds_more_events_on_postgresql_than_on_sqlite(
    stored_app: LedgerApplication, db: Database
) -> None:
    """SQLite's writer holds the whole database's lock for a batch: commands would wait behind
    a long one (projections/worker.py BATCH, SQLITE_BATCH); a batch size given is kept."""
    expected = BATCH if db.kind == "postgresql" else SQLITE_BATCH
    assert (BATCH, SQLITE_BATCH) == (5_000, 1_000)
    assert Worker(stored_app, db).batch_size == expected
    assert Worker(stored_app, db, batch_size=7).batch_size == 7


def test_after_a_rebuild_the_views_tables_are_vacuumed_and_analysed(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    """`analyze` after a rebuild: statistics for the planner, and on PostgreSQL a vacuum (it
    marks the pages all-visible, for the reads that an index alone answers)."""
    views = rebuildable(all_views())
    built(stored_app, db)
    analyze(db, views)
    tables = sorted({t for view in views for t in view.tables})
    if db.kind != "postgresql":
        assert db.query("SELECT COUNT(*) AS n FROM sqlite_stat1")[0]["n"] > 0
        return
    rows = db.query(
        "SELECT relname, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS"
        " analysed FROM pg_stat_user_tables WHERE schemaname = current_schema()"
    )
    done = {r["relname"]: (r["vacuumed"], r["analysed"]) for r in rows}
    assert {t: done.get(t) for t in tables} == {t: (True, True) for t in tables}
    # (which pages a vacuum marks all-visible depends on the other sessions' snapshots: the
    # suite's other workers; not asserted)


def test_initiative_list_filters_sorts_and_pages(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db)
    everything = queries.list_initiatives(db, {}, "-updated_at", 50, None)["items"]
    assert {i["id"] for i in everything} == {str(v) for v in world.values()}
    first = queries.list_initiatives(db, {}, "created_at", 2, None)
    second = queries.list_initiatives(db, {}, "created_at", 2, first["next_cursor"])
    assert [i["id"] for i in first["items"] + second["items"]] == [
        i["id"] for i in sorted(everything, key=lambda r: (r["created_at"], r["id"]))
    ]
    assert second["next_cursor"] is None
    running = queries.list_initiatives(db, {"status": "in_progress"}, "title", 10, None)
    assert [i["id"] for i in running["items"]] == [str(world["pilot"])]
    mine = queries.list_initiatives(db, {"person_id": pid("can-bo")}, "title", 10, None)
    assert len(mine["items"]) == 3
    found = queries.list_initiatives(db, {"q": "mot cua DIEN TU"}, "title", 10, None)
    assert len(found["items"]) == 3
    communes = queries.list_initiatives(db, {"level": "commune"}, "title", 10, None)
    assert len(communes["items"]) == 3
    assert queries.list_initiatives(db, {"level": "province"}, "title", 10, None)["items"] == []


def test_inbox_and_deadlines_count_working_days(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db)
    inbox = queries.inbox(db, str(oid("ben-thanh-ubnd")), date(2026, 3, 4), stored_app.calendar)
    assert [(r["id"], r["due_on"], r["working_days_left"]) for r in inbox] == [
        (str(world["waiting"]), "2026-03-11", 5)
    ]
    report = queries.deadlines(db, date(2026, 3, 13), stored_app.calendar)
    missed = [
        (r["initiative_id"], r["name"], r["overdue_by_working_days"]) for r in report["missed"]
    ]
    assert missed == [(str(world["waiting"]), "approval_decision", 2)]
    assert report["by_organisation"][str(oid("ben-thanh-ubnd"))]["missed"] == 1


def test_the_inbox_and_a_persons_clocks_say_what_each_waits_for_and_who_must_act(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db)
    (row,) = queries.inbox(db, str(oid("ben-thanh-ubnd")), date(2026, 3, 4), stored_app.calendar)
    assert (
        row["id"],
        row["waiting_for"],
        row["next_actor"],
        row["next_actor_organisation_id"],
        row["next_actor_person_ids"],
    ) == (
        str(world["waiting"]),
        "give_party_opinion",
        ["party_committee", "head", "deputy"],
        str(oid("ben-thanh-dang-uy")),  # the ward's party committee, from the directory
        [],
    )
    clocks = queries.running_clocks_of(
        db, str(pid("can-bo")), date(2026, 5, 4), stored_app.calendar
    )
    ward = str(oid("ben-thanh-ubnd"))
    assert [
        (
            r["initiative_id"],
            r["name"],
            r["due_on"],
            r["working_days_left"],
            r["waiting_for"],
            r["next_actor"],
            r["next_actor_organisation_id"],
        )
        for r in clocks
    ] == [
        (
            str(world["waiting"]),
            "approval_decision",
            "2026-03-11",
            -35,
            "give_party_opinion",
            ["party_committee", "head", "deputy"],
            str(oid("ben-thanh-dang-uy")),
        ),
        # the open obstacle's (raised on Wednesday 01/04); the resolved one's has stopped
        (
            str(world["pilot"]),
            "obstacle_resolution",
            "2026-04-15",
            -10,
            "resolve_obstacle",
            ["head"],
            ward,
        ),
        (str(world["done"]), "archiving", "2027-12-01", 398, "archive", ["clerk"], ward),
    ]
    assert queries.running_clocks_of(db, str(pid("tp-pho")), date(2026, 5, 4), CAL) == []


def test_supervision_coverage_lists_unsupervised_pilots(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any], clock: Clock
) -> None:
    built(stored_app, db)
    rows = queries.supervision_coverage(db, date(2026, 5, 4), 30)
    assert [r["id"] for r in rows] == [str(world["pilot"])]
    stored_app.record_supervision_note(
        Life(stored_app, clock).as_("kiem-tra"),
        world["pilot"],
        None,
        kind="monitoring",
        findings="Ổn",
        recommendations="",
        part_of_work="",
        outside_approved_scope=False,
    )
    built(stored_app, db)
    assert queries.supervision_coverage(db, date(2026, 5, 4), 30) == []


def test_outcomes_roll_up_through_superiors_and_follow_a_merger_from_the_handover(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any], clock: Clock
) -> None:
    """A merger alone moves no count (the old unit's initiatives count under it until they
    are handed over); what ended stays the old unit's; a handover moves what it hands over."""
    merged = Life(stored_app, clock)
    merged.draft(org_key="pham-ngu-lao-ubnd")
    ended = Life(stored_app, clock)
    ended.draft(org_key="pham-ngu-lao-ubnd")
    ended.cmd("withdraw", "can-bo", reason="Không còn cần")
    built(stored_app, db)
    by_key = {r["key"]: r for r in roll_ups.outcomes(db)}
    assert by_key["ben-thanh-ubnd"]["own"]["total"] == 3
    assert by_key["ben-thanh-ubnd"]["own"]["by_status"] == {
        "evaluated": 1,
        "under_review": 1,
        "in_progress": 1,
    }
    assert by_key["ben-thanh-ubnd"]["own"]["by_outcome"] == {"completed": 1}
    assert by_key["pham-ngu-lao-ubnd"]["own"]["by_status"] == {"draft": 1, "withdrawn": 1}
    assert by_key["hcm-ubnd"]["rolled_up"]["total"] == 5
    assert by_key["hcm-ubnd"]["own"]["total"] == 0
    merged.cmd("hand_over", "chu-tich", from_organisation_id=oid("pham-ngu-lao-ubnd"))
    built(stored_app, db)
    by_key = {r["key"]: r for r in roll_ups.outcomes(db)}
    assert by_key["ben-thanh-ubnd"]["own"]["by_status"] == {
        "evaluated": 1,
        "under_review": 1,
        "in_progress": 1,
        "draft": 1,
    }
    assert by_key["pham-ngu-lao-ubnd"]["own"]["by_status"] == {"withdrawn": 1}
    assert by_key["hcm-ubnd"]["rolled_up"]["total"] == 5
    assert roll_ups.under(db, str(oid("ben-thanh-ubnd"))) == {str(oid("ben-thanh-ubnd"))}


def test_cadre_records_per_year_and_quarter(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db)
    year = queries.cadre_records(db, "year", str(pid("can-bo")))
    assert year == [
        {
            "person_id": str(pid("can-bo")),
            "full_name": "Phạm Đức Dũng",
            "period": "2026",
            "proposed": 3,
            "approved": 2,
            "completed": 1,
            "commended": 1,
            "protected": 0,
        }
    ]
    quarters = {r["period"]: r for r in queries.cadre_records(db, "quarter", str(pid("can-bo")))}
    assert quarters["2026-Q4"]["completed"] == 1
    assert quarters["2026-Q1"]["proposed"] == 3


def test_protection_view_shows_recommended_and_determined(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any], clock: Clock
) -> None:
    life = Life(stored_app, clock)
    life.id = world["done"]
    life.cmd("determine_protection", "chu-tich", **determination("liability_excluded"))
    built(stored_app, db)
    rows = queries.protection(db, mismatches_only=True)
    assert [(r["id"], r["recommended_measure"], r["determined_measure"]) for r in rows] == [
        (str(world["done"]), "no_liability", "liability_excluded")
    ]


def test_audit_feed_filters_and_pages_newest_first(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db)
    head = stored_app.recorder.max_notification_id()
    page = queries.audit(db, {}, 3, None)
    assert [r["position"] for r in page["items"]] == [head, head - 1, head - 2]
    following = queries.audit(db, {}, 3, page["next_before"])
    assert following["items"][0]["position"] == head - 3
    approvals = queries.audit(db, {"event_type": "Approved"}, 10, None)["items"]
    assert len(approvals) == 2
    assert {r["actor_name"] for r in approvals} == {"Nguyễn Thị Hồng"}
    by_clerk = queries.audit(db, {"person_id": pid("van-thu")}, 10, None)["items"]
    assert {r["event_type"] for r in by_clerk} == {"Received"}
    ward = queries.audit(db, {"aggregate_id": world["pilot"]}, 50, None)["items"]
    assert [r["version"] for r in ward] == list(range(len(ward), 0, -1))
    # A moment is a moment whatever its offset (the view records UTC; Vietnam is UTC+7).
    every = queries.audit(db, {}, 1000, None)["items"]
    newest = max(every, key=lambda r: (r["recorded_at"], r["position"]))
    last = datetime.fromisoformat(newest["recorded_at"]).astimezone(VIETNAM_TZ)
    since = queries.audit(db, {"since": last}, 1000, None)["items"]
    assert newest["position"] in [r["position"] for r in since]
    assert {r["recorded_at"] for r in since} == {newest["recorded_at"]}
    later = queries.audit(db, {"since": last + timedelta(seconds=1)}, 1000, None)["items"]
    assert later == []
    until = queries.audit(db, {"until": last + timedelta(seconds=1)}, 1000, None)["items"]
    assert len(until) == len(every)


def test_directory_view_lists_what_was_imported(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    built(stored_app, db)
    keys = [o["key"] for o in queries.directory_organisations(db)]
    assert keys == sorted(keys)
    assert "pham-ngu-lao-ubnd" in keys
    assert len(queries.directory_people(db)) == 12


def test_a_view_added_later_catches_up_from_zero_beside_the_others(
    stored_app: LedgerApplication, db: Database, world: dict[str, Any]
) -> None:
    views = all_views()
    Worker(stored_app, db, views[:3]).catch_up()
    head = stored_app.recorder.max_notification_id()
    assert positions(db, views) == {
        "directory": head,
        "initiatives": head,
        "cadre_records": head,
        "audit": 0,
        "unit_plans": 0,
        "documents": 0,
        "ledger": 0,
    }
    Worker(stored_app, db, views, batch_size=3).catch_up()
    assert positions(db, views) == dict.fromkeys(positions(db, views), head)
    assert len(queries.audit(db, {}, 500, None)["items"]) == head


def test_two_workers_racing_apply_every_event_exactly_once(
    stored_app: LedgerApplication, storage: Storage, db: Database, world: dict[str, Any]
) -> None:
    import threading

    built(stored_app, db, batch_size=5000)
    alone = dump(db)
    reset_views(db, rebuildable(all_views()))
    others = [Database(storage) for _ in range(2)]
    try:
        racers = [Worker(stored_app, other, batch_size=3) for other in others]

        def race(worker: Worker) -> None:
            try:
                worker.catch_up()
            finally:
                worker.db.close()  # this thread's connection

        threads = [threading.Thread(target=race, args=(w,)) for w in racers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for other in others:
            other.close()
    assert dump(db) == alone
    assert set(positions(db, all_views()).values()) == {stored_app.recorder.max_notification_id()}


def test_cadre_records_counted_by_the_database_equal_each_fact_counted_in_turn(
    db: Database,
) -> None:
    """Random facts of many people over years and quarters: per year and per quarter, for
    everyone and for one person, now and as of a position, the database's counts equal the
    facts counted one by one (the names as of the position: a person renamed)."""
    rng = random.Random(20261206)
    people = [f"person-{n:02d}" for n in range(12)]
    facts = []
    for position in range(1, 600):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        facts.append((position, rng.choice(people), "ini", rng.choice(FACTS), day.isoformat()))
    with db.transaction() as tx:
        tx.append(
            "iv_cadre_facts", ("position", "person_id", "initiative_id", "fact", "on_date"), facts
        )
        for person in people:  # each named from the start; the first renamed at 300
            tx.execute(
                "INSERT INTO dir_people (id, key, full_name, party_member, details,"
                " from_position, to_position) VALUES (?, ?, ?, TRUE, '{}', 0, ?)",
                (person, person, f"Tên {person}", 300 if person == people[0] else None),
            )
        tx.execute(
            "INSERT INTO dir_people (id, key, full_name, party_member, details, from_position)"
            " VALUES (?, ?, 'Tên mới', TRUE, '{}', 300)",
            (people[0], people[0]),
        )

    def counted(period: str, person: str | None, at: int | None) -> list[dict[str, Any]]:
        table: dict[tuple[str, str], dict[str, Any]] = {}
        for position, who, _, fact, on_date in sorted(facts, key=lambda f: (f[1], f[4])):
            if (person and who != person) or (at is not None and position > at):
                continue
            day = date.fromisoformat(on_date)
            label = str(day.year) if period == "year" else f"{day.year}-Q{(day.month + 2) // 3}"
            name = "Tên mới" if who == people[0] and (at is None or at >= 300) else f"Tên {who}"
            entry = table.setdefault(
                (who, label),
                {"person_id": who, "full_name": name, "period": label, **dict.fromkeys(FACTS, 0)},
            )
            entry[fact] += 1
        return list(table.values())

    for period in ("year", "quarter"):
        for person in (None, people[0], people[5]):
            for at in (None, 299, 300, 450):
                expected = counted(period, person, at)
                assert queries.cadre_records(db, period, person, at) == expected, (period, at)
    assert len(counted("quarter", None, None)) > 100
