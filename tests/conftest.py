"""Fixtures: clock, in-memory application, real SQLite/PostgreSQL stores, the Flask app."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from psycopg import sql

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.note import Signer
from projections.storage import Storage
from tests.factories import Clock, Scenario, stored_application, ward_directory
from web import create_app
from web.auth import issue_token
from web.key_files import write_new_key
from web.service import migrate

# The suite starts some 150 Python processes (gunicorn, the `ledger` command, witnesses, servers)
# besides its workers: each would compile the project again, and each worker rewrite every
# test module again, where PYTHONDONTWRITEBYTECODE is set (as in this machine's image). Their
# bytecode is written (to __pycache__, which git ignores) for the workers and every process they
# start: importing the CLI 1.0 -> 0.92 s of CPU, a worker's collection 6.5 -> 4.4 s.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# The collector's passes cost a worker 8-9 s of CPU (~5,000 young passes, ~24 full ones of
# ~0.3 s over half a million objects); with fewer young passes, and what collection built frozen
# (`pytest_collection_finish`), 3-4.5 s. Tests build many short-lived objects and few cycles.
gc.set_threshold(50_000, 20, 10)

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SECRET = "test-secret-" + "x" * 40

_pg_state: dict[str, str | None] = {}


def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can (checked once)."""
    if "reason" not in _pg_state:
        try:
            Storage.from_url(PG_URL).connect().close()
            _pg_state["reason"] = None
        except psycopg.Error as error:
            _pg_state["reason"] = f"PostgreSQL at {PG_URL} is unreachable: {error}"
    return _pg_state["reason"]


def require_postgres() -> None:
    """Fail in CI, skip loudly elsewhere, when PostgreSQL is missing."""
    reason = postgres_unavailable()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL tests are mandatory in CI: {reason}")
    pytest.skip(f"SKIPPED POSTGRESQL TESTS (not in CI): {reason}")


# A test's user property under this name is a line of the terminal summary, once however many
# tests name it (it travels with the reports, so pytest-xdist's workers' lines are shown too).
SUMMARY = "terminal summary"


def name_in_summary(request: pytest.FixtureRequest, line: str) -> None:
    """Show `line` in the terminal summary (e.g. a random seed), even when every test passes."""
    request.node.user_properties.append((SUMMARY, line))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say loudly when the PostgreSQL half of the suite did not run; show the tests' summary
    lines (the random seeds)."""
    reason = _pg_state.get("reason")
    if reason:
        terminalreporter.write_sep("!", "POSTGRESQL TESTS WERE SKIPPED", red=True, bold=True)
        terminalreporter.write_line(reason)
    lines = {
        value: None
        for reports in terminalreporter.stats.values()
        for report in reports
        for key, value in getattr(report, "user_properties", ())
        if key == SUMMARY
    }
    for line in lines:
        terminalreporter.write_line(line)


@pytest.fixture
def clock() -> Clock:
    """A settable server clock at the factories' NOW."""
    return Clock()


@pytest.fixture
def app(clock: Clock) -> LedgerApplication:
    """The domain application on in-memory persistence, with the ward directory."""
    application = LedgerApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    application.import_directory(ward_directory(), "test")
    return application


