"""The views' history (projections/history.py) on SQLite and PostgreSQL: every list and
dashboard answered by SQL as of a log position equals the answer of the replay up to it
(projections/asof.py, the oracle) — at positions drawn at random and at every boundary of
the scripted history — and the history rows do not depend on how the log was batched."""

from __future__ import annotations

import itertools
import random
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from domain.application import LedgerApplication
from domain.calendar import vietnam
from domain.period import Period
from migrations.versions import r0010_updated_bound as r0010
from migrations.versions import r0012_ward_history_gist as r0012
from migrations.versions import r0013_count_marks as r0013
from projections import count_marks, due, plan_queries, queries, roll_ups
from projections.asof import AsOfViews
from projections.db import Database
from projections.history import held, history_since, org_is
from projections.queries import ReadScope
from projections.storage import Storage
from projections.worker import Worker, all_views, rebuildable, reset_views
from tests.factories import (
    Clock,
    Life,
    determination,
    oid,
    person,
    pid,
    position,
    stored_application,
    ward_committee,
    ward_directory,
)
from tests.integration.test_migrations import altering
from tests.integration.worlds import a_world

CAL = vietnam()
TODAY = date(2026, 6, 1)
WARD = str(oid("ben-thanh-ubnd"))
OLD_WARD = str(oid("pham-ngu-lao-ubnd"))
HISTORY_TABLES = ("dir_organisations", "iv_initiatives", "iv_people", "iv_clocks", "iv_counts")
# The tables whose past is found by the span (the counts' by their marks: migrations r0014).
SPANNED = HISTORY_TABLES[:-1]
# Every table that keeps versions (the people's and the plans' are small: no span index).
VERSIONED = (*HISTORY_TABLES, "dir_people", "iv_unit_plans")


@pytest.fixture
def history(stored_app: LedgerApplication, clock: Clock) -> LedgerApplication:
    """The views' tests' world, then a protection determined, two drafts of the merged ward
    (one withdrawn, one handed over), the ward and the proposer renamed, the plan revised
    again, and one more proposal."""
    app = stored_app
    world = a_world(app, clock)
    done = Life(app, clock)
    done.id = world["done"]
    done.cmd("determine_protection", "chu-tich", **determination("liability_excluded"))
    merged = Life(app, clock)
    merged.draft(org_key="pham-ngu-lao-ubnd")
    ended = Life(app, clock)
    ended.draft(org_key="pham-ngu-lao-ubnd")
    ended.cmd("withdraw", "can-bo", reason="Không còn cần")
    renamed = ward_committee(
        "pham-ngu-lao-ubnd",
        "UBND phường Phạm Ngũ Lão",
        succession=[
            {"relation": "merged_into", "organisation": "ben-thanh-ubnd", "date": date(2025, 7, 1)}
        ],
    )
    app.import_directory(
        {
            "organisations": [renamed],
            "positions": [position("can-bo", "pham-ngu-lao-ubnd", "staff")],
        },
        "test",
    )
    app.import_directory({"people": [person("can-bo", "Trần Thị Cán Bộ")]}, "test")
    clock.now = clock.now.replace(year=2026, month=5, day=6)
    merged.cmd("hand_over", "chu-tich", from_organisation_id=oid("pham-ngu-lao-ubnd"))
    app.revise_plan(
        done.as_("pho-1"),
        oid("ben-thanh-ubnd"),
        "2026",
        targets=[{"indicator": "proposed", "target": 6}],
        responsible_person_ids=[pid("pho-1")],
        summary="Kế hoạch năm, nâng chỉ tiêu",
        reason="Thêm sáng kiến",
    )
    Life(app, clock).to_review()
    return app


