"""The database's schema, in versions: Alembic revisions (versions/), run by `ledger migrate`.

`upgrade(storage)` brings a store to the newest revision in one transaction, under a lock
(PostgreSQL: an advisory lock per schema; SQLite: BEGIN IMMEDIATE), so two `ledger migrate`
at once run one after the other and the second finds nothing to do:

- a store at an older revision is upgraded; one at the newest is left alone (a few reads);
  tables of revision 0001 it has lost (dropped by hand) are recreated empty, as before
  migrations, unless a later revision changed them or it is the event store (refused);
- an empty store is created from nothing (revision 0001 is the schema the last release
  before migrations made; the revisions after it change that);
- a store that release made (its tables, no version table) is recognised, checked against
  revision 0001's tables and columns, stamped at 0001 and upgraded; a store that has some of
  the ledger's tables but does not match is refused (MigrationError) and left untouched.

Alembic is configured here from the Storage (no alembic.ini at run time): the revisions are
read once per process; the version table `alembic_version` lives in the store's schema.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import psycopg
import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy.pool import NullPool

from projections.storage import VERSIONS, Storage

FOLDER = Path(__file__).resolve().parent
FIRST = "0001"  # the schema of the last release before migrations
SQLITE_WAIT = 15.0  # seconds a second `ledger migrate` waits for the first (SQLite)
VERSION_TABLE = VERSIONS  # in the store's schema
# pg_advisory_xact_lock(LOCK_SPACE, hashtext(schema)): one `ledger migrate` per schema at once.
LOCK_SPACE = 0x1ED6E2

log = logging.getLogger(__name__)

# Alembic's `context` and `op` are module-level proxies: one migration at a time per process.
_running = threading.Lock()

Step = Callable[[ScriptDirectory, Any], list[Any]]


class MigrationError(click.ClickException):
    """The store cannot be migrated; the message says why on one line (a ClickException, so
    `ledger migrate` prints it and exits 1). Nothing was changed."""


@functools.cache
def scripts() -> ScriptDirectory:
    """The revisions, read once per process."""
    return ScriptDirectory(str(FOLDER))


def head() -> str:
    """The newest revision."""
    newest = scripts().get_current_head()
    assert newest is not None
    return newest


def first_revision() -> ModuleType:
    """Revision 0001's module: the previous release's tables (`tables`, `EVENTS`)."""
    script = scripts().get_revision(FIRST)
    assert script is not None
    return script.module


def upgrade(storage: Storage, to: str | None = None) -> str:
    """Bring `storage` to the newest revision (or to revision `to`: tests); what was done,
    in a few words."""
    if storage.kind == "sqlite":
        storage.prepare()
        engine = _sqlite_engine(storage)
    else:
        # No statement timeout (a maintenance step: an index on a large table takes long, and
        # a second `ledger migrate` waits for the first); keepalives still find a lost server.
        engine = _postgres_engine(replace(storage, schema="", statement_timeout=0.0))
    try:
        with engine.connect() as conn, conn.begin():
            schema = _lock(conn, storage)
            return _migrate(conn, schema, storage.describe(), to or head())
    finally:
        if storage.kind == "sqlite":
            engine.dispose()


def _sqlite_engine(storage: Storage) -> sa.Engine:
    """An engine of one connection, whose transactions take the write lock at BEGIN and
    include DDL."""
    path = storage.sqlite_path
    assert path is not None

    def sqlite() -> sqlite3.Connection:
        # Autocommit: the engine's `begin` says BEGIN IMMEDIATE itself (_begin_immediate).
        return sqlite3.connect(path, isolation_level=None, timeout=SQLITE_WAIT)

    engine = sa.create_engine("sqlite://", creator=sqlite, poolclass=NullPool)
    sa.event.listen(engine, "begin", _begin_immediate)
    return engine


def _begin_immediate(conn: sa.Connection) -> None:
    _wal(conn, time.monotonic() + SQLITE_WAIT)
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _wal(conn: sa.Connection, deadline: float) -> None:
    """Put the file in WAL mode, as eventsourcing's connections do. Switching a new file's mode
    may answer "database is locked" at once, without the busy wait, while a second `ledger
    migrate` switches it too (seen once in 200 races of three): try again until `deadline`."""
    while True:
        try:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            return
        except sa.exc.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


@functools.lru_cache(maxsize=4)
def _postgres_engine(server: Storage) -> sa.Engine:
    """An engine per server, kept for the process (SQLAlchemy learns the server once); it
    holds no connection between migrations. Each is opened like the service's own:
    keepalives, timeouts, the bounded wait (Storage.connect)."""

    def postgres() -> psycopg.Connection[Any]:
        conn = server.connect()
        conn.autocommit = False
        return conn

    return sa.create_engine(
        "postgresql+psycopg://", creator=postgres, poolclass=NullPool, use_native_hstore=False
    )


def _lock(conn: sa.Connection, storage: Storage) -> str | None:
    """PostgreSQL: in the schema (this transaction's search path), wait for any other
    migration of it, then make sure it exists; its name. SQLite: the transaction holds the
    lock already; None."""
    if conn.dialect.name == "sqlite":
        return None
    schema = storage.schema or "public"
    conn.execute(
        sa.text(
            "SELECT set_config('search_path', quote_ident(:schema), true),"
            " pg_advisory_xact_lock(:space, hashtext(:schema))"
        ),
        {"space": LOCK_SPACE, "schema": schema},
    )
    conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
    return schema


def _migrate(conn: sa.Connection, schema: str | None, where: str, target: str) -> str:
    found = _table_names(conn, schema)
    ours = found & _ledger_tables(conn.dialect.name)
    versions = _versions(conn, schema) if VERSION_TABLE in found else ()
    if not ours:
        if VERSION_TABLE in found:  # left behind by a store dropped table by table
            stale = sa.Table(VERSION_TABLE, sa.MetaData(), schema=schema)
            conn.execute(sa.schema.DropTable(stale))
        _run(conn, schema, lambda script, rev: script._upgrade_revs(target, rev))
        return f"created at {target}"
    if not versions:
        _check_previous_release(conn, schema, first_revision(), where)
        _run(conn, schema, lambda script, rev: script._stamp_revs(FIRST, rev))
        _run(conn, schema, lambda script, rev: script._upgrade_revs(target, rev))
        return f"recognised the previous release's schema as {FIRST}, upgraded to {target}"
    recreated = _recreate_lost(conn, ours, where)
    if versions == (target,):
        return f"{recreated}at {target} already"
    _run(conn, schema, lambda script, rev: script._upgrade_revs(target, rev))
    return f"{recreated}upgraded from {', '.join(versions)} to {target}"


def _recreate_lost(conn: sa.Connection, ours: set[str], where: str) -> str:
    """Give a store back, empty, the tables of revision 0001 it has lost (someone dropped
    them: the views and the ledger are rebuilt from the event log by the worker), as
    `ledger migrate` always did; refuse when the event store itself is lost, or a lost table
    was changed by a later revision (its definition is then not 0001's)."""
    dialect = conn.dialect.name
    first = first_revision()
    lost = sorted(_ledger_tables(dialect) - ours)
    if not lost:
        return ""
    if first.EVENTS[dialect] in lost:
        raise MigrationError(
            f"{where} has lost its event store ({first.EVENTS[dialect]}): restore it from a"
            " backup; nothing was changed"
        )
    changed = sorted(set(lost) & _changed_after_first())
    if changed:
        raise MigrationError(
            f"{where} has lost {', '.join(changed)}, changed since revision {FIRST}: restore"
            " from a backup (or recreate by hand); nothing was changed"
        )
    first.create(conn, lost)
    log.warning("%s had lost %s: recreated them empty", where, ", ".join(lost))
    return f"recreated {', '.join(lost)} (empty), "


@functools.cache
def _changed_after_first() -> frozenset[str]:
    """The tables a revision after 0001 changed (each names them in `alters`; one that does
    not counts as changing every table)."""
    changed: set[str] = set()
    for script in scripts().walk_revisions():
        if script.revision != FIRST:
            everything = _ledger_tables("sqlite") | _ledger_tables("postgresql")
            changed |= set(getattr(script.module, "alters", everything))
    return frozenset(changed)


@functools.cache
def _ledger_tables(dialect: str) -> frozenset[str]:
    """The tables of revision 0001 on `dialect`: a store with none of them is empty."""
    first = first_revision()
    return frozenset({first.EVENTS[dialect], *first.tables(dialect).tables})


def _table_names(conn: sa.Connection, schema: str | None) -> set[str]:
    """Which of the ledger's tables and the version table exist (PostgreSQL: looked up by
    name, never by a scan of the catalog)."""
    names = {VERSION_TABLE, *_ledger_tables(conn.dialect.name)}
    if schema is None:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows} & names
    found = conn.execute(
        sa.text(
            "SELECT name FROM unnest(CAST(:names AS text[])) AS name"
            " WHERE to_regclass(quote_ident(:schema) || '.' || quote_ident(name)) IS NOT NULL"
        ),
        {"names": sorted(names), "schema": schema},
    )
    return set(found.scalars())


def _versions(conn: sa.Connection, schema: str | None) -> tuple[str, ...]:
    table = sa.table(VERSION_TABLE, sa.column("version_num"), schema=schema)
    return tuple(sorted(conn.execute(sa.select(table.c.version_num)).scalars()))


def _check_previous_release(
    conn: sa.Connection, schema: str | None, first: ModuleType, where: str
) -> None:
    """Refuse a store whose tables are not exactly the previous release's."""
    dialect = conn.dialect.name
    expected = {first.EVENTS[dialect]: set(first.EVENT_COLUMNS[dialect])} | {
        name: {column.name for column in table.columns}
        for name, table in first.tables(dialect).tables.items()
    }
    reflected = sa.inspect(conn).get_multi_columns(schema=schema, filter_names=sorted(expected))
    actual = {table: {c["name"] for c in columns} for (_, table), columns in reflected.items()}
    missing = sorted(set(expected) - set(actual))
    if missing:
        raise MigrationError(
            f"{where} has some of the ledger's tables but not {', '.join(missing)}: it is not"
            " a database the previous release made (migrate it with that release first);"
            " nothing was changed"
        )
    differ = sorted(name for name, columns in expected.items() if actual[name] != columns)
    if differ:
        raise MigrationError(
            f"{where} has no schema version and the columns of {', '.join(differ)} differ"
            " from the previous release's: refusing to guess what it is; nothing was changed"
        )


def _run(conn: sa.Connection, schema: str | None, step: Step) -> None:
    """Run env.py with `step` (what to do from the current revision) on `conn`."""
    script = scripts()
    config = Config(attributes={"connection": conn, "schema": schema})
    with _running, EnvironmentContext(config, script, fn=lambda rev, _: step(script, rev)):
        script.run_env()
