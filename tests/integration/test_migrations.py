"""Versioned schema migrations (migrations/): `ledger migrate` upgrades a database the previous
release made (kept in tests/data/previous_release/, README there), creates a fresh one with
the same schema, does nothing the second time, refuses what it does not recognise, and runs
once at a time."""

from __future__ import annotations

import gzip
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.pool import NullPool

import migrations
from domain.application import LedgerApplication
from domain.errors import ConflictError
from migrations import FIRST
from projections.db import Database, MemoryDatabase
from projections.history import history_since
from projections.ledger.acts import ActKeys
from projections.ledger.check import verify_log
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer
from projections.storage import Storage
from projections.worker import Worker, all_views, create_view_tables, rebuildable, reset_views
from tests.concurrency import AtOnce
from tests.conftest import BACKENDS, ORIGIN, PG_URL, migrated, require_postgres
from tests.factories import Clock, Scenario, grounds
from web.cli import main
from web.service import migrate

PREVIOUS = Path(__file__).parent.parent / "data" / "previous_release"
DUMPED_SCHEMA = "ledger_previous_release"  # the schema's name in postgres.sql.gz


def new_store(backend: str, tmp_path: Path) -> Storage:
    """An empty store: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        return Storage.from_url(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}")
    require_postgres()
    return Storage.from_url(PG_URL, schema=f"test_{uuid.uuid4().hex[:12]}")


@contextmanager
def empty_store(backend: str, tmp_path: Path) -> Iterator[Storage]:
    """A new store (`new_store`), dropped afterwards."""
    store = new_store(backend, tmp_path)
    store.drop_all()
    try:
        yield store
    finally:
        store.drop_all()


def backend_of(storage: Storage) -> str:
    """The backend of a store, as `empty_store` names it."""
    return "sqlite" if storage.kind == "sqlite" else "postgres"


def restore_previous_release(storage: Storage) -> None:
    """Put a copy of the previous release's database in `storage` (the kept files unchanged)."""
    if storage.kind == "sqlite":
        assert storage.sqlite_path is not None
        shutil.copyfile(PREVIOUS / "ledger.sqlite3", storage.sqlite_path)
        return
    dump = gzip.decompress((PREVIOUS / "postgres.sql.gz").read_bytes()).decode("utf-8")
    # psql's own commands (\restrict …) are not SQL; the rest is, schema name aside.
    script = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    with storage.connect() as conn:
        conn.execute(script.replace(DUMPED_SCHEMA, storage.schema).encode())


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """An empty store on each backend, migrated from nothing; dropped afterwards."""
    with migrated(request.param, tmp_path) as store:
        yield store