@pytest.fixture
def scenario(app: LedgerApplication, clock: Clock) -> Scenario:
    """A driver for one initiative."""
    return Scenario(app, clock)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one process more than cores. A test waits on PostgreSQL, a server it started
    or a browser for a good part of its time; a third process on two cores keeps them busy
    (the suite here: 4:55 with two, 4:12 with three, 4:07 with four)."""
    return (os.cpu_count() or 1) + 1


# PostgreSQL schemas of this process that a test has used and left as `migrate` made them,
# emptied for the next test (a DELETE per table with the triggers off and the log's sequence
# restarted: ~4 ms, where dropping one and migrating a new one costs ~120 ms). Dropped at exit.
_REUSABLE: list[tuple[str, str, bytes]] = []  # (schema, its shape when migrated, its reset)

# What a test could change in a schema (tables, columns, constraints, triggers and whether they
# fire, grants, functions); a schema whose shape differs from the migrated one is dropped, never
# reused.
_SHAPE = """
WITH ns AS (SELECT to_regnamespace(%(schema)s)::oid AS oid)
SELECT md5(string_agg(item, ',' ORDER BY item)) FROM (
  SELECT 'n' || coalesce(nspacl::text, '') AS item FROM pg_namespace WHERE oid = (TABLE ns)
  UNION ALL SELECT 'c' || relname || relkind::text || coalesce(relacl::text, '')
    FROM pg_class WHERE relnamespace = (TABLE ns)
  UNION ALL SELECT 'a' || attrelid::regclass::text || attname || atttypid::text
    FROM pg_attribute JOIN pg_class c ON c.oid = attrelid
    WHERE c.relnamespace = (TABLE ns) AND attnum > 0 AND NOT attisdropped
  UNION ALL SELECT 'k' || conname || contype::text
    FROM pg_constraint WHERE connamespace = (TABLE ns)
  UNION ALL SELECT 't' || tgname || tgenabled::text
    FROM pg_trigger JOIN pg_class c ON c.oid = tgrelid WHERE c.relnamespace = (TABLE ns)
  UNION ALL SELECT 'p' || proname || coalesce(proacl::text, '')
    FROM pg_proc WHERE pronamespace = (TABLE ns)
) AS items
"""


def _shape(conn: psycopg.Connection[Any], schema: str) -> str | None:
    """The schema's shape (None if it is gone)."""
    found = conn.execute(_SHAPE, {"schema": schema}).fetchone()
    return str(found[0]) if found and found[0] else None


def _reset(conn: psycopg.Connection[Any], schema: str) -> bytes:
    """The statements that empty the schema's tables (its version kept) and restart its
    sequences, as one query: a schema of the same shape has the same tables."""
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> 'alembic_version'",
        (schema,),
    ).fetchall()
    sequences = conn.execute(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = %s", (schema,)
    ).fetchall()
    statements = [
        *(sql.SQL("DELETE FROM {}").format(sql.Identifier(schema, t)) for (t,) in tables),
        *(
            sql.SQL("ALTER SEQUENCE {} RESTART").format(sql.Identifier(schema, q))
            for (q,) in sequences
        ),
    ]
    return sql.SQL("; ").join(statements).as_bytes(conn)


# The connection that empties schemas for reuse, kept by the process: a new connection is a
# new server process that loads the catalog again (~5 ms of CPU, at every test).
_ADMIN: list[psycopg.Connection[Any]] = []


def _admin() -> psycopg.Connection[Any]:
    """The process's connection for emptying schemas (a new one if the last one broke)."""
    if _ADMIN and (_ADMIN[0].closed or _ADMIN[0].broken):
        _ADMIN.pop().close()
    if not _ADMIN:
        conn = psycopg.connect(PG_URL, autocommit=True)
        conn.execute("SET lock_timeout = '2s'")
        _ADMIN.append(conn)
    return _ADMIN[0]


def _emptied(store: Storage, shape: str, reset: bytes) -> bool:
    """Empty `store` for another test if its schema is still as migrated; False otherwise."""
    try:
        conn = _admin()
        if _shape(conn, store.schema) != shape:
            return False
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")  # triggers off
            conn.execute(reset)  # no parameters: one query, many statements
    except psycopg.Error:
        return False
    return True


@atexit.register
def _drop_reusable() -> None:
    while _ADMIN:
        _ADMIN.pop().close()
    while _REUSABLE:
        schema, _, _ = _REUSABLE.pop()
        with contextlib.suppress(psycopg.Error):
            Storage.from_url(PG_URL, schema=schema).drop_all()