def answers(db: Database, at: int | None) -> dict[str, Any]:
    """Every converted list and dashboard, as of `at` (None: as `db` stands)."""
    found: dict[str, Any] = {
        "organisations": queries.directory_organisations(db, at),
        "deadlines": queries.deadlines(db, TODAY, CAL, ReadScope(None, at)),
        "deadlines of the ward": queries.deadlines(db, TODAY, CAL, ReadScope(WARD, at)),
        "supervision": queries.supervision_coverage(db, TODAY, 30, ReadScope(None, at)),
        "supervision of the ward": queries.supervision_coverage(
            db, TODAY, 30, ReadScope(WARD, at)
        ),
        "protection": queries.protection(db, False, None, at),
        "mismatches": queries.protection(db, True, {"organisations": [WARD]}, at),
        "outcomes": roll_ups.outcomes(db, at),
        "funnel": roll_ups.funnel(db, None, at),
        "funnel of the ward": roll_ups.funnel(db, WARD, at),
        "audit": queries.audit(db, {}, 500, None, at),
        "audit of the ward": queries.audit(db, {"organisation_id": WARD}, 5, None, at),
        "people": queries.directory_people(db, at),
        "cadre records": queries.cadre_records(db, "year", None, at),
        "cadre records of the proposer": queries.cadre_records(
            db, "quarter", str(pid("can-bo")), at
        ),
        "plans": plan_queries.plans(db, WARD, None, at),
        "reviews": plan_queries.reviews(db, WARD, "2026", at),
        "plan against results": plan_queries.plan_against_results(
            db, WARD, Period.parse("2026"), TODAY, at
        ),
        "plan of the city against results": plan_queries.plan_against_results(
            db, str(oid("hcm-ubnd")), Period.parse("2026"), TODAY, at
        ),
    }
    for org in (WARD, OLD_WARD):
        found[f"inbox of {org}"] = queries.inbox(db, org, TODAY, CAL, at)
    lists = {
        "all": {},
        "proposer": {"person_id": pid("can-bo")},
        "ward": {"employing_organisation_id": WARD},
        "old ward": {"employing_organisation_id": OLD_WARD},
        "under review": {"status": "under_review"},
        "ward level": {"level": "ward"},
        "visible": {"visible_to": ([OLD_WARD], str(pid("can-bo")))},
        "search": {"q": "sang kien"},
    }
    for name, filters in lists.items():
        for sort in ("-updated_at", "title"):
            found[f"list {name} {sort}"] = queries.list_initiatives(db, filters, sort, 3, None, at)
    return found


def built(app: LedgerApplication, db: Database, batch_size: int) -> None:
    Worker(app, db, batch_size=batch_size).catch_up()


def marks(db: Database) -> list[tuple[Any, ...]]:
    """The counts' marks the table holds, in order."""
    rows = db.query(
        "SELECT mark, organisation_id, status, outcome, child, n FROM iv_counts_marks"
        " ORDER BY mark, organisation_id, status, outcome, child"
    )
    return [tuple(r.values()) for r in rows]