@pytest.fixture(params=BACKENDS)
def previous(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """A copy of the database the previous release made, not migrated yet."""
    with empty_store(request.param, tmp_path) as store:
        restore_previous_release(store)
        yield store


def ledger_migrate(storage: Storage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """`ledger migrate` on `storage`, as an operator runs it."""
    if storage.kind == "sqlite":
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{storage.sqlite_path}")
        monkeypatch.delenv("DATABASE_SCHEMA", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", PG_URL)
        monkeypatch.setenv("DATABASE_SCHEMA", storage.schema)
    monkeypatch.setenv("DEV_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv("JWT_SECRET", raising=False)
    return CliRunner().invoke(main, ["migrate"])


def engine(storage: Storage) -> sa.Engine:
    """A plain SQLAlchemy engine on the store, to inspect it."""
    if storage.kind == "sqlite":
        return sa.create_engine(f"sqlite:///{storage.sqlite_path}", poolclass=NullPool)
    url = f"postgresql+psycopg://{storage.user}@{storage.host}:{storage.port}/{storage.dbname}"
    return sa.create_engine(url, poolclass=NullPool)


@contextmanager
def altering(storage: Storage) -> Iterator[sa.Connection]:
    """A transaction on the store (in its schema), committed at the end."""
    eng = engine(storage)
    try:
        with eng.begin() as conn:
            if storage.schema:
                conn.execute(sa.text(f'SET LOCAL search_path TO "{storage.schema}"'))
            yield conn
    finally:
        eng.dispose()


def shape(storage: Storage) -> dict[str, Any]:
    """Everything the schema is made of, by name: each table's columns (type, nullable), key
    and indexes; the triggers; on PostgreSQL the functions and types too."""
    schema = storage.schema or None
    eng = engine(storage)
    try:
        with eng.connect() as conn:
            inspector = sa.inspect(conn)
            columns = inspector.get_multi_columns(schema=schema)
            keys = inspector.get_multi_pk_constraint(schema=schema)
            indexes = inspector.get_multi_indexes(schema=schema)
            tables = {
                table: {
                    "columns": [
                        (c["name"], str(c["type"]), c["nullable"]) for c in columns[(s, table)]
                    ],
                    "key": keys[(s, table)]["constrained_columns"],
                    "indexes": sorted(
                        (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                        for i in indexes[(s, table)]
                    ),
                }
                for (s, table) in columns
            }
            return {"tables": tables, **_objects(conn, storage)}
    finally:
        eng.dispose()


def _objects(conn: sa.Connection, storage: Storage) -> dict[str, list[Any]]:
    """Triggers and index definitions (partial ones' conditions too); on PostgreSQL also the
    functions, composite types, and each table's persistence (UNLOGGED) and options."""
    if storage.kind == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index')"
            " AND sql IS NOT NULL"
        )
        found = sorted(tuple(row) for row in rows)
        return {
            "triggers": [name for kind, name, _ in found if kind == "trigger"],
            # as written, but for the quotes SQLAlchemy puts around a name such as "key"
            "index definitions": [
                (name, sql.replace('"', "")) for kind, name, sql in found if kind == "index"
            ],
        }
    namespace = "JOIN pg_namespace n ON n.oid = {}.{} WHERE n.nspname = :s"
    queries = {
        "triggers": "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        + namespace.format("c", "relnamespace"),
        "functions": "SELECT proname FROM pg_proc p " + namespace.format("p", "pronamespace"),
        "types": "SELECT typname FROM pg_type t "
        + namespace.format("t", "typnamespace")
        + " AND t.typtype = 'c' AND t.typrelid IN (SELECT oid FROM pg_class WHERE relkind = 'c')",
        "index definitions": "SELECT replace(indexdef, :s || '.', '') FROM pg_indexes"
        " WHERE schemaname = :s",
        "tables": "SELECT relname || ' ' || relpersistence::text || ' '"
        " || coalesce(array_to_string(reloptions, ','), '') FROM pg_class c "
        + namespace.format("c", "relnamespace")
        + " AND relkind = 'r'",
    }
    return {
        what if what != "tables" else "persistence": sorted(
            conn.execute(sa.text(query), {"s": storage.schema}).scalars()
        )
        for what, query in queries.items()
    }


def version(storage: Storage) -> list[str]:
    """The revisions recorded in the store's version table."""
    eng = engine(storage)
    try:
        with eng.connect() as conn:
            table = sa.table("alembic_version", sa.column("version_num"))
            table.schema = storage.schema or None
            return list(conn.execute(sa.select(table.c.version_num)).scalars())
    finally:
        eng.dispose()


def keys() -> tuple[ActKeys, Signer]:
    """The test keys the previous release's records were signed with (act, checkpoint)."""
    acts = Signer.parse((PREVIOUS / "act-key").read_text(encoding="ascii"))
    return ActKeys.of(acts), Signer.parse((PREVIOUS / "ledger-key").read_text(encoding="ascii"))


@contextmanager
def opened(store: Storage) -> Iterator[tuple[LedgerApplication, Database, Clock]]:
    """The application (reading the previous release's records with their act key), the
    views and the clock of an upgraded store; closed afterwards."""
    acts, _ = keys()
    clock = Clock()
    app = LedgerApplication(env=store.eventsourcing_env(), clock=clock, mapper=acts.mapper)
    db = Database(store)
    try:
        yield app, db, clock
    finally:
        db.close()
        app.close()


# --- the previous release's database --------------------------------------------------------


def test_ledger_migrate_upgrades_the_previous_release_and_its_ledger_still_verifies(
    previous: Storage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = ledger_migrate(previous, monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("migrated ")
    assert version(previous) == [migrations.head()]
    indexes = sa.inspect(engine(previous)).get_indexes(
        "ledger_verifications", schema=previous.schema or None
    )
    assert [i["name"] for i in indexes] == ["ledger_verifications_time"]

    _, signer = keys()
    with opened(previous) as (app, db, clock):
        (row,) = db.query("SELECT id, status, position FROM iv_initiatives")
        assert row["status"] == "submitted"
        initiative = app.repository.get(UUID(row["id"]))
        assert initiative.status.value == "submitted"
        assert verify_log(app, db, signer.verifier).ok

        # The upgraded store takes new records: sealed, checkpointed, verified with the old.
        clock.advance(hours=1)
        scenario = Scenario(app, clock)
        scenario.id = initiative.id
        scenario.receive()
        Worker(app, db).catch_up()
        assert Checkpointer(db, signer, ORIGIN, 0).issue() is not None
        report = verify_log(app, db, signer.verifier)
        assert report.ok, report.problems
        assert report.events == (app.recorder.max_notification_id() or 0)
        # The view keeps history now: the row the upgrade found, closed by the new event;
        # the history starts where the upgrade found the view (before it: the replay).
        head = app.recorder.max_notification_id()
        (since,) = db.query("SELECT since FROM view_history WHERE view = 'initiatives'")
        assert db.query(
            "SELECT status, from_position, to_position FROM iv_initiatives ORDER BY from_position"
        ) == [
            {"status": "submitted", "from_position": row["position"], "to_position": head},
            {"status": "under_review", "from_position": head, "to_position": None},
        ]
        assert 0 < row["position"] <= since["since"] < head
        assert history_since(db) == since["since"]
        # A rebuild (`ledger projections rebuild`) gives the views their whole history.
        reset_views(db, rebuildable(all_views()))
        assert history_since(db) == 0
        Worker(app, db).catch_up()
        versions = db.query("SELECT status FROM iv_initiatives ORDER BY from_position")
        assert [v["status"] for v in versions] == ["draft", "submitted", "under_review"]


def test_the_previous_releases_proposal_is_approved_once_amended_with_its_grounds(
    previous: Storage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Its proposal was submitted without the declaration of grounds (docs/domain.md §5.13):
    it loads and is served as stored; its approval waits for the proposer's amendment."""
    assert ledger_migrate(previous, monkeypatch, tmp_path).exit_code == 0
    with opened(previous) as (app, db, clock):
        (row,) = db.query("SELECT id FROM iv_initiatives")
        clock.advance(hours=1)
        scenario = Scenario(app, clock)
        scenario.id = UUID(row["id"])
        assert "grounds_in_practice" not in app.get_initiative(scenario.id)["proposal"]
        scenario.receive()
        scenario.party_opinion()
        scenario.meeting({"chu-tich": "for", "pho-1": "for"})
        with pytest.raises(ConflictError, match="carries no declaration of grounds"):
            scenario.approve()
        app.amend(scenario.as_("can-bo"), scenario.id, None, changes=grounds())
        scenario.party_opinion()
        scenario.meeting({"chu-tich": "for", "pho-1": "for"})
        scenario.approve()
        state = app.get_initiative(scenario.id)
        assert (state["status"], state["approval"]["grounds_confirmed"]) == ("approved", True)
        assert state["proposal"]["grounds_in_science"] == grounds()["grounds_in_science"]


def test_a_fresh_store_has_the_schema_of_an_upgraded_previous_release(
    fresh: Storage, tmp_path: Path
) -> None:
    with empty_store(backend_of(fresh), tmp_path) as upgraded:
        restore_previous_release(upgraded)
        migrate(upgraded)
        made, converted = shape(fresh), shape(upgraded)
    assert set(made["tables"]) == set(converted["tables"])
    for table in made["tables"]:
        assert made["tables"][table] == converted["tables"][table], table
    assert made == converted
    assert "ledger_verifications_time" in str(made["tables"]["ledger_verifications"])


def test_migrating_twice_changes_nothing(previous: Storage) -> None:
    migrate(previous)
    before = shape(previous)
    assert migrations.upgrade(previous) == f"at {migrations.head()} already"
    migrate(previous)
    assert shape(previous) == before
    assert version(previous) == [migrations.head()]


@pytest.mark.parametrize("backend", BACKENDS)
def test_revision_0017_keeps_people_and_plans_as_versions_from_where_their_views_stood(
    backend: str, tmp_path: Path
) -> None:
    """The rows there become the current versions, held from their view's position; each
    view's history starts there (never earlier than it already did); a closed version and a
    current one of the same key may then be written."""
    with empty_store(backend, tmp_path) as store:
        migrations.upgrade(store, to="0016")
        with altering(store) as conn:
            for statement in (
                "INSERT INTO projection_tracking (view, position, updated_at) VALUES"
                " ('directory', 40, 't'), ('unit_plans', 30, 't'), ('initiatives', 50, 't')",
                # the directory's history started at 0 (rebuilt); the plans' is said to start
                # after their view's position (never moved back); the initiatives' later
                "INSERT INTO view_history (view, since) VALUES ('directory', 0),"
                " ('unit_plans', 35), ('initiatives', 45)",
                "INSERT INTO dir_people (id, key, full_name, party_member, details)"
                " VALUES ('p1', 'can-bo', 'Phạm Đức Dũng', TRUE, '{}')",
                "INSERT INTO iv_unit_plans (organisation_id, period, plan_id, version, position,"
                " targets, responsible_person_ids, summary, revisions, recorded_at, updated_at)"
                " VALUES ('o1', '2026', 'x', 2, 29, '[]', '[]', 's', 1, 't', 't')",
            ):
                conn.execute(sa.text(statement))
        migrations.upgrade(store)
        db = Database(store)
        try:
            people = db.query("SELECT key, from_position, to_position FROM dir_people")
            assert people == [{"key": "can-bo", "from_position": 40, "to_position": None}]
            plans = db.query("SELECT version, from_position, to_position FROM iv_unit_plans")
            assert plans == [{"version": 2, "from_position": 30, "to_position": None}]
            since = db.query("SELECT view, since FROM view_history ORDER BY view")
            assert [(r["view"], int(r["since"])) for r in since] == [
                ("directory", 40),
                ("initiatives", 45),
                ("unit_plans", 35),
            ]
            assert history_since(db) == 45
            with db.transaction() as tx:  # a version closed, its successor current
                tx.execute("UPDATE dir_people SET to_position = 41 WHERE key = 'can-bo'")
                tx.execute(
                    "INSERT INTO dir_people (id, key, full_name, party_member, details,"
                    " from_position) VALUES ('p1', 'can-bo', 'Trần Thị Cán Bộ', TRUE, '{}', 41)"
                )
            with pytest.raises(Exception, match=r"(?i)unique|duplicate"), db.transaction() as tx:
                tx.execute(  # but two current rows of one key: refused
                    "INSERT INTO dir_people (id, key, full_name, party_member, details,"
                    " from_position) VALUES ('p2', 'can-bo', 'Ai đó', TRUE, '{}', 42)"
                )
        finally:
            db.close()


def test_a_store_at_an_older_revision_is_upgraded(fresh: Storage, tmp_path: Path) -> None:
    whole = shape(fresh)
    with empty_store(backend_of(fresh), tmp_path) as store:  # as revision 0001 left it
        migrations.upgrade(store, to=FIRST)
        assert version(store) == [FIRST]
        assert migrations.upgrade(store) == f"upgraded from 0001 to {migrations.head()}"
        assert version(store) == [migrations.head()]
        assert shape(store) == whole


def test_each_revision_names_the_tables_it_changes(fresh: Storage, tmp_path: Path) -> None:
    """`alters` is what lets `ledger migrate` recreate a lost table from revision 0001: a
    revision that changes a table without naming it would have it recreated wrong."""
    revisions = [script.revision for script in migrations.scripts().walk_revisions()][::-1]
    with empty_store(backend_of(fresh), tmp_path) as store:
        migrations.upgrade(store, to=revisions[0])
        before = shape(store)["tables"]
        for revision in revisions[1:]:
            migrations.upgrade(store, to=revision)
            after = shape(store)["tables"]
            changed = {t for t in before.keys() & after.keys() if before[t] != after[t]}
            module = migrations.scripts().get_revision(revision).module
            on = getattr(module, "changes_on", ("sqlite", "postgresql"))
            assert changed == (set(module.alters) if fresh.kind in on else set()), revision
            before = after
    assert shape(fresh)["tables"] == before


def test_lost_tables_are_recreated_empty_with_their_triggers(fresh: Storage) -> None:
    """As before migrations: an insider (or an accident) drops the ledger's tables, and
    `ledger migrate` gives them back, empty and append-only, for the worker to reseal."""
    whole = shape(fresh)
    with altering(fresh) as conn:
        for table in ("ledger_leaves", "ledger_nodes", "ledger_checkpoints", "iv_audit"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
    outcome = migrations.upgrade(fresh)
    assert outcome.startswith("recreated iv_audit, ledger_checkpoints, ledger_leaves,")
    assert shape(fresh) == whole


def test_a_store_dropped_table_by_table_is_created_again(fresh: Storage) -> None:
    """`Storage.drop_all` without a schema drops the ledger's tables one by one: the version
    table it leaves behind does not stop `ledger migrate` from creating them again."""
    whole = shape(fresh)
    with altering(fresh) as conn:
        for table in whole["tables"]:
            if table != "alembic_version":
                conn.execute(sa.text(f"DROP TABLE {table}"))
    assert migrations.upgrade(fresh) == f"created at {migrations.head()}"
    assert shape(fresh) == whole


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failed_migration_leaves_the_store_as_it_was(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction (SQLite too): a revision that fails undoes those before it."""
    last = migrations.scripts().get_revision(migrations.head())
    assert last is not None

    def fail() -> None:
        raise RuntimeError("the revision fails")

    monkeypatch.setattr(last.module, "upgrade", fail)
    with empty_store(backend, tmp_path) as store:
        with pytest.raises(RuntimeError, match="the revision fails"):
            migrate(store)
        assert shape(store)["tables"] == {}


# --- what is refused ------------------------------------------------------------------------


def test_a_store_that_is_not_the_previous_release_is_refused_untouched(
    previous: Storage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with altering(previous) as conn:
        conn.execute(sa.text("DROP TABLE page_sessions"))
        conn.execute(sa.text("DROP TABLE rate_limits"))
    before = shape(previous)
    result = ledger_migrate(previous, monkeypatch, tmp_path)
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert "not page_sessions, rate_limits" in line
    assert "not a database the previous release made" in line
    assert shape(previous) == before


def test_a_previous_release_with_other_columns_is_refused(previous: Storage) -> None:
    with altering(previous) as conn:
        conn.execute(sa.text("ALTER TABLE iv_counts ADD COLUMN extra TEXT"))
    with pytest.raises(migrations.MigrationError, match="columns of iv_counts differ"):
        migrate(previous)
    assert "alembic_version" not in shape(previous)["tables"]


@pytest.mark.parametrize(
    ("table", "reason"),
    [("ledger_verifications", "changed since revision 0001"), (None, "lost its event store")],
)
def test_a_lost_table_that_cannot_be_recreated_is_refused(
    fresh: Storage, table: str | None, reason: str
) -> None:
    table = table or fresh.events_table
    with altering(fresh) as conn:
        conn.execute(sa.text(f"DROP TABLE {table}"))
    before = shape(fresh)
    with pytest.raises(migrations.MigrationError, match=reason):
        migrate(fresh)
    assert shape(fresh) == before


# --- at once, and the time-travel copies ------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_migrations_at_once_create_the_store_once(backend: str, tmp_path: Path) -> None:
    outcomes: list[str] = []
    with empty_store(backend, tmp_path) as store:
        AtOnce(lambda _: outcomes.append(migrations.upgrade(store)), range(2)).join(timeout=60)
        assert sorted(outcomes) == sorted(
            [f"created at {migrations.head()}", f"at {migrations.head()} already"]
        )
        assert version(store) == [migrations.head()]


def test_the_time_travel_copies_have_the_migrated_columns(tmp_path: Path) -> None:
    """The views' own `ddl` builds the in-memory copies (projections.asof): it must keep up
    with the revisions."""
    memory = MemoryDatabase()
    views = rebuildable(all_views())
    create_view_tables(memory, views)
    with empty_store("sqlite", tmp_path) as store:
        migrate(store)
        live = Database(store)
        try:
            for table in ("projection_tracking", *(t for view in views for t in view.tables)):
                query = f"SELECT name, type, pk FROM pragma_table_info('{table}') ORDER BY cid"
                assert memory.query(query) == live.query(query), table
        finally:
            live.close()
