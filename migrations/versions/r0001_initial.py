"""The schema of the last release before migrations (commit fda1a14), frozen.

Revision 0001 creates on an empty database what that release's `ledger migrate` created; a
database that release made is stamped at 0001 instead (migrations.upgrade checks it has these
tables and columns first), and a store that lost some of these tables gets them back, empty,
from `create` (when no later revision changed them). Nothing here may change, nor import
table definitions from the live modules: what changes later is a new revision.

The event store's own table (with, on PostgreSQL, its composite type, index and insert
function) is eventsourcing's: created with the library's recorder statements, on the
migration's connection. The views', the ledger's and the service's tables are defined once
below for both databases (with the column helpers of migrations/columns.py); the append-only
triggers are each database's own SQL.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any

import psycopg
import sqlalchemy as sa
from alembic import op
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from sqlalchemy.schema import CreateIndex, CreateTable

from migrations.columns import BIG, BOOL, BYTES, INT, TEXT, key, may, need

revision: str = "0001"
down_revision: str | None = None

# The event store's table, as eventsourcing names it for the application "Ledger", and its
# columns (the application recorder's; PostgreSQL numbers notifications in a column).
EVENTS = {"sqlite": "stored_events", "postgresql": "ledger_events"}
EVENT_COLUMNS = {
    "sqlite": ("originator_id", "originator_version", "topic", "state"),
    "postgresql": ("originator_id", "originator_version", "topic", "state", "notification_id"),
}
# The ledger's tables; with the event store, append-only (refusing triggers).
LEDGER = (
    "ledger_leaves",
    "ledger_nodes",
    "ledger_checkpoints",
    "ledger_refused",
    "ledger_cosignatures",
    "ledger_index_nodes",
)
LOCK_TIMEOUT = 5  # seconds, in eventsourcing's insert function (POSTGRES_LOCK_TIMEOUT then)


@functools.cache
def tables(dialect: str) -> sa.MetaData:
    """Every table but the event store's, with its indexes, for `dialect` (built once per
    process: not to be changed)."""
    meta = sa.MetaData()
    _views(meta)
    _ledger(meta)
    _service(meta, dialect)
    return meta


def _views(meta: sa.MetaData) -> None:
    sa.Table(
        "projection_tracking",
        meta,
        key("view", TEXT),
        need("position", BIG),
        need("updated_at", TEXT),
    )
    _directory(meta)
    _initiatives(meta)
    sa.Table(
        "iv_cadre_facts",
        meta,
        need("position", BIG),
        need("person_id", TEXT),
        need("initiative_id", TEXT),
        need("fact", TEXT),
        need("on_date", TEXT),
        sa.PrimaryKeyConstraint("position", "person_id", "fact"),
        sa.Index("iv_cadre_facts_person", "person_id", "on_date"),
    )
    sa.Table(
        "iv_audit",
        meta,
        key("position", BIG),
        need("aggregate_id", TEXT),
        need("aggregate_type", TEXT),
        need("version", INT),
        need("event_type", TEXT),
        need("recorded_at", TEXT),
        may("actor_person_id", TEXT),
        may("actor_name", TEXT),
        may("actor_role", TEXT),
        may("actor_organisation_id", TEXT),
        may("organisation_id", TEXT),
        may("request_id", TEXT),
        need("data", TEXT),
        sa.Index("iv_audit_org", "organisation_id", "position"),
        sa.Index("iv_audit_actor", "actor_person_id", "position"),
        sa.Index("iv_audit_type", "event_type", "position"),
        sa.Index("iv_audit_time", "recorded_at"),
        sa.Index("iv_audit_request", "request_id"),
    )


def _directory(meta: sa.MetaData) -> None:
    sa.Table(
        "dir_organisations",
        meta,
        key("id", TEXT),
        need("key", TEXT),
        need("name", TEXT),
        need("kind", TEXT),
        need("level", TEXT),
        may("superior_id", TEXT),
        may("party_committee_id", TEXT),
        may("successor_id", TEXT),
        may("valid_from", TEXT),
        may("valid_to", TEXT),
        need("details", TEXT),
        sa.Index("dir_organisations_key", "key", unique=True),
    )
    sa.Table(
        "dir_people",
        meta,
        key("id", TEXT),
        need("key", TEXT),
        need("full_name", TEXT),
        need("party_member", BOOL),
        need("details", TEXT),
        sa.Index("dir_people_key", "key", unique=True),
    )
    sa.Table(
        "dir_positions",
        meta,
        need("organisation_id", TEXT),
        need("key", TEXT),
        need("person_id", TEXT),
        need("role", TEXT),
        need("title", TEXT),
        need("valid_from", TEXT),
        may("valid_to", TEXT),
        sa.PrimaryKeyConstraint("organisation_id", "key"),
        sa.Index("dir_positions_person", "person_id"),
    )


def _initiatives(meta: sa.MetaData) -> None:
    sa.Table(
        "iv_initiatives",
        meta,
        key("id", TEXT),
        need("version", INT),
        need("position", BIG),
        need("title", TEXT),
        need("search", TEXT),
        need("regime", TEXT),
        need("status", TEXT),
        need("employing_organisation_id", TEXT),
        may("addressee_id", TEXT),
        may("authority_id", TEXT),
        may("parent_id", TEXT),
        may("approval_basis", TEXT),
        may("approved_on", TEXT),
        may("terms_start", TEXT),
        may("terms_end", TEXT),
        may("outcome", TEXT),
        may("recommended_measure", TEXT),
        may("determined_measure", TEXT),
        need("protection_mismatch", BOOL),
        need("protection_requested", BOOL),
        need("head_override", BOOL),
        need("outside_approval", BOOL),
        need("supervision_notes", INT),
        may("last_supervision_on", TEXT),
        need("created_at", TEXT),
        need("updated_at", TEXT),
        need("state", TEXT),
        sa.Index("iv_initiatives_org", "employing_organisation_id", "status"),
        sa.Index("iv_initiatives_addressee", "addressee_id", "status"),
        sa.Index("iv_initiatives_authority", "authority_id", "status"),
        sa.Index("iv_initiatives_status", "status", "updated_at"),
        sa.Index("iv_initiatives_updated", "updated_at", "id"),
        sa.Index("iv_initiatives_created", "created_at", "id"),
    )
    sa.Table(
        "iv_people",
        meta,
        need("initiative_id", TEXT),
        need("person_id", TEXT),
        need("relation", TEXT),
        sa.PrimaryKeyConstraint("initiative_id", "person_id", "relation"),
        sa.Index("iv_people_person", "person_id"),
    )
    open_or_late = sa.text("finished_on IS NULL OR finished_on > due_on")
    sa.Table(
        "iv_clocks",
        meta,
        need("initiative_id", TEXT),
        need("seq", INT),
        need("name", TEXT),
        need("organisation_id", TEXT),
        need("started_on", TEXT),
        need("due_on", TEXT),
        may("finished_on", TEXT),
        sa.PrimaryKeyConstraint("initiative_id", "seq"),
        sa.Index("iv_clocks_open", "finished_on", "due_on"),
        sa.Index("iv_clocks_org", "organisation_id", "name"),
        sa.Index(
            "iv_clocks_open_or_late",
            "organisation_id",
            "due_on",
            sqlite_where=open_or_late,
            postgresql_where=open_or_late,
        ),
    )
    sa.Table(
        "iv_counts",
        meta,
        need("organisation_id", TEXT),
        need("status", TEXT),
        need("outcome", TEXT),
        need("child", INT),
        need("n", BIG),
        sa.PrimaryKeyConstraint("organisation_id", "status", "outcome", "child"),
    )


def _ledger(meta: sa.MetaData) -> None:
    sa.Table(
        "ledger_leaves",
        meta,
        key("idx", BIG),
        need("position", BIG),
        need("aggregate_id", TEXT),
        need("version", INT),
        need("leaf_hash", BYTES),
        sa.Index("ledger_leaves_event", "aggregate_id", "version", unique=True),
        sa.Index("ledger_leaves_position", "position", unique=True),
    )
    sa.Table(
        "ledger_nodes",
        meta,
        need("level", INT),
        need("idx", BIG),
        need("hash", BYTES),
        sa.PrimaryKeyConstraint("level", "idx"),
    )
    sa.Table(
        "ledger_checkpoints",
        meta,
        key("size", BIG),
        need("root", BYTES),
        need("note", TEXT),
        need("created_at", TEXT),
    )
    sa.Table(
        "ledger_refused",
        meta,
        key("position", BIG),
        need("aggregate_id", TEXT),
        need("version", INT),
        need("reason", TEXT),
        need("found_at", TEXT),
    )
    sa.Table(
        "ledger_cosignatures",
        meta,
        need("size", BIG),
        need("witness", TEXT),
        need("line", TEXT),
        need("signed_at", BIG),
        need("received_at", TEXT),
        sa.PrimaryKeyConstraint("size", "witness"),
    )
    sa.Table(
        "ledger_index_nodes",
        meta,
        need("depth", INT),
        need("prefix", BYTES),
        need("size", BIG),
        need("hash", BYTES),
        may("entry_key", BYTES),
        may("version", BIG),
        may("idx", BIG),
        sa.PrimaryKeyConstraint("depth", "prefix", "size"),
    )
    sa.Table(
        "ledger_verifications",
        meta,
        need("verified_at", TEXT),
        need("ok", BOOL),
        need("events", BIG),
        need("leaves", BIG),
        need("checkpoints", BIG),
        need("problems", TEXT),
    )


def _service(meta: sa.MetaData, dialect: str) -> None:
    sa.Table(
        "idempotency_keys",
        meta,
        need("person_id", TEXT),
        need("key", TEXT),
        need("fingerprint", TEXT),
        may("status", INT),
        may("body", TEXT),
        may("headers", TEXT),
        need("created_at", TEXT),
        sa.PrimaryKeyConstraint("person_id", "key"),
        sa.Index("idempotency_keys_created", "created_at"),
    )
    sa.Table(
        "page_sessions",
        meta,
        key("id", TEXT),
        need("person_id", TEXT),
        need("positions", TEXT),
        need("created_at", TEXT),
        may("revoked_at", TEXT),
    )
    # Counters, not records: UNLOGGED on PostgreSQL (a crash may forget them).
    postgres = dialect == "postgresql"
    sa.Table(
        "rate_limits",
        meta,
        key("key", TEXT),
        need("count", BIG if postgres else INT),
        need("expires_at", sa.DOUBLE_PRECISION()),
        prefixes=["UNLOGGED"] if postgres else [],
    )


def upgrade() -> None:
    """Create the event store, every other table and the append-only triggers."""
    create(op.get_bind())


def create(bind: sa.Connection, only: Collection[str] = ()) -> None:
    """Create the whole schema; with `only`, just those tables (not the event store) with
    their indexes and triggers, empty: what `ledger migrate` recreates when a store has lost
    tables no later revision changed (migrations.upgrade). On PostgreSQL in one round trip;
    the statements are composed once per process."""
    dialect = bind.dialect
    names = only or tables(dialect.name).tables
    driver = bind.connection.driver_connection
    statements = [
        *(() if only else _event_store(dialect.name, driver)),
        *(statement for name in names for statement in _tables_ddl(dialect)[name]),
        *_triggers(dialect.name, (*(() if only else [EVENTS[dialect.name]]), *names)),
    ]
    if isinstance(driver, psycopg.Connection):
        driver.execute(";\n".join(statements))  # no parameters: one query, many statements
    else:
        for statement in statements:
            bind.exec_driver_sql(statement)


_compiled: dict[str, dict[str, tuple[str, ...]]] = {}


def _tables_ddl(dialect: sa.Dialect) -> dict[str, tuple[str, ...]]:
    """Each table's CREATE TABLE and CREATE INDEX, compiled once per process and database."""
    if dialect.name not in _compiled:
        _compiled[dialect.name] = {
            table.name: (
                str(CreateTable(table).compile(dialect=dialect)).strip(),
                *(
                    str(CreateIndex(index).compile(dialect=dialect))
                    for index in sorted(table.indexes, key=lambda i: str(i.name))
                ),
            )
            for table in tables(dialect.name).sorted_tables
        }
    return _compiled[dialect.name]