@functools.cache
def _sqlite_template() -> Path:
    """A SQLite store as `migrate` makes it, made once per process and copied for each test
    (migrating one from revision 0001 rebuilds tables: most of a small test's time). Its log
    is checkpointed into the one file; the file is removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-template-"))
    atexit.register(shutil.rmtree, folder, True)
    template = folder / "template.sqlite3"
    migrate(Storage.from_url(f"sqlite:///{template}"))
    with contextlib.closing(sqlite3.connect(template)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    log = Path(f"{template}-wal")
    assert not log.exists() or not log.stat().st_size, "the template's log is in its file"
    return template


@contextmanager
def migrated(kind: str, folder: Path) -> Iterator[Storage]:
    """A migrated, empty store of `kind` ("sqlite": a file in `folder`; "postgres": a schema
    no other test uses meanwhile); dropped, or emptied for reuse, afterwards."""
    if kind == "sqlite":
        store = Storage.from_url(f"sqlite:///{folder / 'ledger.sqlite3'}")
        shutil.copyfile(_sqlite_template(), folder / "ledger.sqlite3")
        try:
            yield store
        finally:
            store.drop_all()
        return
    require_postgres()
    if _REUSABLE:
        schema, shape, reset = _REUSABLE.pop()
        store = Storage.from_url(PG_URL, schema=schema)
    else:
        store = Storage.from_url(PG_URL, schema=f"test_{uuid.uuid4().hex[:12]}")
        migrate(store)
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            shape = _shape(conn, store.schema) or ""
            reset = _reset(conn, store.schema)
    try:
        yield store
    finally:
        if _emptied(store, shape, reset):
            _REUSABLE.append((store.schema, shape, reset))
        else:
            store.drop_all()


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """A migrated, empty store on each backend; dropped afterwards. (A module whose tests
    only read what one setup built overrides it, and `web_app`, with module scope: see
    `module_store` and `module_web_app`.)"""
    with migrated(request.param, tmp_path) as store:
        yield store


@pytest.fixture(scope="module", params=BACKENDS)
def module_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Storage]:
    """One migrated store per backend for a whole module: a module whose tests only read, or
    only add initiatives of their own, makes its `storage` this one (and its `web_app`, with
    `module_web_app`)."""
    with migrated(request.param, tmp_path_factory.mktemp("store")) as store:
        yield store


@contextmanager
def module_web_app(
    storage: Storage, factory: pytest.TempPathFactory, clock: Clock | None = None
) -> Iterator[Flask]:
    """The body of a module-scoped `web_app` fixture: one app (with its own checkpoint key, and
    its own clock unless given one) on the module's store."""
    key = factory.mktemp("key") / "ledger-key"
    write_new_key(key, ORIGIN)
    with running_app(storage, clock or Clock(), key) as flask_app:
        yield flask_app


def one_app_per_module(*directories: Callable[[], dict[str, Any]]) -> tuple[Any, Any, Any, Any]:
    """The fixtures `storage, module_clock, clock, web_app` of a module whose tests each drive
    initiatives of their own: one store and one app per backend for the whole module (the app
    with the ward directory and then `directories` imported), on one clock set back to the
    factories' NOW before each test. Assign them to these names in the module."""

    @pytest.fixture(scope="module")
    def storage(module_store: Storage) -> Storage:
        return module_store

    @pytest.fixture(scope="module")
    def module_clock() -> Clock:
        return Clock()

    @pytest.fixture
    def clock(module_clock: Clock) -> Clock:
        module_clock.now = Clock().now
        return module_clock

    @pytest.fixture(scope="module")
    def web_app(
        storage: Storage, tmp_path_factory: pytest.TempPathFactory, module_clock: Clock
    ) -> Iterator[Flask]:
        with module_web_app(storage, tmp_path_factory, module_clock) as flask_app:
            service = flask_app.extensions["ledger.service"].get()
            for directory in directories:
                service.import_directory(directory(), "test")
            yield flask_app

    return storage, module_clock, clock, web_app


@pytest.fixture
def stored_app(storage: Storage, clock: Clock) -> Iterator[LedgerApplication]:
    """The domain application on a real store, with the ward directory."""
    application = stored_application(storage, clock)
    application.import_directory(ward_directory(), "test")
    yield application
    application.close()


@pytest.fixture
def ledger_key(tmp_path: Path) -> Path:
    """A fresh checkpoint signing key file."""
    path = tmp_path / "ledger-key"
    write_new_key(path, "ledger.example/test")
    return path


@pytest.fixture
def db(storage: Storage) -> Iterator[Database]:
    """The views' and the ledger's database of the store."""
    database = Database(storage)
    yield database
    database.close()


@pytest.fixture
def signer() -> Signer:
    """A checkpoint signing key of the test log."""
    return Signer.generate(ORIGIN)


ORIGIN = "ledger.example/test"


