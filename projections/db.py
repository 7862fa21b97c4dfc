"""Connections for the read models: one small interface over sqlite3 and psycopg.

SQL in `projections/` is written once with `?` placeholders and the subset of SQL both
engines share (`INSERT … ON CONFLICT … DO UPDATE`, `CREATE TABLE IF NOT EXISTS`); PostgreSQL
statements get `%s` placeholders here.

On PostgreSQL each Database draws its connections from a psycopg pool of its own, opened on
first use in each process (a forked gunicorn worker never uses its parent's), holding one
connection while idle and at most `Storage.database_pool_size` (DATABASE_POOL_SIZE) — the
counts are in docs/performance.md "Connections".
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, ClassVar, Protocol, Self, cast

import psycopg
from psycopg import pq, sql
from psycopg_pool import ConnectionPool, PoolTimeout

from projections.storage import NO_ANSWER_MARGIN, BoundedConnection, Storage

Row = dict[str, Any]


class Tx(Protocol):
    """What a view needs inside a transaction."""

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row."""

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Rows as dicts."""

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many new rows (PostgreSQL: COPY, the fastest bulk path)."""

    def later(self, step: Callable[[Tx], None]) -> None:
        """Run `step` on the transaction after the writes before it: a write that reads what
        they wrote (a view's batch is planned first and run later: `PlannedTx`)."""


class _Now:
    """A transaction that runs `later`'s step at once (its writes are already made)."""

    def later(self, step: Callable[[Tx], None]) -> None:
        step(self)  # type: ignore[arg-type]


class _SqliteTx(_Now):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(statement, tuple(params))

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.conn.executemany(statement, [tuple(r) for r in rows])

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self.conn.execute(statement, tuple(params))
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class _PgTx(_Now):
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    @staticmethod
    def _pg(statement: str) -> str:
        return statement.replace("%", "%%").replace("?", "%s")

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._pg(statement), tuple(params))

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(self._pg(statement), [tuple(r) for r in rows])

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        )
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.conn.cursor() as cursor:
            cursor.execute(self._pg(statement), tuple(params))
            if cursor.description is None:  # a statement that returns no rows
                return []
            names = [d.name for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class PlannedTx:
    """Records a view's writes now, to run them later in a real transaction.

    Lets the worker prepare batch N+1 in Python while batch N commits: every parameter is
    already a plain value when recorded, so later changes to aggregates cannot leak in.
    """

    def __init__(self) -> None:
        self.steps: list[tuple[str, tuple[Any, ...]]] = []

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        self.steps.append(("execute", (statement, tuple(params))))

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.steps.append(("executemany", (statement, [tuple(r) for r in rows])))

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.steps.append(("append", (table, tuple(columns), [tuple(r) for r in rows])))

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        raise RuntimeError("views do not read while applying a batch (`later` does)")

    def later(self, step: Callable[[Tx], None]) -> None:
        self.steps.append(("later", (step,)))

    def run(self, tx: Tx) -> None:
        """Replay the recorded writes in `tx` (and the steps that read what they wrote)."""
        for name, args in self.steps:
            getattr(tx, name)(*args)


# Rows one statement takes at most as parameters (well under SQLite's and PostgreSQL's limits).
CHUNK = 500


def chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    """`items` in runs of at most `size`, in order."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def emptied(tx: Tx, tables: Sequence[str], kind: str) -> None:
    """Empty `tables`: on PostgreSQL, those this role may truncate by one TRUNCATE (no dead
    rows left for a vacuum to clear, nor for the rows written next to follow: a DELETE of a
    million events' versions left a rebuild 7 s of vacuuming); the others by a DELETE each."""
    allowed: list[str] = []
    if tables and kind == "postgresql":
        rows = tx.query(
            f"SELECT t FROM (VALUES {', '.join('(?)' for _ in tables)}) AS v (t)"
            " WHERE has_table_privilege(t, 'TRUNCATE')",
            tables,
        )
        allowed = [str(row["t"]) for row in rows]
        if allowed:
            tx.execute(f"TRUNCATE {', '.join(allowed)}")
    for table in tables:
        if table not in allowed:
            tx.execute(f"DELETE FROM {table}")


def in_schema(conn: psycopg.Connection[Any], schema: str) -> None:
    """Make `schema` (none: the server's default) the session's search path."""
    if schema:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))


class StorageUnavailableError(Exception):
    """The database cannot be reached or is busy; nothing was written (answered 503)."""


