"""Snapshots never change a past answer: every version reads the same with and without them."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.application import LedgerApplication
from domain.directory import Organisation
from domain.initiative import Initiative
from domain.queries import describe_initiative
from projections.storage import Storage
from tests.factories import Clock, Life, oid, oversight_directory, ward_directory


class SnappyApplication(LedgerApplication):
    """The service with a snapshot every three events (same tables: same name)."""

    name = "Ledger"

    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Initiative: 3, Organisation: 3}


def replayed(app: LedgerApplication, aggregate_id: Any, version: int) -> Any:
    """The aggregate at `version` from its events alone."""
    aggregate = None
    for event in app.events.get(aggregate_id, lte=version):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    return aggregate


def test_every_past_version_is_the_same_with_snapshots(storage: Storage, clock: Clock) -> None:
    app = SnappyApplication(env=storage.eventsourcing_env(), clock=clock)
    try:
        app.import_directory(ward_directory(), "test")
        app.import_directory(oversight_directory(), "test")
        life = Life(app, clock)
        life.to_approval()
        life.start()
        obstacle = life.cmd("raise_obstacle", "can-bo", obstacle="Thiếu máy")
        life.cmd("resolve_obstacle", "chu-tich", obstacle_version=obstacle, measure="Mua máy")
        request = life.cmd(
            "request_adjustment", "can-bo", changes={"scope": "Hai khu phố"}, reason="Mở rộng"
        )
        life.cmd(
            "approve_adjustment", "chu-tich", request_version=request, decision_document="QĐ 9"
        )
        life.complete()
        life.report()
        life.evaluate()
        snapshots = list(app.snapshots.get(life.id)) if app.snapshots else []
        assert len(snapshots) >= 5
        today = clock().date()
        current = app.repository.get(life.id)
        for version in range(1, current.version + 1):
            with_snapshots = app.repository.get(life.id, version=version)
            assert describe_initiative(with_snapshots, today, app.calendar) == (
                describe_initiative(replayed(app, life.id, version), today, app.calendar)
            ), f"version {version} differs"
        ward = app.repository.get(oid("ben-thanh-ubnd"))
        assert ward.positions == replayed(app, ward.id, ward.version).positions
        assert app.get_initiative(life.id)["adjustments"][0]["status"] == "approved"
    finally:
        app.close()
