"""The typed state of an initiative: served as the dicts it replaced, kept in snapshots."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.application import LedgerApplication
from domain.initiative import Initiative
from domain.initiative_state import (
    STATE_CLASSES,
    Decision,
    Implementation,
    Obstacle,
    State,
    Terms,
    keyed,
)
from tests.factories import Clock, Life


def test_a_value_is_served_as_the_dict_it_replaced() -> None:
    assert Obstacle("Thiếu máy").as_dict() == {"obstacle": "Thiếu máy", "resolved": False}
    resolved = Obstacle("Thiếu máy", resolved=True, measure="Mua máy")
    assert list(resolved.as_dict()) == ["obstacle", "resolved", "measure"]
    assert Decision(reason="Rút").as_dict() == {"reason": "Rút"}
    assert Decision(reasons=["x"], urgent=True).as_dict() == {"reasons": ["x"], "urgent": True}
    assert Implementation().as_dict() == {}
    assert keyed({"9": Obstacle("b"), "10": Obstacle("a")}, "version") == [
        {"version": 9, "obstacle": "b", "resolved": False},
        {"version": 10, "obstacle": "a", "resolved": False},
    ]


def test_an_adjustment_changes_only_the_terms_it_names() -> None:
    terms = Terms("Phường", date(2026, 4, 1), date(2026, 12, 31), "2 cán bộ")
    adjusted = terms.adjusted({"end": date(2027, 1, 31)})
    assert adjusted.as_dict() == {
        "scope": "Phường",
        "start": date(2026, 4, 1),
        "end": date(2027, 1, 31),
        "resources": "2 cán bộ",
    }


def test_every_state_class_has_a_snapshot_transcoding() -> None:
    assert set(State.__subclasses__()) == set(STATE_CLASSES)


def test_every_state_class_is_a_frozen_dataclass() -> None:
    assert all(dataclasses.is_dataclass(c) for c in STATE_CLASSES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Obstacle("Thiếu máy").resolved = True  # type: ignore[misc]


def test_the_state_of_a_whole_life_survives_a_snapshot(
    app: LedgerApplication, clock: Clock
) -> None:
    life = Life(app, clock)
    life.to_evaluated()
    life.cmd("request_protection", "can-bo", trigger="inspection", proceeding_ref="KL 1")
    assert life.id is not None
    initiative = app.repository.get(life.id)
    assert isinstance(initiative, Initiative)
    transcoder = app.construct_transcoder()
    state = dict(vars(initiative))
    assert transcoder.decode(transcoder.encode(state)) == state
    assert initiative.protection.requests[0].trigger == "inspection"
    assert [c.name for c in initiative.clocks] == [
        "receipt",
        "approval_decision",
        "result_report",
        "evaluation",
        "archiving",
    ]