# A broken or unanswering connection: closed on the spot, so the pool never hands it out again.
_BROKEN = (psycopg.OperationalError, psycopg.InterfaceError)
# The views' sessions. Every statement planned for its own values: psycopg prepares a statement
# run five times on a connection, and after five more PostgreSQL may keep a generic plan, blind
# to the values (a search of a rare word as of a past moment, 10 ms with its values, took 550 ms
# with the generic plan from its eleventh run on, at 300,002 events); planning is a fraction of
# a millisecond and the statements are the views' reads and the worker's batch writes, few and
# large. No parallel workers: the reads are index walks and pages, and a parallel plan made the
# planner prefer a scan of the whole table to an index (the province's deadlines as of a past
# moment 11.6 ms in parallel against 4.6 without, the whole unpaged list 121 against 79 ms); on
# a server of few cores its workers take them from the other requests.
VIEW_SESSION = "-c plan_cache_mode=force_custom_plan -c max_parallel_workers_per_gather=0"
POOL_MIN_SIZE = 1  # connections a pool keeps while idle
POOL_MAX_IDLE = 60.0  # seconds before an unused connection above the minimum is closed
POOL_WORKERS = 2  # the pool's threads that open (and replace) connections in the background
WAIT_SLICE = 0.05  # seconds between looks at the pool's connection attempts while waiting


class _Attempts:
    """When a pool last failed to open a connection, and why."""

    def __init__(self) -> None:
        self.failure: tuple[float, str] = (0.0, "")

    def failed(self, error: BaseException) -> None:
        self.failure = (time.monotonic(), str(error))

    def since(self, moment: float) -> str | None:
        """Why the last attempt failed, if it failed after `moment`."""
        at, why = self.failure
        return why if at >= moment else None


class _PoolConnection(BoundedConnection):
    """A connection of a Database's pool, opened like `Storage.connect()`'s (each pool has a
    subclass of the storage's connection class); a failure to open one is noted, so that a
    caller waiting for a connection gives up at once, as a direct connect would."""

    attempts: ClassVar[_Attempts]

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs: Any) -> Self:
        try:
            return super().connect(conninfo, **kwargs)
        except psycopg.Error as error:
            cls.attempts.failed(error)
            raise


def _still_open(conn: _PoolConnection) -> None:
    """The pool's check before it hands out a connection, without a round trip: read what
    the server sent while the connection was idle (two non-blocking reads, about a
    microsecond; a round trip costs 70 µs). A connection the server or the network has closed
    meanwhile (a terminated backend, a restart, a cut proxy) raises here and is replaced,
    instead of failing its caller's query. A silent network is found by the query's own
    bounded wait (BoundedConnection)."""
    for _ in range(2):  # the first read may take the server's goodbye, the second its EOF
        conn.pgconn.consume_input()
    if conn.pgconn.status != pq.ConnStatus.OK:
        raise psycopg.OperationalError("the connection was closed while idle")


def _checkout(pool: ConnectionPool[_PoolConnection]) -> _PoolConnection:
    """A connection from `pool`, within the pool's timeout; at once an OperationalError when
    an attempt to open a connection fails meanwhile (the database is unreachable), rather
    than waiting out the pool's own retries."""
    started = time.monotonic()
    deadline = started + pool.timeout
    attempts = pool.connection_class.attempts
    while True:
        try:
            return pool.getconn(timeout=max(0.001, min(WAIT_SLICE, deadline - time.monotonic())))
        except PoolTimeout:
            failure = attempts.since(started)
            if failure is not None:
                raise psycopg.OperationalError(failure) from None
            if time.monotonic() >= deadline:
                raise PoolTimeout(f"no connection free within {pool.timeout:g} s") from None


