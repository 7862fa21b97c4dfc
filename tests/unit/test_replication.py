"""A replicated initiative is created without proposers: the head of the organisation it went
to names who carries it there, and they may then submit it."""

from __future__ import annotations

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
def child(app: LedgerApplication, clock: Clock) -> tuple[Life, Life]:
    """An evaluated initiative of Bến Thành, and its child replicated in Sài Gòn."""
    app.import_directory(oversight_directory(), "test")
    app.import_directory(SAI_GON, "test")
    life = Life(app, clock)
    life.to_evaluated()
    there = Life(app, clock)
    there.id = life.replicate()
    return life, there


def test_the_head_there_names_the_proposers_who_may_then_submit(
    child: tuple[Life, Life],
) -> None:
    life, there = child
    child_id = there.id
    assert child_id is not None
    app = life.app
    assert app.get_initiative(child_id)["proposer_ids"] == []
    assert app.offered(there.as_("sg-chu-tich"), child_id) == ["name_proposers"]
    assert app.offered(there.as_("sg-can-bo"), child_id) == []
    there.cmd("name_proposers", "sg-chu-tich", proposer_ids=[pid("sg-can-bo")])
    state = app.get_initiative(child_id)
    assert state["proposer_ids"] == [pid("sg-can-bo")]
    assert app.get_history(child_id)[-1]["type"] == "ProposersNamed"
    assert "submit" in app.offered(there.as_("sg-can-bo"), child_id)
    assert "name_proposers" not in app.offered(there.as_("sg-chu-tich"), child_id)
    there.cmd("submit", "sg-can-bo", **proposal())
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
    child: tuple[Life, Life], by: str, named: list[str], error: type[Exception], message: str
) -> None:
    life, there = child
    child_id = there.id
    assert child_id is not None
    before = life.app.get_initiative(child_id)["version"]
    with pytest.raises(error, match=message):
        there.cmd("name_proposers", by, proposer_ids=[pid(k) for k in named])
    assert life.app.get_initiative(child_id)["version"] == before


def test_proposers_are_named_once_and_only_on_a_replicated_initiative(
    child: tuple[Life, Life],
) -> None:
    life, there = child
    there.cmd("name_proposers", "sg-chu-tich", proposer_ids=[pid("sg-can-bo")])
    with pytest.raises(ConflictError, match="only a replicated initiative without proposers"):
        there.cmd("name_proposers", "sg-chu-tich", proposer_ids=[pid("sg-can-bo")])
    draft = Life(life.app, life.clock)
    draft.draft()
    with pytest.raises(ConflictError, match="only a replicated initiative without proposers"):
        draft.cmd("name_proposers", "chu-tich", proposer_ids=[pid("pho-1")])
    with pytest.raises(ConflictError, match="cannot name the proposers of an initiative that is"):
        life.cmd("name_proposers", "chu-tich", proposer_ids=[pid("pho-1")])
