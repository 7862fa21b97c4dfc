"""Where the events live: one DATABASE_URL, translated here and only here.

`sqlite:///relative/path`, `sqlite:////absolute/path` or
`postgresql://user[:password]@host[:port]/dbname`, with an optional PostgreSQL schema.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

# Every table the views own (kept here so `drop_all` needs no view imports).
VIEW_TABLES = (
    "projection_tracking",
    "dir_organisations",
    "dir_people",
    "dir_positions",
    "iv_initiatives",
    "iv_people",
    "iv_clocks",
    "iv_cadre_facts",
    "iv_audit",
    "iv_counts",
    "ledger_leaves",
    "ledger_nodes",
    "ledger_checkpoints",
    "ledger_refused",
    "ledger_cosignatures",
    "ledger_verifications",
    "ledger_index_nodes",
    "idempotency_keys",
    "page_sessions",
)


class StorageConfigError(ValueError):
    """DATABASE_URL or the schema name cannot be used."""


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

    @classmethod
    def from_url(cls, url: str, schema: str = "", connect_timeout: int = 5) -> Storage:
        """Parse `url`; raise StorageConfigError with the reason when it cannot be used."""
        parts = urlsplit(url)
        if parts.scheme == "sqlite":
            path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
            if not path:
                raise StorageConfigError("a SQLite URL looks like sqlite:///var/ledger.sqlite3")
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
                connect_timeout=connect_timeout,
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
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}{schema}"

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
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_CONNECT_TIMEOUT": str(self.connect_timeout),
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            # A broken pooled connection fails its query, which the library retries on a
            # fresh one; pinging before every use cost a round trip per read (docs/performance.md)
            "POSTGRES_PRE_PING": os.environ.get("POSTGRES_PRE_PING", "n"),
            "CREATE_TABLE": create,
            **cache,
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def connect(self) -> psycopg.Connection[tuple[object, ...]]:
        """A plain PostgreSQL connection for DDL and maintenance."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            dbname=self.dbname,
            user=self.user,
            password=self.password or None,
            connect_timeout=max(1, self.connect_timeout),
            autocommit=True,
        )

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
                for table in (self.events_table, self.snapshots_table, *VIEW_TABLES):
                    conn.execute(
                        sql.SQL("DROP TABLE IF EXISTS {}.{}").format(
                            sql.Identifier(schema), sql.Identifier(table)
                        )
                    )
