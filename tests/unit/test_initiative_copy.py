"""The copy the repository serves from its cache shares nothing a state change alters: its
lists, dicts and sets are its own, and the frozen values it shares with the cached initiative
(and with every earlier copy) are never changed in place by any step of a whole life."""

from __future__ import annotations

import copy
import pickle
from typing import Any

from domain.application import LedgerApplication
from domain.directory import Organisation, Person
from domain.initiative import Initiative
from domain.initiative_state import State
from domain.values import organisation_id, person_id
from tests.factories import Clock, Life, oversight_directory, ward_directory


def containers(value: Any, found: list[Any]) -> list[Any]:
    """Every list, dict and set in `value` outside the frozen values."""
    if isinstance(value, list | dict | set):
        found.append(value)
        for inner in value.values() if isinstance(value, dict) else value:
            containers(inner, found)
    return found


def cached_app(clock: Clock) -> LedgerApplication:
    """In memory, with the repository as the service runs it: aggregates cached, and each
    one served copied."""
    return LedgerApplication(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.popo",
            "AGGREGATE_CACHE_MAXSIZE": "100",
            "AGGREGATE_CACHE_FASTFORWARD": "y",
            "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
        },
        clock=clock,
    )


def test_a_copy_equals_the_initiative_and_owns_every_container() -> None:
    clock = Clock()
    app = LedgerApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    app.import_directory(ward_directory(), "test")
    app.import_directory(oversight_directory(), "test")
    life = Life(app, clock)
    life.to_evaluated()
    assert life.id is not None
    lived: Initiative = app.repository.get(life.id)
    copied = copy.deepcopy(lived)
    assert type(copied) is Initiative
    assert vars(copied) == vars(lived)
    theirs = {id(c) for c in containers(list(vars(lived).values()), [])}
    ours = containers(list(vars(copied).values()), [])
    assert len(ours) > 20
    assert not [c for c in ours if id(c) in theirs]
    assert any(isinstance(v, State) for v in vars(copied).values())


def test_no_step_of_a_life_changes_a_value_an_earlier_copy_shares() -> None:
    clock = Clock()
    app = cached_app(clock)
    app.import_directory(ward_directory(), "test")
    app.import_directory(oversight_directory(), "test")
    life = Life(app, clock)
    copies: list[tuple[Initiative, bytes]] = []

    def keep() -> None:
        assert life.id is not None
        served = app.repository.get(life.id)
        copies.append((served, pickle.dumps(vars(served))))

    life.to_approval()
    keep()
    life.start()
    keep()
    life.complete()
    keep()
    life.report()
    keep()
    life.evaluate()
    keep()
    assert [c.status for c, _ in copies] == [
        "approved",
        "in_progress",
        "completed",
        "under_evaluation",
        "evaluated",
    ]
    for served, then in copies:
        assert pickle.dumps(vars(served)) == then, f"a copy at {served.status} changed"


def test_a_directory_entry_copy_owns_its_containers_and_later_changes_leave_it_as_it_was() -> None:
    clock = Clock()
    app = cached_app(clock)
    first = ward_directory()
    app.import_directory(first, "test")
    ward, head = organisation_id("ben-thanh-ubnd"), person_id("chu-tich")
    organisation: Organisation = app.repository.get(ward)
    person: Person = app.repository.get(head)
    for entry in (organisation, person):
        copied = copy.deepcopy(entry)
        assert type(copied) is type(entry)
        assert vars(copied) == vars(entry)
        theirs = {id(c) for c in containers(list(vars(entry).values()), [])}
        ours = containers(list(vars(copied).values()), [])
        assert ours
        assert not [c for c in ours if id(c) in theirs]
    kept = [(organisation, pickle.dumps(vars(organisation))), (person, pickle.dumps(vars(person)))]
    # Later: the ward renamed, the head's position given a new title, another position added.
    changed = ward_directory()
    changed["organisations"][2]["name"] = "Ủy ban nhân dân phường Bến Thành (mới)"
    changed["positions"][0]["title"] = "Chủ tịch (kiêm nhiệm)"
    changed["positions"].append({**changed["positions"][1], "key": "pho-1-bis"})
    app.import_directory(changed, "test")
    now: Organisation = app.repository.get(ward)
    assert now.details.name.endswith("(mới)")
    assert "pho-1-bis" in now.positions
    assert organisation.details.name == "Ủy ban nhân dân phường Bến Thành"
    for served, then in kept:
        assert pickle.dumps(vars(served)) == then, f"{type(served).__name__} changed"
