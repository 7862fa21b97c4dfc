"""Connections for the read models: one small interface over sqlite3 and psycopg.

SQL in `projections/` is written once with `?` placeholders and the subset of SQL both
engines share (`INSERT … ON CONFLICT … DO UPDATE`, `CREATE TABLE IF NOT EXISTS`); PostgreSQL
statements get `%s` placeholders here.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import psycopg
from psycopg import sql

from projections.storage import Storage

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


class _SqliteTx:
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


class _PgTx:
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
            names = [d.name for d in cursor.description or ()]
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
        raise RuntimeError("views do not read while applying a batch")

    def run(self, tx: Tx) -> None:
        """Replay the recorded writes in `tx`."""
        for name, args in self.steps:
            getattr(tx, name)(*args)


class StorageUnavailableError(Exception):
    """The database cannot be reached or is busy; nothing was written (answered 503)."""


class Database:
    """Transactions and reads on the views' database (the event store's database)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.kind = storage.kind
        self._local = threading.local()

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

    def _pg(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "pg", None)
        if conn is None or conn.closed:
            conn = self.storage.connect()
            if self.storage.schema:
                conn.execute(
                    sql.SQL("SET search_path TO {}").format(sql.Identifier(self.storage.schema))
                )
            self._local.pg = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One atomic unit of work: everything in it commits together or not at all."""
        try:
            with self._transaction() as tx:
                yield tx
        except (psycopg.OperationalError, psycopg.InterfaceError, sqlite3.OperationalError) as e:
            self._forget_broken()
            raise StorageUnavailableError(str(e)) from e

    def _forget_broken(self) -> None:
        """Drop this thread's PostgreSQL connection after an error; the next use reconnects."""
        conn = getattr(self._local, "pg", None)
        if conn is not None:
            try:
                conn.close()
            finally:
                self._local.pg = None

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
        pg = self._pg()
        with pg.transaction():
            yield _PgTx(pg)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Read rows outside any write transaction."""
        try:
            if self.kind == "sqlite":
                return _SqliteTx(self._sqlite()).query(statement, params)
            pg = self._pg()
            with pg.transaction():
                return _PgTx(pg).query(statement, params)
        except (psycopg.OperationalError, psycopg.InterfaceError, sqlite3.OperationalError) as e:
            self._forget_broken()
            raise StorageUnavailableError(str(e)) from e

    def close(self) -> None:
        """Close this thread's connection."""
        for name in ("conn", "pg"):
            conn = getattr(self._local, name, None)
            if conn is not None:
                conn.close()
                setattr(self._local, name, None)


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
