"""Directory import: idempotent, change-recording, reference-checking."""

from __future__ import annotations

import pytest

from domain.application import LedgerApplication
from domain.errors import InvalidError
from tests.factories import Clock, oid, pid, position, ward_directory


@pytest.fixture
def empty(clock: Clock) -> LedgerApplication:
    return LedgerApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)


def log_size(app: LedgerApplication) -> int:
    return app.recorder.max_notification_id() or 0


def test_importing_the_same_file_twice_records_nothing_new(empty: LedgerApplication) -> None:
    first = empty.import_directory(ward_directory(), "t")
    assert (
        first["organisations_registered"],
        first["people_registered"],
        first["positions_assigned"],
        first["events"],
    ) == (4, 8, 9, 30)
    size = log_size(empty)
    second = empty.import_directory(ward_directory(), "t")
    assert second["events"] == 0
    assert log_size(empty) == size


def test_a_changed_position_records_only_the_change(app: LedgerApplication, clock: Clock) -> None:
    size = log_size(app)
    ended = clock().date()
    report = app.import_directory(
        {
            "positions": [
                position("pho-1", "ben-thanh-ubnd", "deputy", title="Phó Chủ tịch", valid_to=ended)
            ]
        },
        "t",
    )
    assert (report["positions_changed"], report["events"]) == (1, 1)
    assert log_size(app) == size + 1
    org = app.get_organisation(oid("ben-thanh-ubnd"))
    deputy = next(p for p in org["positions"] if p["person_id"] == pid("pho-1"))
    assert deputy["valid_to"] == ended


def test_a_renamed_organisation_records_the_new_name(app: LedgerApplication) -> None:
    directory = ward_directory()
    ward = {**directory["organisations"][2], "name": "UBND phường Bến Thành (mới)"}
    report = app.import_directory({"organisations": [ward]}, "t")
    assert (report["organisations_changed"], report["events"]) == (1, 1)
    assert app.get_organisation(oid("ben-thanh-ubnd"))["name"] == "UBND phường Bến Thành (mới)"


def test_a_reference_to_an_unknown_organisation_is_refused_and_nothing_recorded(
    app: LedgerApplication,
) -> None:
    size = log_size(app)
    with pytest.raises(InvalidError, match="unknown organisation 'nowhere'"):
        app.import_directory({"positions": [position("can-bo", "nowhere", "staff")]}, "t")
    assert log_size(app) == size


def test_a_person_lists_positions_across_organisations(app: LedgerApplication) -> None:
    person = app.get_person(pid("tp-chu-tich"))
    assert sorted((p["role"], p["organisation_id"]) for p in person["positions"]) == sorted(
        [("head", oid("hcm-ubnd")), ("party_committee", oid("hcm-thanh-uy"))]
    )
