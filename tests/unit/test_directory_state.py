"""The typed state of the directory: served as the dicts its events carry, kept in snapshots."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.application import LedgerApplication
from domain.directory import (
    Organisation,
    OrganisationDetails,
    Person,
    PersonDetails,
    Succession,
    position_from,
)
from domain.vocabulary import Level, OrganisationKind, SuccessionKind
from tests.factories import oid, pid, ward_directory


def changed_ward() -> dict[str, Any]:
    """The ward directory with a renamed and merged ward, new identifiers and ended positions."""
    ward = ward_directory()
    ward["organisations"][2].update(
        name="Phường Bến Thành (cũ)",
        valid_to=date(2026, 1, 1),
        succession=[
            {"relation": "merged_into", "organisation": "hcm-ubnd", "date": date(2026, 1, 2)}
        ],
    )
    ward["people"][0]["identifiers"] = {"cccd": "079123456789"}
    ward["people"][1]["party_member"] = False
    ward["positions"][1]["valid_to"] = date(2026, 1, 1)
    ward["positions"][2]["title"] = "Phó Chủ tịch thường trực"
    return ward


def folded(app: LedgerApplication, aggregate_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The details and positions as the plain dicts the events build (the untyped state)."""
    details: dict[str, Any] = {}
    positions: dict[str, dict[str, Any]] = {}
    for stored in app.events.get(aggregate_id):
        data = vars(stored)
        if "details" in data:
            details = dict(data["details"])
        elif "changes" in data and "key" not in data:
            details.update(data["changes"])
        elif "position" in data:
            positions[data["position"]["key"]] = dict(data["position"])
        elif "changes" in data:
            positions[data["key"]].update(data["changes"])
    return details, positions


def test_the_typed_state_is_served_as_the_dicts_the_events_build(app: LedgerApplication) -> None:
    app.import_directory(changed_ward(), "test")
    for entry in ward_directory()["organisations"]:
        org = app.repository.get(oid(entry["key"]))
        assert isinstance(org, Organisation)
        details, positions = folded(app, org.id)
        assert org.details.as_dict() == details
        assert list(org.details.as_dict()) == list(Organisation.DETAIL_FIELDS) == list(details)
        assert {k: p.as_dict() for k, p in org.positions.items()} == positions
    for entry in ward_directory()["people"]:
        person = app.repository.get(pid(entry["key"]))
        assert isinstance(person, Person)
        details, _ = folded(app, person.id)
        assert person.details.as_dict() == details
        assert list(person.details.as_dict()) == list(Person.DETAIL_FIELDS)
    ward = app.repository.get(oid("ben-thanh-ubnd"))
    assert ward.details.succession[0].relation is SuccessionKind.MERGED_INTO
    assert ward.positions["pho-1/deputy/2025-07-01"].valid_to == date(2026, 1, 1)
    assert not ward.exists_on(date(2026, 1, 2))


def test_details_are_typed_values() -> None:
    record = ward_directory()["organisations"][2] | {
        "valid_to": None,
        "succession": [
            {"relation": "merged_into", "organisation": "hcm-ubnd", "date": date(2026, 1, 2)}
        ],
    }
    del record["key"]
    details = OrganisationDetails.of(record)
    assert (details.kind, details.level) == (OrganisationKind.PEOPLES_COMMITTEE, Level.COMMUNE)
    assert details.succession == (
        Succession(SuccessionKind.MERGED_INTO, "hcm-ubnd", date(2026, 1, 2)),
    )
    renamed = details.changed_by({"name": "Mới", "succession": []})
    assert (renamed.name, renamed.succession, renamed.superior) == ("Mới", (), "hcm-ubnd")
    person = PersonDetails.of({"full_name": "A", "identifiers": {}, "party_member": True})
    assert person.changed_by({"identifiers": {"cccd": "1"}}).identifiers == {"cccd": "1"}


def test_a_position_record_without_title_or_end_is_still_read() -> None:
    position = position_from(
        {"key": "k", "person_id": pid("can-bo"), "role": "staff", "valid_from": date(2025, 7, 1)}
    )
    assert (position.title, position.valid_to) == ("", None)


def test_the_directory_state_survives_a_snapshot(app: LedgerApplication) -> None:
    app.import_directory(changed_ward(), "test")
    transcoder = app.construct_transcoder()
    for aggregate_id in (oid("ben-thanh-ubnd"), pid("chu-tich")):
        state = dict(vars(app.repository.get(aggregate_id)))
        assert transcoder.decode(transcoder.encode(state)) == state
