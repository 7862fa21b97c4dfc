"""The same application scenarios on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from domain.application import LedgerApplication
from domain.errors import ConcurrentWriteError, ForbiddenError
from domain.values import Actor
from domain.vocabulary import Role
from projections.storage import Storage
from tests.factories import Clock, Scenario, oid, pid, stored_application
from web.service import migrate


def test_the_proposal_path_round_trips_through_the_store(
    storage: Storage, stored_app: LedgerApplication, clock: Clock
) -> None:
    scenario = Scenario(stored_app, clock)
    assert scenario.to_approval() == 6
    fresh = stored_application(storage, clock)
    try:
        state = fresh.get_initiative(scenario.id)
        history = fresh.get_history(scenario.id)
    finally:
        fresh.close()
    assert state["status"] == "approved"
    assert state["proposal"]["necessity"].startswith("Thủ tục cấp phép")
    assert state["approval"]["assignee_ids"] == [pid("can-bo")]
    assert [h["version"] for h in history] == [1, 2, 3, 4, 5, 6]
    assert history[5]["actor"]["name"] == "Nguyễn Thị Hồng"
    assert history[5]["recorded_at"] == clock()


def test_a_refusal_records_nothing_in_the_store(
    stored_app: LedgerApplication, clock: Clock
) -> None:
    scenario = Scenario(stored_app, clock)
    scenario.to_review()
    scenario.party_opinion()
    scenario.meeting({"chu-tich": "for", "pho-1": "for"})
    head = stored_app.recorder.max_notification_id()
    with pytest.raises(ForbiddenError):
        scenario.approve(by="can-bo")
    assert stored_app.recorder.max_notification_id() == head


def test_two_writers_on_one_version_record_one_event(
    storage: Storage, stored_app: LedgerApplication, clock: Clock
) -> None:
    scenario = Scenario(stored_app, clock)
    scenario.draft()
    actor = Actor(pid("can-bo"), "Phạm Đức Dũng", Role.STAFF, oid("ben-thanh-ubnd"))
    other = stored_application(storage, clock)
    try:
        first = stored_app.repository.get(scenario.id)
        second = other.repository.get(scenario.id)
        first.withdraw(actor, scenario.as_("can-bo"), "Một")
        second.withdraw(actor, scenario.as_("can-bo"), "Hai")
        stored_app._save(first)
        with pytest.raises(ConcurrentWriteError):
            other._save(second)
    finally:
        other.close()
    history = stored_app.get_history(scenario.id)
    assert [(h["version"], h["data"].get("reason")) for h in history] == [(1, None), (2, "Một")]


def test_migrate_is_idempotent(storage: Storage) -> None:
    migrate(storage)
    migrate(storage)
    app = stored_application(storage)
    try:
        assert app.recorder.max_notification_id() in (0, None)
    finally:
        app.close()
