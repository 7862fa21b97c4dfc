"""Where the events live: one DATABASE_URL, translated here and only here.

`sqlite:///relative/path`, `sqlite:////absolute/path` or
`postgresql://user[:password]@host[:port]/dbname`, with an optional PostgreSQL schema.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack
from urllib.parse import unquote, urlsplit

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from psycopg import errors, sql

from projections.group_commit import GroupCommitRecorder

# Every table the views and the service own (kept here so `drop_all` needs no view imports).
VIEW_TABLES = (
    "projection_tracking",
    "view_history",
    "view_deferred_indexes",
    "dir_organisations",
    "dir_people",
    "dir_positions",
    "iv_initiatives",
    "iv_people",
    "iv_clocks",
    "iv_cadre_facts",
    "iv_audit",
    "iv_counts",
    "iv_updated_max",
    "iv_counts_marks",
    "iv_unit_plans",
    "iv_unit_reviews",
    "iv_documents",
    "attachments",
    "ledger_leaves",
    "ledger_nodes",
    "ledger_checkpoints",
    "ledger_refused",
    "ledger_cosignatures",
    "ledger_verifications",
    "ledger_index_nodes",
    "idempotency_keys",
    "page_sessions",
    "rate_limits",
    "reminder_preferences",
    "reminder_sendings",
    "cal_calendars",
    "cal_days",
    "dashboard_answers",
)


class StorageConfigError(ValueError):
    """DATABASE_URL or the schema name cannot be used."""


# The oldest SQLite the service's statements run on: RETURNING (idempotency keys, rate limits,
# reminders) and MATERIALIZED common table expressions (the lists as of a past moment) came
# with 3.35; UPDATE ... FROM (projections/history.py `close`) with 3.33.
SQLITE_AT_LEAST = (3, 35, 0)


# TCP keepalives and a bound on unacknowledged data on every PostgreSQL connection: a peer or
# network that stops answering is found within about ten seconds (docs/reliability.md).
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
}
# A session that leaves a transaction open this long (its process lost the network, or hung)
# is ended by the server, so its locks cannot hold up everyone else.
IDLE_IN_TRANSACTION = 60
VERSIONS = "alembic_version"  # the schema's revision (migrations/)
NO_ANSWER_MARGIN = 3.0  # seconds past the statement timeout before a silent server is given up
RECONNECT_FOR = 5.0  # seconds eventsourcing's pool keeps retrying a lost connection


class NoAnswerError(psycopg.OperationalError):
    """The server did not answer within the statement timeout plus the margin."""


class BoundedConnection(psycopg.Connection[Any]):
    """A connection that gives up on a server that does not answer.

    `statement_timeout` bounds the server's work; this bounds the client's wait for any one
    answer to that timeout plus a margin, so a database behind a network (or proxy) that
    swallows packets answers an error, never a hang. The connection is closed (the protocol
    state is unknown) and the caller sees an OperationalError, which the service answers 503.
    """

    no_answer_after: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        """Consume `gen`, never longer than `no_answer_after` when no timeout is given."""
        limit = self.no_answer_after if timeout is None else timeout
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except errors._WaitTimeout:
            if timeout is not None:
                raise
            self.pgconn.finish()
            raise NoAnswerError(f"the database did not answer within {limit:g} s") from None


@functools.cache
def _bounded(seconds: float) -> type[BoundedConnection]:
    return type("BoundedConnection", (BoundedConnection,), {"no_answer_after": seconds or None})


def caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether `error`, or what caused it, is a `kind`."""
    seen: BaseException | None = error
    for _ in range(10):  # a chain of causes, never a loop
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def silent(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is a server that did not answer."""
    return caused_by(error, NoAnswerError)


def _retried_once(method: Any) -> Any:
    """eventsourcing's recorders try a failed statement ten times, 0.2 s apart: against a
    silent database that is ten bounded waits in one request. A second attempt on a fresh
    connection covers what the retries are for (a pooled connection broken while idle); a
    server that did not answer is not asked again in the same call (it stays silent: a second
    wait only delays the 503)."""
    attempt = getattr(method, "__wrapped__", method)

    @functools.wraps(attempt)
    def once_more(*args: Any, **kwargs: Any) -> Any:
        try:
            return attempt(*args, **kwargs)
        except (InterfaceError, OperationalError) as error:
            if silent(error):
                raise
            time.sleep(0.2)
            return attempt(*args, **kwargs)

    return once_more


class _Recorder(GroupCommitRecorder):
    """The event store's recorder: concurrent saves of a process committed together
    (projections/group_commit.py), each query tried once more on a fresh connection."""

    insert_events = _retried_once(GroupCommitRecorder.insert_events)
    select_events = _retried_once(PostgresApplicationRecorder.select_events)
    select_notifications = _retried_once(PostgresApplicationRecorder.select_notifications)
    max_notification_id = _retried_once(PostgresApplicationRecorder.max_notification_id)


class BoundedPostgresFactory(PostgresFactory):
    """eventsourcing's PostgreSQL infrastructure, its pool's connections opened like ours:
    keepalives, a bounded connection attempt (POSTGRES_CONNECT_TIMEOUT), the statement timeout
    (POSTGRES_STATEMENT_TIMEOUT, seconds), a bounded wait for each answer, and one retry
    instead of nine."""

    application_recorder_class = _Recorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        seconds = float(self.env.get("POSTGRES_STATEMENT_TIMEOUT") or 0)
        read_only = (self.env.get("POSTGRES_READ_ONLY") or "n") == "y"
        pool = self.datastore.pool
        pool.kwargs.update(_connection_options(seconds, read_only))  # type: ignore[union-attr]
        # The library uses its connect timeout only as the wait for a free connection: without
        # it in the connection's own arguments, psycopg gives an attempt 130 s. Against a
        # network that swallows packets, each of the pool's three workers then sat in one
        # attempt for two minutes, and once the database was back the pool could not open a
        # connection until they woke (requests: "couldn't get a connection after 2.00 sec").
        connect_timeout = max(1, round(float(self.env.get("POSTGRES_CONNECT_TIMEOUT") or 5)))
        pool.kwargs["connect_timeout"] = connect_timeout  # type: ignore[index]
        pool.connection_class = _connection_class(seconds)
        # A connection lost in an outage is retried with growing pauses (1, 2, 4… s) and its
        # place kept meanwhile; after RECONNECT_FOR seconds the place is given up instead, so
        # that once the database is back a request opens a connection at once rather than
        # waiting out a pause (psycopg's default keeps places for 5 minutes).
        pool.reconnect_timeout = RECONNECT_FOR


def _connection_options(statement_timeout: float, read_only: bool = False) -> dict[str, Any]:
    settings = [f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION * 1000}"]
    if statement_timeout > 0:
        settings.append(f"-c statement_timeout={max(1, round(statement_timeout * 1000))}")
    if read_only:  # a reader web node: every transaction read-only, whatever the server
        settings.append("-c default_transaction_read_only=on")
    return {**KEEPALIVES, "options": " ".join(settings)}


def _connection_class(statement_timeout: float) -> type[BoundedConnection]:
    return _bounded(statement_timeout + NO_ANSWER_MARGIN if statement_timeout > 0 else 0.0)


class PostgresSettings(TypedDict, total=False):
    """A PostgreSQL store's settings beyond its URL and schema: `Storage`'s fields (their
    defaults there)."""

    connect_timeout: int
    statement_timeout: float
    database_pool_size: int
    postgres_pool_size: int
    postgres_max_overflow: int
    read_only: bool


@dataclass(frozen=True)
class Storage:
    """A parsed DATABASE_URL and the eventsourcing settings it implies."""

    kind: str
    sqlite_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 5432
    dbname: str = ""
    user: str = ""
    password: str = ""
    schema: str = ""
    connect_timeout: int = 5
    statement_timeout: float = 0.0  # seconds; 0: none (maintenance commands, the worker)
    # Connections per process (docs/performance.md "Connections"): the views' and ledger's
    # pool (projections.db.Database, at most this many per Database object), and
    # eventsourcing's pool of the event store: this many kept open, up to the overflow more.
    # The threads bound how many it opens; the overflow's rest is room while connections lost
    # in an outage are being reopened in the background (minutes, eventsourcing's setting).
    database_pool_size: int = 4
    postgres_pool_size: int = 1
    postgres_max_overflow: int = 10
    # A reader web node's (LEDGER_NODE=reader): every PostgreSQL session is opened with
    # default_transaction_read_only, so that nothing it runs can write, even on a primary.
    read_only: bool = False

    @classmethod
    def from_url(cls, url: str, schema: str = "", **settings: Unpack[PostgresSettings]) -> Storage:
        """Parse `url`; raise StorageConfigError with the reason when it cannot be used. A
        SQLite store takes none of the `settings` (the defaults stand)."""
        parts = urlsplit(url)
        if parts.scheme == "sqlite":
            path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
            if not path:
                raise StorageConfigError("a SQLite URL looks like sqlite:///var/ledger.sqlite3")
            if sqlite3.sqlite_version_info < SQLITE_AT_LEAST:
                raise StorageConfigError(
                    f"SQLite {'.'.join(map(str, SQLITE_AT_LEAST))} or later is needed (RETURNING,"
                    f" MATERIALIZED, UPDATE ... FROM); this Python has {sqlite3.sqlite_version}:"
                    " use PostgreSQL or a Python built with a newer SQLite"
                )
            return cls(kind="sqlite", sqlite_path=Path(path))
        if parts.scheme in ("postgresql", "postgres"):
            dbname = parts.path.lstrip("/")
            if not dbname or not parts.hostname:
                raise StorageConfigError(
                    "a PostgreSQL URL looks like postgresql://user@host:5432/dbname"
                )
            if schema and not schema.replace("_", "").isalnum():
                raise StorageConfigError("the schema name may hold letters, digits and _ only")
            return cls(
                kind="postgresql",
                host=parts.hostname,
                port=parts.port or 5432,
                dbname=dbname,
                user=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                schema=schema,
                **settings,
            )
        raise StorageConfigError(f"unsupported database URL scheme '{parts.scheme}'")

    @property
    def events_table(self) -> str:
        """The event store's table (eventsourcing names it after the application on PG)."""
        return "stored_events" if self.kind == "sqlite" else "ledger_events"

    @property
    def snapshots_table(self) -> str:
        """The snapshot store's table."""
        return "stored_snapshots" if self.kind == "sqlite" else "ledger_snapshots"

    def describe(self) -> str:
        """A safe one-line description (no password)."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        schema = f" schema {self.schema}" if self.schema else ""
        read_only = " (read-only)" if self.read_only else ""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}{schema}{read_only}"

    def eventsourcing_env(self, create_tables: bool = False) -> dict[str, str]:
        """Environment for eventsourcing's infrastructure factory."""
        create = "y" if create_tables else "n"
        # Aggregates stay in memory between commands and are brought up to date with one
        # query of the events recorded since (fast-forward); a copy is handed out each time.
        cache = {
            "AGGREGATE_CACHE_MAXSIZE": os.environ.get("AGGREGATE_CACHE_MAXSIZE", "2000"),
            "AGGREGATE_CACHE_FASTFORWARD": "y",
            "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
        }
        if self.kind == "sqlite":
            assert self.sqlite_path is not None
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "10",
                "CREATE_TABLE": create,
                **cache,
            }
        env = {
            "PERSISTENCE_MODULE": "projections.storage:BoundedPostgresFactory",
            "POSTGRES_STATEMENT_TIMEOUT": str(self.statement_timeout),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": str(self.connect_timeout),
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(IDLE_IN_TRANSACTION),
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.postgres_max_overflow),
            # A broken pooled connection fails its query, which the library retries on a
            # fresh one; pinging before every use cost a round trip per read (docs/performance.md)
            "POSTGRES_PRE_PING": os.environ.get("POSTGRES_PRE_PING", "n"),
            "CREATE_TABLE": create,
            **cache,
        }
        if self.read_only:
            env["POSTGRES_READ_ONLY"] = "y"
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def connection_settings(self) -> tuple[type[BoundedConnection], dict[str, Any]]:
        """The class and keyword arguments of every connection of ours (`connect`, the views'
        pool): autocommit, keepalives, the statement timeout and the bounded wait."""
        kwargs: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "dbname": self.dbname,
            "user": self.user,
            "password": self.password or None,
            "connect_timeout": max(1, self.connect_timeout),
            "autocommit": True,
            **_connection_options(self.statement_timeout, self.read_only),
        }
        return _connection_class(self.statement_timeout), kwargs

    def connect(self) -> psycopg.Connection[Any]:
        """A plain PostgreSQL connection for DDL, the views and maintenance."""
        connection_class, kwargs = self.connection_settings()
        return connection_class.connect(**kwargs)

    def prepare(self) -> None:
        """Create what must exist before the event store: the SQLite folder, the PG schema."""
        if self.kind == "sqlite":
            assert self.sqlite_path is not None
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return
        if self.schema:
            with self.connect() as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
                )

    def drop_all(self) -> None:
        """Remove every table of this store (tests and `ledger reset` only)."""
        if self.kind == "sqlite":
            assert self.sqlite_path is not None
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        schema = self.schema or "public"
        with self.connect() as conn:
            if self.schema:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )
            else:
                for table in (self.events_table, self.snapshots_table, *VIEW_TABLES, VERSIONS):
                    conn.execute(
                        sql.SQL("DROP TABLE IF EXISTS {}.{}").format(
                            sql.Identifier(schema), sql.Identifier(table)
                        )
                    )
