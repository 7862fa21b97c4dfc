"""A person's work e-mail address in the directory (where reminders go): optional, recorded
only when given; records stored before it existed load as they are."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from domain.application import LedgerApplication
from domain.directory import Person, PersonDetails
from tests.factories import Clock, pid, ward_directory
from web.schemas.directory import DirectoryFileSchema

ADDRESS = "hong.nt@ben-thanh.gov.vn"


def chair(app: LedgerApplication) -> Person:
    person = app.repository.get(pid("chu-tich"))
    assert isinstance(person, Person)
    return person


def with_chair(**fields: Any) -> dict[str, Any]:
    directory = ward_directory()
    directory["people"][0].update(fields)  # chu-tich
    return directory


def test_people_without_an_address_are_recorded_as_before(app: LedgerApplication) -> None:
    for stored in app.events.get(pid("chu-tich")):
        if "details" in vars(stored):
            assert list(vars(stored)["details"]) == ["full_name", "identifiers", "party_member"]
    assert chair(app).details.email is None
    assert "email" not in chair(app).details.as_dict()


def test_a_record_stored_before_addresses_existed_loads() -> None:
    old = {"full_name": "Nguyễn Thị Hồng", "identifiers": {}, "party_member": True}
    details = PersonDetails.of(old)  # as an event stored then carries it
    assert (details.email, details.as_dict()) == (None, old)


def test_an_address_is_recorded_kept_changed_and_removed(clock: Clock) -> None:
    app = LedgerApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    assert app.import_directory(with_chair(email=ADDRESS), "test")["events"] == 30
    assert chair(app).details.as_dict() == {
        "full_name": "Nguyễn Thị Hồng",
        "identifiers": {},
        "party_member": True,
        "email": ADDRESS,
    }
    assert app.import_directory(with_chair(email=ADDRESS), "test")["events"] == 0
    assert app.import_directory(ward_directory(), "test")["events"] == 0  # left out: kept
    assert chair(app).details.email == ADDRESS
    changed = app.import_directory(with_chair(email="hong@ben-thanh.gov.vn"), "test")
    assert (changed["people_changed"], changed["events"]) == (1, 1)
    assert chair(app).details.email == "hong@ben-thanh.gov.vn"
    removed = app.import_directory(with_chair(email=None), "test")
    assert (removed["people_changed"], removed["events"]) == (1, 1)
    assert chair(app).details.email is None
    assert "email" not in chair(app).details.as_dict()


def test_the_import_file_takes_an_address_or_null_and_refuses_anything_else() -> None:
    schema = DirectoryFileSchema()
    people = [
        {"key": "a", "full_name": "A", "email": ADDRESS},
        {"key": "b", "full_name": "B", "email": None},
        {"key": "c", "full_name": "C"},
    ]
    loaded = schema.load({"people": people})["people"]
    assert [p.get("email", "left out") for p in loaded] == [ADDRESS, None, "left out"]
    with pytest.raises(ValidationError) as refused:
        schema.load({"people": [{"key": "a", "full_name": "A", "email": "not an address"}]})
    assert refused.value.messages == {"people": {0: {"email": ["Not a valid email address."]}}}