def _event_store(dialect: str, driver: Any) -> list[str]:
    if dialect == "sqlite":
        return _event_store_sqlite()
    assert isinstance(driver, psycopg.Connection)
    return _event_store_postgres(driver)


def _event_store_sqlite() -> list[str]:
    """eventsourcing's own statements (the library's table)."""
    recorder = SQLiteApplicationRecorder(SQLiteDatastore(":memory:"), EVENTS["sqlite"])
    return list(recorder.create_table_statements)


def _event_store_postgres(driver: psycopg.Connection[Any]) -> list[str]:
    """eventsourcing's own statements, for the migration's connection (in its transaction):
    no connection of the library's is opened."""
    schema = driver.execute("SELECT current_schema()").fetchone()
    assert schema is not None
    datastore = _Statements("", "", "", "", "", schema=schema[0], lock_timeout=LOCK_TIMEOUT)
    recorder = PostgresApplicationRecorder(datastore, events_table_name=EVENTS["postgresql"])
    statements = []
    for composed in recorder.sql_create_statements:
        statement = composed.as_string(driver)
        if "CREATE TYPE" in statement:
            # The type may outlive its table (a store dropped table by table).
            statement = (
                f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
        statements.append(statement.rstrip(";"))
    return statements


class _Statements(PostgresDatastore):
    """A datastore that only lets the recorder compose its statements: the recorder looks up
    its composite type as it is built, which would open a connection of the library's."""

    def register_type_adapters(self) -> None:
        """Nothing to look up: the type is about to be created."""


def _triggers(dialect: str, names: Collection[str]) -> list[str]:
    """The refusing triggers of the append-only tables among `names`."""
    protected = [name for name in (EVENTS[dialect], *LEDGER) if name in names]
    if not protected:
        return []
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}"
            f" BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: {action} refused'); END"
            for table in protected
            for action in ("UPDATE", "DELETE")
        ]
    statements = [
        "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME,"
        " TG_OP USING ERRCODE = 'insufficient_privilege'; END $$"
    ]
    for table in protected:
        statements += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
        ]
    return statements


def downgrade() -> None:
    """No way back from the first revision (drop the schema or the file instead)."""
    raise NotImplementedError("revision 0001 has no downgrade")
