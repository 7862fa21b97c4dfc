"""The views' connection pool on PostgreSQL: bounded by DATABASE_POOL_SIZE under concurrent
threads, a broken connection never handed out again, nested units of work on one connection,
a forked child on a pool of its own (docs/performance.md "Connections")."""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from projections import rate_limits
from projections.db import Database, StorageUnavailableError
from projections.rate_limits import DatabaseRateStorage
from projections.storage import Storage
from tests.concurrency import AtOnce
from tests.conftest import PG_URL, require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def storage() -> Iterator[Storage]:
    """An empty schema of its own (no tables: these tests only ask the server about itself)."""
    require_postgres()
    store = Storage.from_url(PG_URL, schema=f"test_{uuid.uuid4().hex[:12]}")
    store.prepare()
    yield store
    store.drop_all()


@pytest.fixture
def monitor(storage: Storage) -> Iterator[psycopg.Connection[object]]:
    """A connection of the test's own, to watch and end the pool's sessions."""
    with storage.connect() as conn:
        yield conn


def backend(db: Database) -> int:
    """The server process of the connection `db` uses for one query."""
    return int(db.query("SELECT pg_backend_pid() AS pid")[0]["pid"])


def sessions(monitor: psycopg.Connection[object], name: str) -> int:
    row = monitor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
    ).fetchone()
    assert row is not None
    return int(str(row[0]))


def terminate(monitor: psycopg.Connection[object], pid: int) -> None:
    """End a session from the server side and wait until it is gone."""
    monitor.execute("SELECT pg_terminate_backend(%s)", (pid,))
    deadline = time.monotonic() + 5
    while monitor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
        assert time.monotonic() < deadline, "the session did not end"
        time.sleep(0.01)
    time.sleep(0.05)  # the goodbye and the EOF reach the client's socket


