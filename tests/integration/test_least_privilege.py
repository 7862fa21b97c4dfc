"""Least privilege on PostgreSQL: `ledger migrate` runs as the owner and grants the service's
role only what it needs; that role runs the whole service, and cannot disable the triggers,
change or delete the record, or drop it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest

from domain.application import LedgerApplication
from projections import parallel
from projections.db import Database
from projections.ledger.check import verify_log
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer
from projections.storage import Storage
from projections.worker import Worker, all_views, positions, rebuildable
from tests.conftest import PG_URL, require_postgres
from tests.factories import Clock, Life
from tests.integration.test_views import dump
from web.service import migrate

pytestmark = pytest.mark.postgres


@pytest.fixture
def storage() -> Iterator[Storage]:
    """A schema migrated by the owner, as seen by the service's role: the store of this
    module's `stored_app` and `db` (in place of conftest's)."""
    require_postgres()
    owner = Storage.from_url(PG_URL, schema=f"test_{uuid.uuid4().hex[:12]}")
    role = f"svc_{uuid.uuid4().hex[:10]}"
    with owner.connect() as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        migrate(owner, service_role=role)
        yield replace(owner, user=role)
    finally:
        owner.drop_all()
        with owner.connect() as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


REFUSED = [
    ("ALTER TABLE ledger_events DISABLE TRIGGER ALL", "must be owner"),
    ("ALTER TABLE ledger_leaves DISABLE TRIGGER ALL", "must be owner"),
    ("UPDATE ledger_events SET topic = topic", "permission denied"),
    ("DELETE FROM ledger_events", "permission denied"),
    ("UPDATE ledger_leaves SET idx = idx", "permission denied"),
    ("DELETE FROM ledger_checkpoints", "permission denied"),
    ("DELETE FROM ledger_verifications", "permission denied"),
    ("DROP TABLE ledger_nodes", "must be owner"),
    ("TRUNCATE ledger_events", "append-only"),
]


def test_the_service_role_runs_the_service_and_cannot_change_the_record(
    stored_app: LedgerApplication, db: Database, clock: Clock
) -> None:
    life = Life(stored_app, clock)
    life.to_approval()
    Worker(stored_app, db).catch_up()
    signer = Signer.generate("ledger.example/test")
    assert Checkpointer(db, signer, "ledger.example/test", 0).issue() is not None
    assert verify_log(stored_app, db, signer.verifier).ok
    assert stored_app.get_initiative(life.id)["status"] == "approved"
    for statement, error in REFUSED:
        with pytest.raises(psycopg.Error, match=error), db.transaction() as tx:
            tx.execute(statement)


def test_the_service_role_rebuilds_in_partitions_keeping_the_indexes_it_cannot_drop(
    stored_app: LedgerApplication, db: Database, clock: Clock
) -> None:
    for _ in range(3):
        Life(stored_app, clock).to_approval()
    Worker(stored_app, db).catch_up()
    views = rebuildable(all_views())
    before, indexes = dump(db), _indexes(db)
    head = stored_app.recorder.max_notification_id()
    assert parallel.rebuild(stored_app, db, views, 2) == head
    assert dump(db) == before
    assert _indexes(db) == indexes  # none dropped: the role owns no table
    assert db.query("SELECT COUNT(*) AS n FROM view_deferred_indexes") == [{"n": 0}]
    assert set(positions(db, all_views()).values()) == {head}


def _indexes(db: Database) -> list[dict[str, object]]:
    return db.query(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " ORDER BY indexname"
    )