@contextmanager
def running_app(
    storage: Storage, clock: Clock, ledger_key: Path, **settings: str
) -> Iterator[Flask]:
    """The Flask app on a real store with the ward directory (and an in-process worker unless
    `IN_PROCESS_WORKER="0"`); `settings` add to or replace the test configuration."""
    config = {
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "JWT_SECRET": SECRET,
        "IN_PROCESS_WORKER": "1",
        "LEDGER_KEY_FILE": str(ledger_key),
        "LEDGER_ORIGIN": ORIGIN,
        "CHECKPOINT_INTERVAL": "0",
        # Tests fire requests faster than people do; the limits are tested on their own
        # (tests/e2e/test_attacks.py).
        "RATE_LIMIT": "off",
        "RATE_LIMIT_HEAVY": "off",
        **settings,
    }
    flask_app = create_app(config, clock=clock)
    flask_app.extensions["ledger.service"].get().import_directory(ward_directory(), "test")
    try:
        yield flask_app
    finally:
        flask_app.extensions["ledger.reads"].stop()
        flask_app.extensions["ledger.service"].close()


# `with app_with(SETTING="…") as app:` (the `app_with` fixture).
AppWith = Callable[..., AbstractContextManager[Flask]]


@pytest.fixture
def app_with(storage: Storage, clock: Clock, ledger_key: Path) -> AppWith:
    """`running_app` on the test's store, clock and checkpoint key: `app_with(**settings)`,
    for a test that wants settings of its own (or more than one app)."""
    return functools.partial(running_app, storage, clock, ledger_key)


@pytest.fixture
def web_app(storage: Storage, clock: Clock, ledger_key: Path) -> Iterator[Flask]:
    """The Flask app on a real store with the ward directory and an in-process worker."""
    with running_app(storage, clock, ledger_key) as flask_app:
        yield flask_app


def _url(storage: Storage) -> str:
    if storage.kind == "sqlite":
        return f"sqlite:///{storage.sqlite_path}"
    return f"postgresql://{storage.user}@{storage.host}:{storage.port}/{storage.dbname}"


def ready_to_serve(storage: Storage, port: int, **settings: str) -> dict[str, str]:
    """The environment of a server process a test starts on `storage` and `port` (this
    process's environment, the test secrets and `settings`), once the ward directory is
    imported into the store."""
    application = stored_application(storage, Clock())
    application.import_directory(ward_directory(), "test")
    application.close()
    return {
        **os.environ,
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "JWT_SECRET": SECRET,
        "SECRET_KEY": "k" * 40,
        "PORT": str(port),
        "PYTHONPATH": str(Path(__file__).parents[1]),
        **settings,
    }


@pytest.fixture
def client(web_app: Flask) -> FlaskClient:
    """A test client of the web app."""
    return web_app.test_client()


def bearer(flask_app: Flask) -> Any:
    """`bearer(app)("chu-tich")` → headers with a valid token for that person."""
    settings = flask_app.extensions["ledger.settings"]

    def headers(key: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(settings, key)}", **extra}

    return headers


@pytest.fixture
def auth(web_app: Flask) -> Any:
    """`auth("chu-tich")` → headers with a valid token for that person."""
    return bearer(web_app)


def attack_entries(items: list[Any]) -> list[dict[str, Any]]:
    """Each attack test's cases, backend and id among `items`."""
    entries = []
    for item in items:
        cases = [case for mark in item.iter_markers("attack") for case in mark.args]
        if cases:
            params = getattr(getattr(item, "callspec", None), "params", {})
            backend = params.get("storage", params.get("module_store", "any"))
            entries.append({"cases": cases, "backend": backend, "test": item.nodeid})
    return entries


def long_files_first(items: list[Any]) -> list[Any]:
    """`items` file by file, in their order within each file: the files holding a test marked
    `long` first, then the others by their number of tests, most first (ties: as collected)."""
    files: dict[str, list[Any]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    order = sorted(
        files.values(),
        key=lambda tests: (not any(t.get_closest_marker("long") for t in tests), -len(tests)),
    )
    return [item for tests in order for item in tests]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Order the files for xdist (`--no-loadscope-reorder`): those with a `long` test first,
    then the rest by their number of tests, most first. xdist's own order (by number of tests
    alone) left the long files of few tests for last, when the other processes had run out of
    work.

    With LIST_ATTACKS set, also print each attack test's cases and backend (read by
    tests/e2e/test_attacks.py when its session did not collect the whole suite)."""
    items[:] = long_files_first(items)
    if not os.environ.get("LIST_ATTACKS"):
        return
    for entry in attack_entries(items):
        print("ATTACK " + json.dumps(entry))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave what collection built (every module imported, every test item) out of the
    garbage collector's passes: it lives until the process ends (CPython's `gc.freeze`)."""
    gc.collect()
    gc.freeze()