class Database:
    """Transactions and reads on the views' database (the event store's database)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.kind = storage.kind
        self._local = threading.local()  # SQLite: this thread's connection
        self._lock = threading.Lock()
        self._pool: ConnectionPool[_PoolConnection] | None = None
        self._pid = 0
        self._held = threading.local()  # PostgreSQL: the connection this thread uses now
        self._users: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
        self._inherited: list[ConnectionPool[_PoolConnection]] = []

    def _sqlite(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            assert self.storage.sqlite_path is not None
            conn = sqlite3.connect(
                self.storage.sqlite_path,
                isolation_level=None,
                timeout=15,
                check_same_thread=False,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _new_pool(self) -> ConnectionPool[_PoolConnection]:
        """A pool of connections opened exactly like `Storage.connect()`'s, in the schema.

        A wait for a connection is bounded like a connection attempt (`_checkout`): past it
        the caller gets PoolTimeout, an OperationalError (503). A connection that cannot be
        opened is tried again once in the background, then only on demand (as the connection
        per thread was), so that after an outage no slot of the pool waits out a backoff."""
        connection_class, kwargs = self.storage.connection_settings()
        kwargs = {**kwargs, "options": f"{kwargs['options']} {VIEW_SESSION}"}
        schema = self.storage.schema
        wait = max(1, self.storage.connect_timeout) + NO_ANSWER_MARGIN

        def configure(conn: _PoolConnection) -> None:
            in_schema(conn, schema)

        pooled = cast(
            "type[_PoolConnection]",
            type("PoolConnection", (_PoolConnection, connection_class), {"attempts": _Attempts()}),
        )
        # Opened with room for its minimum only, so that the first use takes the connection
        # being opened for the minimum rather than opening a second one; `_pg` then lets the
        # pool grow to its size.
        pool = ConnectionPool(
            connection_class=pooled,
            kwargs=kwargs,
            min_size=POOL_MIN_SIZE,
            max_size=POOL_MIN_SIZE,
            open=False,
            configure=configure,
            check=_still_open,
            name=f"views-{schema or 'public'}",
            timeout=wait,
            reconnect_timeout=0,
            max_idle=POOL_MAX_IDLE,
            num_workers=POOL_WORKERS,
        )
        pool.open()
        return pool

    def _pool_of_this_process(self) -> ConnectionPool[_PoolConnection]:
        """The pool, opened on first use in this process; the thread counts as a user."""
        pool = self._pool
        if pool is None or self._pid != os.getpid() or not getattr(self._held, "user", False):
            with self._lock:
                if self._pid != os.getpid():
                    # A forked child: the parent's connections and threads are the parent's.
                    # Its pool is kept aside, never used, closed or collected (that would end
                    # the parent's sessions, or wait on the parent's threads).
                    if self._pool is not None:
                        self._inherited.append(self._pool)
                    self._pool, self._pid = None, os.getpid()
                    self._users = weakref.WeakSet()
                    self._held = threading.local()
                if self._pool is None:
                    self._pool = self._new_pool()
                pool = self._pool
                self._users.add(threading.current_thread())
                self._held.user = True
        return pool

    def pool_stats(self) -> dict[str, int] | None:
        """This process's pool, as psycopg_pool counts it (`pool_size` connections open,
        `pool_available` idle, `pool_max`, `requests_waiting`…, docs/operations.md "Metrics");
        None on SQLite, or before the pool's first use in this process."""
        pool = self._pool
        if pool is None or self._pid != os.getpid():
            return None
        return pool.get_stats()

    @contextmanager
    def _pg(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection for one unit of work; nested units of a thread share it (savepoints,
        as before). A connection that raised OperationalError or InterfaceError is closed
        before it goes back, so the pool discards it and the next use gets a fresh one."""
        held: psycopg.Connection[Any] | None = getattr(self._held, "conn", None)
        if held is not None:
            try:
                yield held
            except _BROKEN:
                held.close()
                raise
            return
        pool = self._pool_of_this_process()
        conn = _checkout(pool)
        if pool.max_size < self.storage.database_pool_size:
            pool.resize(POOL_MIN_SIZE, self.storage.database_pool_size)
        self._held.conn = conn
        try:
            yield conn
        except _BROKEN:
            conn.close()
            raise
        finally:
            self._held.conn = None
            pool.putconn(conn)  # rolled back if need be; discarded (and replaced) if closed

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One atomic unit of work: everything in it commits together or not at all."""
        try:
            with self._transaction() as tx:
                yield tx
        except (*_BROKEN, sqlite3.OperationalError) as e:
            raise StorageUnavailableError(str(e)) from e

    @contextmanager
    def _transaction(self) -> Iterator[Tx]:
        if self.kind == "sqlite":
            conn = self._sqlite()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return
        with self._pg() as pg, pg.transaction():
            yield _PgTx(pg)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Read rows outside any write transaction."""
        return self.statement(statement, params)

    def statement(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement on its own and return its rows: one snapshot, and a write in it
        committed as it runs (PostgreSQL's connections are in autocommit: no BEGIN and COMMIT
        around it, two round trips of three). Within a transaction of this thread, in a
        savepoint of it, as before."""
        try:
            if self.kind == "sqlite":
                return _SqliteTx(self._sqlite()).query(statement, params)
            nested = getattr(self._held, "conn", None) is not None
            with self._pg() as pg, pg.transaction() if nested else nullcontext():
                return _PgTx(pg).query(statement, params)
        except (*_BROKEN, sqlite3.OperationalError) as e:
            raise StorageUnavailableError(str(e)) from e

    def close(self) -> None:
        """This thread is done with the database: its SQLite connection is closed; the
        PostgreSQL pool is closed (every connection) once no other live thread that used it
        remains — the end of a command, a test or the worker, not of the worker's writer
        thread. A later use opens a new pool."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        with self._lock:
            if self._pid != os.getpid():
                return  # the parent's pool (if any): never closed here
            self._users.discard(threading.current_thread())
            self._held.user = False
            pool = self._pool
            if pool is None or any(t.is_alive() for t in self._users):
                return
            self._pool = None
            self._users = weakref.WeakSet()
        pool.close()


class MemoryDatabase(Database):
    """A private in-memory SQLite database (time travel): one connection, shared by threads."""

    def __init__(self) -> None:
        super().__init__(Storage(kind="sqlite", sqlite_path=None))
        self._conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._mutex = threading.RLock()

    def _sqlite(self) -> sqlite3.Connection:
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One atomic unit of work, serialised across threads."""
        with self._mutex, super().transaction() as tx:
            yield tx

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Read rows."""
        with self._mutex:
            return super().query(statement, params)

    def close(self) -> None:
        """Keep the data: the connection is closed when the object is dropped."""
