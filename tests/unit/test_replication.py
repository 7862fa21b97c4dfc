"""A replicated initiative is created without proposers: the head of the organisation it went
to names who carries it there, and they may then submit it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.application import LedgerApplication
from domain.errors import ConflictError, ForbiddenError, InvalidError
from tests.factories import (
    Clock,
    Life,
    oversight_directory,
    person,
    pid,
    position,
    proposal,
)

SAI_GON = {
    "people": [
        person("sg-chu-tich", "Lâm Văn Phúc"),
        person("sg-can-bo", "Lý Thị Ngọc"),
    ],
    "positions": [
        position("sg-chu-tich", "sai-gon-ubnd", "head", title="Chủ tịch"),
        position("sg-can-bo", "sai-gon-ubnd", "staff", title="Chuyên viên"),
    ],
}


@pytest.fixture
def child(app: LedgerApplication, clock: Clock) -> tuple[Life, UUID]:
    """An evaluated initiative of Bến Thành replicated in Sài Gòn; the child's id."""
    app.import_directory(oversight_directory(), "test")
    app.import_directory(SAI_GON, "test")
    life = Life(app, clock)
    life.to_evaluated()
    return life, life.replicate()


def on_child(life: Life, child_id: UUID, name: str, by: str, **body: Any) -> int:
    return life.app.execute(name, life.as_(by), child_id, None, **body)


def test_the_head_there_names_the_proposers_who_may_then_submit(
    child: tuple[Life, UUID],
) -> None:
    life, child_id = child
    app = life.app
    assert app.get_initiative(child_id)["proposer_ids"] == []
    assert app.offered(life.as_("sg-chu-tich"), child_id) == ["name_proposers"]
    assert app.offered(life.as_("sg-can-bo"), child_id) == []
    on_child(life, child_id, "name_proposers", "sg-chu-tich", proposer_ids=[pid("sg-can-bo")])
    state = app.get_initiative(child_id)
    assert state["proposer_ids"] == [pid("sg-can-bo")]
    assert app.get_history(child_id)[-1]["type"] == "ProposersNamed"
    assert "submit" in app.offered(life.as_("sg-can-bo"), child_id)
    assert "name_proposers" not in app.offered(life.as_("sg-chu-tich"), child_id)
    on_child(life, child_id, "submit", "sg-can-bo", **proposal())
    assert app.get_initiative(child_id)["status"] == "submitted"


@pytest.mark.parametrize(
    ("by", "named", "error", "message"),
    [
        (
            "sg-can-bo",
            ["sg-can-bo"],
            ForbiddenError,
            "did not hold a head position in Ủy ban nhân dân phường Sài Gòn",
        ),
        (
            "chu-tich",
            ["sg-can-bo"],
            ForbiddenError,
            "did not hold a head position in Ủy ban nhân dân phường Sài Gòn",
        ),
        ("sg-chu-tich", ["can-bo"], InvalidError, "holds no position in the employing agency"),
        ("sg-chu-tich", ["sg-can-bo", "sg-can-bo"], InvalidError, "named twice"),
        ("sg-chu-tich", [], InvalidError, "name at least one proposer"),
    ],
)
def test_only_the_head_there_names_people_of_that_organisation(
    child: tuple[Life, UUID], by: str, named: list[str], error: type[Exception], message: str
) -> None:
    life, child_id = child
    before = life.app.get_initiative(child_id)["version"]
    with pytest.raises(error, match=message):
        on_child(life, child_id, "name_proposers", by, proposer_ids=[pid(k) for k in named])
    assert life.app.get_initiative(child_id)["version"] == before


def test_proposers_are_named_once_and_only_on_a_replicated_initiative(
    child: tuple[Life, UUID],
) -> None:
    life, child_id = child
    on_child(life, child_id, "name_proposers", "sg-chu-tich", proposer_ids=[pid("sg-can-bo")])
    with pytest.raises(ConflictError, match="only a replicated initiative without proposers"):
        on_child(life, child_id, "name_proposers", "sg-chu-tich", proposer_ids=[pid("sg-can-bo")])
    draft = Life(life.app, life.clock)
    draft.draft()
    with pytest.raises(ConflictError, match="only a replicated initiative without proposers"):
        draft.cmd("name_proposers", "chu-tich", proposer_ids=[pid("pho-1")])
    with pytest.raises(ConflictError, match="cannot name the proposers of an initiative that is"):
        life.cmd("name_proposers", "chu-tich", proposer_ids=[pid("pho-1")])