def test_sql_as_of_answers_equal_the_replay_at_random_positions(
    history: LedgerApplication, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """... with the counts marked every 3 positions (the outcomes and the funnel as of a
    position read the last mark and the versions since; before the first mark, the versions
    alone)."""
    monkeypatch.setattr(count_marks, "MARK_EVERY", 3)
    built(history, db, batch_size=4)  # batches split the initiatives' events
    head = history.recorder.max_notification_id() or 0
    assert history_since(db) == 0  # built from the first event: the whole history
    written = marks(db)
    positions = {m[0] for m in written}
    assert positions <= set(range(3, head + 1, 3))
    assert len(positions) > 5
    oracle = AsOfViews(lambda: history, db, cache_size=1)
    draws = random.Random(18).sample(range(1, head), 14)
    # and either side of every change of a person, a plan or a review
    changed = [
        int(r["position"])
        for r in db.query(
            "SELECT position FROM iv_audit WHERE aggregate_type IN ('Person', 'UnitPlan',"
            " 'UnitReviews') AND position > 1"
        )
    ]
    assert len(changed) > 10
    edges = {p + step for p in changed for step in (-1, 0)}
    for at in sorted({1, 2, *draws, *edges, head - 1, head}):
        replayed = answers(oracle.replay(at), None)
        assert answers(db, at) == replayed, at
    assert answers(db, head) == answers(db, None)
    # Revision 0013 writes, from the versions already written, the marks the worker wrote.
    with db.transaction() as tx:
        tx.execute("DELETE FROM iv_counts_marks")
    with altering(db.storage) as conn:
        assert r0013.fill(conn) == len(range(3, head + 1, 3))
    assert marks(db) == written


def test_history_rows_do_not_depend_on_the_batches_and_close_in_order(
    history: LedgerApplication, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(count_marks, "MARK_EVERY", 2)
    built(history, db, batch_size=1)
    one_by_one = {t: sorted(map(repr, db.query(f"SELECT * FROM {t}"))) for t in VERSIONED}
    marked = marks(db)
    assert len({m[0] for m in marked}) > 5
    reset_views(db, rebuildable(all_views()))
    built(history, db, batch_size=5000)
    assert marks(db) == marked
    for table in VERSIONED:
        assert sorted(map(repr, db.query(f"SELECT * FROM {table}"))) == one_by_one[table], table
        # No row held at once twice: each row's versions follow one another without gaps.
        rows = db.query(f"SELECT * FROM {table} ORDER BY from_position")
        assert all(r["to_position"] is None or r["to_position"] > r["from_position"] for r in rows)
    versions = db.query("SELECT COUNT(*) AS n, COUNT(to_position) AS closed FROM iv_initiatives")[
        0
    ]
    current = db.query("SELECT COUNT(*) AS n FROM iv_initiatives WHERE to_position IS NULL")
    assert int(current[0]["n"]) == 6
    assert int(versions["n"]) - int(versions["closed"]) == 6
    renamed = db.query(
        "SELECT name, to_position FROM dir_organisations WHERE id = ? ORDER BY from_position",
        [OLD_WARD],
    )
    assert [r["name"] for r in renamed] == [
        "UBND phường Phạm Ngũ Lão (cũ)",
        "UBND phường Phạm Ngũ Lão",
    ]
    assert renamed[0]["to_position"] is not None
    assert renamed[1]["to_position"] is None
    # The proposer renamed, the plan recorded and revised twice: each version after another.
    names = db.query(
        "SELECT full_name, from_position, to_position FROM dir_people WHERE id = ?"
        " ORDER BY from_position",
        [str(pid("can-bo"))],
    )
    assert [n["full_name"] for n in names] == ["Phạm Đức Dũng", "Trần Thị Cán Bộ"]
    assert names[0]["to_position"] == names[1]["from_position"]
    plans = db.query("SELECT version, to_position FROM iv_unit_plans ORDER BY from_position")
    assert [p["version"] for p in plans] == [1, 2, 3]
    assert [p["to_position"] is None for p in plans] == [False, False, True]


def test_on_postgresql_the_past_of_each_history_table_is_found_by_its_range_index(
    db: Database,
) -> None:
    """`held` as of a position asks what the table's GiST index answers (migrations r0009;
    the planner, which may prefer a scan of a small table, is told not to; on an empty table it
    may as well take one of a ward's, which hold the span too: migrations r0012). The counts
    lost theirs: their past is read from marks (migrations r0013, r0014)."""
    if db.kind != "postgresql":
        assert "int8range" not in held("", 7, db.kind)  # SQLite has no range type
        return
    found = db.query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    indexes = {r["indexname"] for r in found}
    assert "iv_counts_held" not in indexes
    assert {"iv_counts_current", "iv_counts_from"} <= indexes
    for table in SPANNED:
        with db.transaction() as tx:
            tx.execute("SET LOCAL enable_seqscan = off")
            explained = tx.query(f"EXPLAIN SELECT * FROM {table} WHERE {held('', 7, db.kind)}")
        plan = " ".join(str(*row.values()) for row in explained)
        # its own index of the span, or (iv_initiatives, iv_clocks) one of a ward's and the span
        assert "Index Cond: (int8range(from_position, to_position) @> '7'::bigint)" in plan, plan
        used = re.findall(r"(?:Index Scan using|Bitmap Index Scan on) (\w+)", plan)[0]
        assert used == f"{table}_held" or (used.endswith("_span") and table in used), plan


def test_on_postgresql_a_wards_past_is_found_by_its_organisation_and_span_together(
    db: Database,
) -> None:
    """As of a position, a ward's lists and dashboards (its initiatives by employer, addressee
    or approving authority; its clocks) can ask a GiST index on the organisation and the span
    of positions both conditions at once (migrations r0012), not read every version of the
    ward begun by then. Each index is asked alone: the table's other indexes of the past are
    dropped in a transaction rolled back after (the planner, on a small table, takes any)."""
    if db.kind != "postgresql":
        return
    ward = "6f1c1a5e-0000-4000-8000-000000000000"
    spans = r0012.INDEXES
    for name, (table, column) in spans.items():
        others = [o for o, (t, _) in spans.items() if t == table and o != name]
        with db.storage.connect() as conn, conn.transaction(force_rollback=True):
            conn.execute(f"SET LOCAL search_path = {db.storage.schema}")
            conn.execute("SET LOCAL enable_seqscan = off")
            conn.execute("SET LOCAL enable_bitmapscan = off")
            for other in [*others, f"{table}_held"]:
                conn.execute(f"DROP INDEX {other}")
            condition = org_is(column, 7, db.kind).replace("?", "%s")
            explained = conn.execute(
                f"EXPLAIN SELECT * FROM {table} WHERE {condition} AND {held('', 7, db.kind)}",
                [ward],
            ).fetchall()
        plan = " ".join(str(row[0]) for row in explained)
        assert f"using {name} on {table}" in plan, plan
        # the organisation as a uuid (migrations r0015), then the span
        assert f"Index Cond: ((({column})::uuid = '{ward}'::uuid) AND (int8range(" in plan, plan


def test_as_of_a_position_what_names_an_organisation_finds_its_past_by_the_span_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ward's reads as of a position (its lists, the rows it may see, its inbox, deadlines,
    clocks at risk and supervision) select the versions that held then by the organisation's
    GiST index of the span alone (`held_in_organisation`): the bounds are written so that no
    index answers them. With them as index conditions the planner, near the head of a million
    events, also read a whole partial index of the current versions to AND its bitmap with the
    span's (docs/performance.md). Every statement that names an organisation (as a uuid) as of
    position 7 says so; SQLite, with no GiST, reads the bounds."""
    ward, person = "6f1c1a5e-0000-4000-8000-000000000000", str(pid("can-bo"))
    today = date(2026, 3, 13)
    seen: list[str] = []
    query = db.query

    def recorded(statement: str, params: Any = ()) -> list[Any]:
        seen.append(statement)
        return query(statement, params)

    monkeypatch.setattr(db, "query", recorded)
    scope = ReadScope(ward, 7)
    for filters in ({"employing_organisation_id": ward}, {"visible_to": ([ward], person)}):
        queries.list_initiatives(db, filters, "-updated_at", 50, None, 7)
    queries.list_initiatives(db, {"organisations": [ward, ward]}, "-updated_at", 50, None, 7)
    queries.supervision_coverage(db, today, 30, scope)
    queries.supervision_totals(db, today, 30, scope)
    due.deadlines(db, today, vietnam(), scope)
    due.deadlines(db, today, vietnam(), scope, due.Page(5))
    due.at_risk_total(db, today, vietnam(), scope)
    due.inbox(db, ward, today, vietnam(), None, 7)
    monkeypatch.undo()
    named = [s for s in seen if "uuid" in s]
    if db.kind != "postgresql":
        assert not named
        assert not [s for s in seen if "from_position + 0" in s]
        return
    assert len(named) >= 10
    for statement in named:
        assert "from_position + 0 <= 7" in statement, statement


DRAFTS = {"status": "draft"}  # a narrower list: read by its filters, then sorted


class Ticking(Clock):
    """A server clock a minute later at each reading."""

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def rises(db: Database) -> list[tuple[int, str]]:
    """Where the greatest `updated_at` of the versions begun so far rose, from the versions."""
    found: list[tuple[int, str]] = []
    for row in db.query(
        "SELECT from_position AS p, MAX(updated_at) AS u FROM iv_initiatives"
        " GROUP BY from_position ORDER BY from_position"
    ):
        if not found or row["u"] > found[-1][1]:
            found.append((int(row["p"]), row["u"]))
    return found


def stored_rises(db: Database) -> list[tuple[int, str]]:
    """The rises `iv_updated_max` holds."""
    rows = db.query("SELECT position, updated_at FROM iv_updated_max ORDER BY position")
    return [(int(r["position"]), r["updated_at"]) for r in rows]


def test_the_lists_newest_first_as_of_every_position_equal_the_replay_as_the_clock_turns_back(
    storage: Storage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list newest first as of a past position starts its walk at the greatest `updated_at`
    begun by then (`iv_updated_max`): as of every position of a log whose clock moves forward,
    then back a day, then forward again, each page equals the replay's — with the walk as it
    is, and cut short after 3 versions (the planner's query then answers)."""
    clock = Ticking()
    app = stored_application(storage, clock)
    app.import_directory(ward_directory(), "test")
    try:
        first = Life(app, clock)
        first.draft()
        Life(app, clock).to_review()
        clock.now -= timedelta(days=1)  # a later event, an earlier time
        late = Life(app, clock)
        late.draft()
        first.cmd("withdraw", "can-bo", reason="Không còn cần")
        clock.now += timedelta(days=2)
        late.cmd("withdraw", "can-bo", reason="Không còn cần")
        Life(app, clock).draft()
        built(app, db, batch_size=3)
        head = app.recorder.max_notification_id() or 0
        stored = stored_rises(db)
        assert stored == rises(db)
        assert [u for _, u in stored] == sorted({u for _, u in stored})  # strictly rising
        assert len(stored) < int(db.query("SELECT COUNT(*) AS n FROM iv_initiatives")[0]["n"])
        oracle = AsOfViews(lambda: app, db, cache_size=1)
        for at in range(1, head + 1):
            past = oracle.replay(at)
            for filters in ({}, {"q": "sang kien"}, {"employing_organisation_id": WARD}, DRAFTS):
                for limit, walk in itertools.product((1, 2, 50), (queries.WALK, 3)):
                    monkeypatch.setattr(queries, "WALK", walk)
                    expected = queries.list_initiatives(past, filters, "-updated_at", limit, None)
                    found = queries.list_initiatives(db, filters, "-updated_at", limit, None, at)
                    assert found == expected, (at, filters, limit, walk)
                    cursor = found["next_cursor"]
                    if cursor:
                        assert queries.list_initiatives(
                            db, filters, "-updated_at", 2, cursor, at
                        ) == queries.list_initiatives(past, filters, "-updated_at", 2, cursor)
                monkeypatch.undo()
            created = queries.list_initiatives(db, {}, "-created_at", 50, None, at)
            assert created == queries.list_initiatives(past, {}, "-created_at", 50, None)
        reset_views(db, rebuildable(all_views()))
        built(app, db, batch_size=1)
        assert stored_rises(db) == stored
        # The migration fills the table from the versions already written: the same rows.
        with db.transaction() as tx:
            tx.execute("DELETE FROM iv_updated_max")
            tx.execute(r0010.FILL)
        assert stored_rises(db) == stored
    finally:
        app.close()
