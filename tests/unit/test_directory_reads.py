"""One request reads the directory once (`ServiceBase.directory_reads`, opened per request by
web/app.py): each person and organisation is loaded once whoever asks, and what the request
saves is read again."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from domain.application import LedgerApplication
from tests.factories import Scenario, oid, person, pid


def counted_loads(app: LedgerApplication, monkeypatch: pytest.MonkeyPatch) -> Counter[UUID]:
    """How many times each aggregate is loaded from `app`'s store from now on (its
    repository's `get`, counted through `monkeypatch`, a pytest.MonkeyPatch)."""
    counted: Counter[UUID] = Counter()
    load = app.repository.get

    def counting(aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
        counted[aggregate_id] += 1
        return load(aggregate_id, *args, **kwargs)

    monkeypatch.setattr(app.repository, "get", counting)
    return counted


@pytest.fixture
def loads(app: LedgerApplication, monkeypatch: pytest.MonkeyPatch) -> Counter[UUID]:
    """How many times each aggregate is loaded from the store."""
    return counted_loads(app, monkeypatch)


def authenticate_and_act(app: LedgerApplication, scenario: Scenario) -> None:
    """What a request giving the party committee's opinion asks of the service."""
    assert app.person_exists(pid("dang-uy"))
    scenario.party_opinion()


def test_a_request_loads_each_person_and_organisation_once(
    app: LedgerApplication, scenario: Scenario, loads: Counter[UUID]
) -> None:
    scenario.to_review()
    loads.clear()
    with app.directory_reads():
        authenticate_and_act(app, scenario)
    assert loads[pid("dang-uy")] == 1
    assert loads[oid("ben-thanh-ubnd")] == 1
    assert loads[scenario.id] == 1  # type: ignore[index]


def test_without_one_each_call_loads_its_own(
    app: LedgerApplication, scenario: Scenario, loads: Counter[UUID]
) -> None:
    scenario.to_review()
    loads.clear()
    authenticate_and_act(app, scenario)
    assert loads[pid("dang-uy")] == 2


def test_what_a_request_saves_it_reads_again(app: LedgerApplication) -> None:
    with app.directory_reads():
        assert not app.person_exists(pid("moi"))
        app.import_directory({"people": [person("moi", "Người Mới")]}, "test")
        assert app.person_exists(pid("moi"))


def test_nested_the_outer_one_serves(app: LedgerApplication, loads: Counter[UUID]) -> None:
    with app.directory_reads():
        assert app.person_exists(pid("dang-uy"))
        with app.directory_reads():
            assert app.person_exists(pid("dang-uy"))
        assert app.person_exists(pid("dang-uy"))
    assert app.person_exists(pid("dang-uy"))
    assert loads[pid("dang-uy")] == 2  # once in the request, once after it
