"""Snapshots are gone: a snapshot table edited behind the service's back changes nothing it
serves (docs/ledger.md §6). The previous release read snapshots, and served the edit."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.application import LedgerApplication
from domain.directory import Organisation
from domain.initiative import Initiative
from projections.db import Database
from projections.storage import Storage
from tests.factories import ACTS, Clock, Life, stored_application, ward_directory


class SnappyApplication(LedgerApplication):
    """The service as the previous release ran it: a snapshot every three events."""

    name = "Ledger"

    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Initiative: 3, Organisation: 3}


def test_an_edited_snapshot_is_never_served(storage: Storage, db: Database, clock: Clock) -> None:
    old = SnappyApplication(env=storage.eventsourcing_env(True), clock=clock, mapper=ACTS.mapper)
    service = stored_application(storage, clock)
    try:
        old.import_directory(ward_directory(), "test")
        life = Life(old, clock)
        life.to_approval()
        assert old.snapshots is not None
        latest = next(iter(old.snapshots.get(life.id, desc=True, limit=1)))
        assert (latest.originator_version, latest.state["status"]) == (6, "approved")
        # The insider's edit: the snapshot now says the initiative was rejected.
        forged = type(latest)(
            originator_id=latest.originator_id,
            originator_version=latest.originator_version,
            timestamp=latest.timestamp,
            topic=latest.topic,
            state={**latest.state, "status": "rejected"},
        )
        stored = old.mapper.to_stored_event(forged)
        with db.transaction() as tx:
            tx.execute(
                f"UPDATE {storage.snapshots_table} SET state = ? WHERE originator_id = ?"
                " AND originator_version = ?",
                (stored.state, life.id.hex if db.kind == "sqlite" else str(life.id), 6),
            )
        fresh_old = SnappyApplication(env=storage.eventsourcing_env(), mapper=ACTS.mapper)
        try:
            assert fresh_old.get_initiative(life.id)["status"] == "rejected"  # the old hole
        finally:
            fresh_old.close()
        assert service.snapshots is None
        assert service.get_initiative(life.id)["status"] == "approved"
        assert service.get_initiative(life.id, version=latest.originator_version)["status"] == (
            "approved"
        )
    finally:
        service.close()
        old.close()
