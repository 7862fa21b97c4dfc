"""The arithmetic of a leadership vote (Art. 8: more than 50 % of the votes cast)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.proposal import tally
from domain.vocabulary import ApprovalBasis

HEAD = uuid4()


def votes(head: str, *others: str) -> list[dict[str, object]]:
    return [{"person_id": HEAD, "vote": head}] + [
        {"person_id": uuid4(), "vote": v} for v in others
    ]


@pytest.mark.parametrize(
    ("cast", "majority", "tie_head_side", "head_override"),
    [
        (votes("for", "for", "against"), True, False, False),
        (votes("for", "against"), False, True, False),
        (votes("against", "for"), False, False, True),
        (votes("for", "against", "abstain"), False, False, True),
        (votes("for", "for", "against", "abstain"), False, True, False),
        (votes("abstain", "for", "for"), True, False, False),
        (votes("against", "against", "for"), False, False, True),
    ],
)
def test_each_basis_matches_the_recorded_votes(
    cast: list[dict[str, object]], majority: bool, tie_head_side: bool, head_override: bool
) -> None:
    counted = tally(cast, HEAD)
    assert counted.allows(ApprovalBasis.MAJORITY) is majority
    assert counted.allows(ApprovalBasis.TIE_HEAD_SIDE) is tie_head_side
    assert counted.allows(ApprovalBasis.HEAD_OVERRIDE) is head_override
    assert counted.passed is not head_override
