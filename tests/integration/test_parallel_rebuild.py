"""The parallel rebuild (projections/parallel.py) on PostgreSQL, the store it serves in
production: the views it builds in 2 and 3 partitions equal those one worker builds batch by
batch (a forged row refused by both), a partition that fails stops the rebuild with its reason,
the views it leaves are built again by the next worker, no worker writes views a running
rebuild holds, and `ledger projections rebuild` runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask

from bench.generate import generate
from domain.application import LedgerApplication
from projections import parallel
from projections.db import Database
from projections.storage import Storage
from projections.worker import (
    REBUILD_LOCK,
    REBUILDING,
    Worker,
    all_views,
    positions,
    rebuildable,
    rebuilding,
    reset_views,
    status,
)
from tests.conftest import PG_URL, bearer, migrated
from tests.e2e.test_pages import signed_in
from tests.factories import Clock, Life
from tests.integration.test_tamper import forged_archive, insert_row
from tests.integration.test_views import dump
from tests.integration.worlds import a_world
from tests.waiting import wait_until
from web.cli import main

pytestmark = pytest.mark.postgres


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    """A migrated, empty PostgreSQL store (a schema of this test's own)."""
    with migrated("postgres", tmp_path) as store:
        yield store


@pytest.fixture
def log(stored_app: LedgerApplication, db: Database, clock: Clock) -> dict[str, Any]:
    """The views' world, a forged row among the acts, 2,000 more events of initiatives in 20
    wards, and every view built by one worker, batch by batch: the views to compare with."""
    world = a_world(stored_app, clock)
    life = Life(stored_app, clock)
    life.to_approval()
    forged = insert_row(db.storage, db, life.id, forged_archive(stored_app, life.id, None))
    generate(stored_app, stored_app.recorder.max_notification_id() + 2_000, wards=20)
    Worker(stored_app, db, batch_size=300).catch_up()
    return {
        "world": world,
        "forged": forged,
        "views": dump(db),
        "indexes": indexes(db),
        "keys": keys(db),
    }


@pytest.mark.parametrize("processes", [2, 3])
def test_the_views_built_in_partitions_equal_those_built_batch_by_batch(
    stored_app: LedgerApplication, db: Database, log: dict[str, Any], processes: int
) -> None:
    head = stored_app.recorder.max_notification_id()
    views = rebuildable(all_views())
    seen: list[int] = []
    applied = parallel.rebuild(stored_app, db, views, processes, 200, seen.append)
    assert applied == sum(seen) == head  # every event read once (the forged one refused)
    assert dump(db) == log["views"]
    assert indexes(db) == log["indexes"]  # every one it dropped, built again
    assert keys(db) == log["keys"]  # the primary keys of the tables it appended to too
    assert db.query("SELECT COUNT(*) AS n FROM view_deferred_indexes") == [{"n": 0}]
    assert set(positions(db, all_views()).values()) == {head}
    found = db.query("SELECT COUNT(*) AS n FROM iv_audit WHERE position = ?", (log["forged"],))
    assert found == [{"n": 0}]
    # every partition had initiatives of its own to apply, and no event is in two
    pages = [parallel.partition_reader(stored_app, part, 3)(1, head, head) for part in range(3)]
    assert min(len(page) for page in pages) > 100  # each ~600 (ids drawn at random)
    assert sorted(n.id for page in pages for n in page) == list(range(1, head + 1))


def test_a_failing_partition_stops_the_rebuild_and_the_next_worker_builds_the_views_again(
    stored_app: LedgerApplication, db: Database, log: dict[str, Any]
) -> None:
    with db.transaction() as tx:  # the audit refuses the row of one position
        tx.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN IF NEW.position = 1000 THEN RAISE EXCEPTION 'position 1000 refused';"
            " END IF; RETURN NEW; END $$"
        )
        tx.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON iv_audit FOR EACH ROW"
            " EXECUTE FUNCTION refuse()"
        )
    views = rebuildable(all_views())
    with pytest.raises(parallel.RebuildError, match=r"failed: .*position 1000 refused"):
        parallel.rebuild(stored_app, db, views, 2)
    tracked = positions(db, all_views())
    assert {name: tracked[name] for name in tracked if name != "ledger"} == dict.fromkeys(
        (v.name for v in views), REBUILDING
    )
    assert [row["rebuilding"] for row in status(stored_app, db, views)] == [True] * len(views)
    assert rebuilding(db)  # the reminders wait (web/reminders.py reminder_duty)
    # the secondary indexes of the tables the partitions wrote are gone, kept to build again
    missing = {name for name, _ in log["indexes"]} - {name for name, _ in indexes(db)}
    assert {"iv_initiatives_org_span", "iv_audit_time"} <= missing
    # the unique ones of the tables the partitions only append to (primary keys included)
    assert {"iv_initiatives_pkey", "iv_initiatives_current", "iv_clocks_pkey"} <= missing
    assert "iv_unit_plans_pkey" not in missing  # a batch closes its versions through it
    assert ("iv_initiatives", "iv_initiatives_pkey") not in {k[:2] for k in keys(db)}
    assert "iv_counts_from" not in missing  # the sums' tables keep theirs
    kept = db.query("SELECT name FROM view_deferred_indexes ORDER BY name")
    assert [row["name"] for row in kept] == sorted(missing)
    with db.transaction() as tx:
        tx.execute("DROP TRIGGER refuse ON iv_audit")
    # The rebuild stopped: once its lock is free (the killed partitions' sessions ended on
    # the server), the next worker empties the views it left and builds them again from the
    # first event; until then it leaves them (as a worker does round after round).
    built_again(stored_app, db)
    assert not rebuilding(db)
    assert dump(db) == log["views"]
    assert indexes(db) == log["indexes"]
    assert keys(db) == log["keys"]
    assert db.query("SELECT COUNT(*) AS n FROM view_deferred_indexes") == [{"n": 0}]