def test_a_pool_never_holds_more_than_its_size_under_concurrent_threads(
    storage: Storage, monitor: psycopg.Connection[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"pool-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", name)  # libpq names every new session of this process
    db = Database(dataclasses.replace(storage, database_pool_size=3))
    seen: list[int] = []

    def work(_thread: int) -> None:
        for _ in range(5):
            with db.transaction() as tx:
                rows = tx.query(
                    "SELECT (SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = ?) AS n FROM pg_sleep(0.02)",
                    (name,),
                )
                seen.append(int(rows[0]["n"]))

    threads = AtOnce(work, range(12))
    while threads.running():
        seen.append(sessions(monitor, name))
        time.sleep(0.005)
    threads.join()
    assert len([n for n in seen if n]) >= 60
    assert max(seen) <= 3, "never more sessions than DATABASE_POOL_SIZE"
    assert max(seen) >= 2, "the threads did share the pool concurrently"
    db.close()
    deadline = time.monotonic() + 5
    while sessions(monitor, name) and time.monotonic() < deadline:
        time.sleep(0.01)  # the server ends a session a moment after its client says goodbye
    assert sessions(monitor, name) == 0, "close() closes the pool"


def test_one_thread_at_a_time_needs_one_connection(
    storage: Storage, monitor: psycopg.Connection[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"pool-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", name)
    db = Database(storage)
    try:
        pids = {backend(db) for _ in range(20)}
        with db.transaction() as tx:
            tx.query("SELECT 1 AS one")
        time.sleep(0.2)  # anything opened in the background would show by now
        assert len(pids) == 1
        assert sessions(monitor, name) == 1, "the pool's minimum, not its size"
    finally:
        db.close()


def test_a_connection_closed_while_idle_is_never_handed_out_again(
    storage: Storage, monitor: psycopg.Connection[object]
) -> None:
    db = Database(dataclasses.replace(storage, database_pool_size=1))
    try:
        first = backend(db)
        terminate(monitor, first)
        second = backend(db)  # the pool's check found it closed: a fresh one, no error
        assert second != first
        assert backend(db) == second, "the fresh connection is the one reused"
    finally:
        db.close()


def test_a_connection_that_failed_is_closed_and_replaced(
    storage: Storage, monitor: psycopg.Connection[object]
) -> None:
    db = Database(dataclasses.replace(storage, database_pool_size=1, statement_timeout=0.2))
    try:
        first = backend(db)

        def ended_while_held() -> None:
            with db.transaction() as tx:
                terminate(monitor, first)
                tx.query("SELECT 1 AS one")

        with pytest.raises(StorageUnavailableError):
            ended_while_held()
        second = backend(db)
        assert second != first, "the broken connection went back closed, never reused"
        with pytest.raises(StorageUnavailableError):
            db.query("SELECT pg_sleep(2)")  # the statement timeout: OperationalError
        assert backend(db) not in (first, second), "as before: any failure, a new connection"
    finally:
        db.close()


def test_nested_units_of_work_of_a_thread_share_its_connection(storage: Storage) -> None:
    db = Database(dataclasses.replace(storage, database_pool_size=1))
    try:
        with db.transaction() as tx:
            tx.execute("CREATE TABLE nested (n integer)")
            tx.execute("INSERT INTO nested VALUES (1)")
            outer = int(tx.query("SELECT pg_backend_pid() AS pid")[0]["pid"])
            # One connection in the pool: a second one would wait, then time out.
            assert backend(db) == outer
            assert db.query("SELECT n FROM nested") == [{"n": 1}], "its own uncommitted row"
        assert db.query("SELECT n FROM nested") == [{"n": 1}]
    finally:
        db.close()


def test_one_statement_on_its_own_commits_as_it_runs_and_in_a_transaction_is_its_savepoint(
    storage: Storage, monitor: psycopg.Connection[object]
) -> None:
    """`Database.statement` (every read outside a transaction, the rate limiter's counting):
    on its own, its write is committed when it returns (no transaction around it); with no
    rows to return, none; within a transaction of the thread, a failure undoes the statement
    only, and the transaction goes on."""
    db = Database(storage)
    try:
        db.statement("CREATE TABLE counted (n integer PRIMARY KEY)")
        assert db.statement("INSERT INTO counted VALUES (1) RETURNING n") == [{"n": 1}]
        seen = monitor.execute(f"SELECT n FROM {storage.schema}.counted").fetchall()
        assert seen == [(1,)], "committed before any other statement of the pool's"
        assert db.statement("DELETE FROM counted WHERE n = 5") == []
        with db.transaction() as tx:
            tx.execute("INSERT INTO counted VALUES (2)")
            with pytest.raises(psycopg.errors.UniqueViolation):
                db.statement("INSERT INTO counted VALUES (1)")
            tx.execute("INSERT INTO counted VALUES (3)")
        assert db.query("SELECT n FROM counted ORDER BY n") == [{"n": 1}, {"n": 2}, {"n": 3}]
    finally:
        db.close()


def test_a_rate_limit_count_stands_when_the_sweep_after_it_fails(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counter store counts a window by one statement, then now and then sweeps ended
    windows: the count is committed first, so a failing sweep must not raise (Flask-Limiter
    would count the request again in memory); a sweep that runs deletes only ended windows."""
    db = Database(storage)
    try:
        db.statement(
            "CREATE UNLOGGED TABLE rate_limits (key TEXT PRIMARY KEY, count BIGINT NOT NULL,"
            " expires_at DOUBLE PRECISION NOT NULL)"
        )
        db.statement("INSERT INTO rate_limits VALUES ('ended', 4, 1.0)")
        counters = DatabaseRateStorage("ledgerdb://", database=db)
        monkeypatch.setattr(rate_limits._SAMPLER, "random", lambda: 0.0)  # sweep every time
        run = db.statement

        def failing_sweep(statement: str, params: Any = ()) -> list[Any]:
            if statement.startswith("DELETE"):
                raise StorageUnavailableError("the sweep failed")
            return run(statement, params)

        monkeypatch.setattr(db, "statement", failing_sweep)
        assert [counters.incr("person:a", 60) for _ in range(2)] == [1, 2]
        assert db.query("SELECT key FROM rate_limits ORDER BY key") == [
            {"key": "ended"},
            {"key": "person:a"},
        ]
        monkeypatch.setattr(db, "statement", run)
        assert counters.incr("person:a", 60) == 3
        assert db.query("SELECT key FROM rate_limits") == [{"key": "person:a"}]
    finally:
        db.close()


def test_a_forked_child_opens_a_pool_of_its_own(storage: Storage) -> None:
    db = Database(dataclasses.replace(storage, database_pool_size=1))
    try:
        parent = backend(db)
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                os.write(writing, str(backend(db)).encode())
                db.close()
                code = 0
            finally:
                os._exit(code)
        os.close(writing)
        answer = os.read(reading, 64).decode()
        os.close(reading)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert int(answer) != parent, "the child never uses the parent's connections"
        assert backend(db) == parent, "and the parent's session outlived the child"
    finally:
        db.close()


def test_every_statement_of_the_views_is_planned_for_its_own_values(storage: Storage) -> None:
    """psycopg prepares a statement run five times on a connection; after five more runs
    PostgreSQL would keep a generic plan, blind to the values (a search of a rare word: 10 ms
    planned for its values, 550 ms generic). The views' connections plan every run afresh, and
    without parallel workers (projections/db.py VIEW_SESSION)."""
    db = Database(storage)
    try:
        with db.transaction() as tx:
            for _ in range(15):
                found = tx.query("SELECT relname FROM pg_class WHERE oid = ?", [1259])
                assert found == [{"relname": "pg_class"}]
            plans = tx.query(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE 'SELECT relname FROM pg_class%'"
            )
            mode = tx.query(
                "SELECT current_setting('plan_cache_mode') AS mode,"
                " current_setting('max_parallel_workers_per_gather') AS parallel"
            )
    finally:
        db.close()
    assert plans == [{"generic_plans": 0, "custom_plans": 10}]
    assert mode == [{"mode": "force_custom_plan", "parallel": "0"}]
