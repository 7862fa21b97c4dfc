"""An inspector acts on an initiative only where their body's jurisdiction reaches: the same
relation as for reading it (issue 17: a ward's inspector could record a supervision note on
an initiative she may not read)."""

from __future__ import annotations

import pytest

from domain.application import LedgerApplication
from domain.errors import ForbiddenError
from tests.factories import (
    Clock,
    Life,
    inspection_commission,
    org,
    oversight_directory,
    person,
    position,
)

OTHER_WARD = {
    "organisations": [
        org(
            "sai-gon-dang-uy",
            "Đảng ủy phường Sài Gòn",
            "party_committee",
            "commune",
            superior="hcm-thanh-uy",
        ),
        inspection_commission(
            "sai-gon-ubkt", "Ủy ban Kiểm tra Đảng ủy phường Sài Gòn", "sai-gon-dang-uy"
        ),
    ],
    "people": [person("sg-kiem-tra", "Tôn Nữ Hạnh")],
    "positions": [position("sg-kiem-tra", "sai-gon-ubkt", "inspector", title="Ủy viên UBKT")],
}

NOTE = {
    "kind": "inspection",
    "findings": "Đúng tiến độ",
    "recommendations": "Tiếp tục",
    "part_of_work": "Tiếp nhận",
    "outside_approved_scope": False,
}


@pytest.fixture
def life(app: LedgerApplication, clock: Clock) -> Life:
    """A Bến Thành initiative under way; the city's and another ward's inspectors on record."""
    app.import_directory(oversight_directory(), "test")
    app.import_directory(OTHER_WARD, "test")
    life = Life(app, clock)
    life.to_approval()
    life.start()
    return life


def test_another_wards_inspector_may_not_supervise_or_ask_for_protection(life: Life) -> None:
    assert life.id is not None
    before = life.app.get_initiative(life.id)["version"]
    for name, body in (
        ("record_supervision_note", NOTE),
        ("request_protection", {"trigger": "inspection"}),
    ):
        with pytest.raises(ForbiddenError, match="Tôn Nữ Hạnh"):
            life.cmd(name, "sg-kiem-tra", **body)
        assert name not in life.app.offered(life.as_("sg-kiem-tra"), life.id)
    assert life.app.get_initiative(life.id)["version"] == before


def test_the_citys_inspector_still_supervises_a_ward(life: Life) -> None:
    assert life.id is not None
    assert "record_supervision_note" in life.app.offered(life.as_("kiem-tra"), life.id)
    version = life.cmd("record_supervision_note", "kiem-tra", **NOTE)
    history = life.app.get_history(life.id)
    assert (history[-1]["type"], history[-1]["version"]) == ("SupervisionNoteRecorded", version)