def test_no_worker_writes_the_views_a_running_rebuild_holds(
    stored_app: LedgerApplication, storage: Storage, db: Database, log: dict[str, Any]
) -> None:
    views = rebuildable(all_views())
    with psycopg.connect(PG_URL) as rebuilding:
        rebuilding.execute(
            "SELECT pg_advisory_lock(%s, hashtext(%s))", (REBUILD_LOCK, storage.schema)
        )
        with pytest.raises(parallel.RebuildError, match="another rebuild of the views is running"):
            parallel.rebuild(stored_app, db, views, 2)
        reset_views(db, views, REBUILDING)
        head = stored_app.recorder.max_notification_id()
        assert Worker(stored_app, db).catch_up() == 0  # the ledger is at the head already
        tracked = positions(db, all_views())
        assert tracked["ledger"] == head
        assert {tracked[v.name] for v in views} == {REBUILDING}
        assert db.query("SELECT COUNT(*) AS n FROM iv_initiatives") == [{"n": 0}]
    # the lock released: the next worker builds them again
    built_again(stored_app, db)
    assert dump(db) == log["views"]


def test_the_cli_rebuilds_in_partitions(
    stored_app: LedgerApplication,
    storage: Storage,
    db: Database,
    log: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    head = stored_app.recorder.max_notification_id()
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    monkeypatch.setenv("DATABASE_SCHEMA", storage.schema)
    monkeypatch.setenv("DEV_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv("JWT_SECRET", raising=False)
    result = CliRunner().invoke(main, ["projections", "rebuild", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert f": {head} events in" in result.output
    assert dump(db) == log["views"]
    with psycopg.connect(PG_URL) as rebuilding:
        rebuilding.execute(
            "SELECT pg_advisory_lock(%s, hashtext(%s))", (REBUILD_LOCK, storage.schema)
        )
        refused = CliRunner().invoke(main, ["projections", "rebuild", "initiatives"])
    assert refused.exit_code == 1
    assert "Error: another rebuild of the views is running" in refused.output


def test_no_list_or_dashboard_is_served_while_its_views_are_rebuilt(
    web_app: Flask, storage: Storage, db: Database
) -> None:
    client, auth = web_app.test_client(), bearer(web_app)
    paths = (
        "/api/v1/dashboard/supervision",
        "/api/v1/initiatives?limit=5",
        "/api/v1/initiatives?limit=5&as_of=2026-01-01T00:00:00%2B07:00",
    )
    before = [client.get(path, headers=auth("tp-chu-tich")) for path in paths]
    assert [a.status_code for a in before] == [200, 200, 200]
    with psycopg.connect(PG_URL) as rebuilding_now:
        rebuilding_now.execute(
            "SELECT pg_advisory_lock(%s, hashtext(%s))", (REBUILD_LOCK, storage.schema)
        )
        reset_views(db, [v for v in all_views() if v.name == "initiatives"], REBUILDING)
        during = [
            client.get(path, headers=auth("tp-chu-tich", **{"Accept-Language": "vi"}))
            for path in paths
        ]
        assert [a.status_code for a in during] == [503, 503, 503]
        assert [a.headers["Retry-After"] for a in during] == ["30", "30", "30"]
        assert {a.get_json()["title"] for a in during} == {"Dữ liệu tổng hợp đang được dựng lại"}
        assert (
            during[0]
            .get_json()["detail"]
            .startswith(
                "dữ liệu tổng hợp đang được dựng lại từ sổ sự kiện (`ledger projections rebuild`)"
            )
        )
        signed_in(client, web_app, "tp-chu-tich")
        page = client.get("/initiatives")
        assert (page.status_code, page.headers["Retry-After"]) == (503, "30")
        assert "dữ liệu tổng hợp đang được dựng lại từ sổ sự kiện" in page.get_data(as_text=True)
    built_again(web_app.extensions["ledger.service"].get(), db)
    assert client.get("/initiatives").status_code == 200
    after = [client.get(path, headers=auth("tp-chu-tich")) for path in paths]
    assert [a.status_code for a in after] == [200, 200, 200]
    assert [a.get_json() for a in after[1:]] == [a.get_json() for a in before[1:]]


def built_again(app: LedgerApplication, db: Database) -> None:
    """A worker builds the views a rebuild left, once the rebuild's lock is free (the sessions
    of its processes ended on the server), as a worker does round after round."""
    head = app.recorder.max_notification_id()
    worker = Worker(app, db, batch_size=500)
    wait_until(
        lambda: worker.catch_up() >= 0 and set(positions(db, all_views()).values()) == {head},
        "a worker builds again the views a rebuild left",
    )


def keys(db: Database) -> list[tuple[str, str, str]]:
    """Every primary key and unique constraint of the store's schema: (table, name, definition)."""
    rows = db.query(
        "SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS d"
        " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
        " AND contype IN ('p', 'u') ORDER BY 1, 2"
    )
    return [(str(row["t"]), str(row["conname"]), str(row["d"])) for row in rows]


def indexes(db: Database) -> list[tuple[str, str]]:
    """Every index of the store's schema, and how it is defined."""
    rows = db.query(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " ORDER BY indexname"
    )
    return [(str(row["indexname"]), str(row["indexdef"])) for row in rows]
