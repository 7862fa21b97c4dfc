"""The recommended measure for every row of domain.md §6."""

from __future__ import annotations

from typing import Any

import pytest

from domain.protection import FINDINGS, recommend
from domain.vocabulary import Measure, Outcome

ALL_TRUE = dict.fromkeys(FINDINGS, True)


def measure(**overrides: Any) -> Measure | None:
    facts: dict[str, Any] = {
        "approved": True,
        "outcome": Outcome.COMPLETED,
        "damage_caused": False,
        "findings": ALL_TRUE,
        "self_interest_or_abuse": False,
        "acts_outside_approval": False,
        **overrides,
    }
    return recommend(**facts)[0]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, Measure.NO_LIABILITY),
        ({"damage_caused": True}, Measure.NO_LIABILITY),
        ({"outcome": Outcome.PARTIALLY_COMPLETED}, Measure.LIABILITY_EXCLUDED),
        ({"outcome": Outcome.NOT_COMPLETED}, Measure.LIABILITY_EXCLUDED),
        (
            {"outcome": Outcome.PARTIALLY_COMPLETED, "damage_caused": True},
            Measure.CONSIDER_EXCLUSION_EXEMPTION_MITIGATION,
        ),
        (
            {"outcome": Outcome.NOT_COMPLETED, "damage_caused": True},
            Measure.CONSIDER_EXCLUSION_EXEMPTION_MITIGATION,
        ),
        *[({"findings": {**ALL_TRUE, name: False}}, Measure.NOT_ELIGIBLE) for name in FINDINGS],
        ({"self_interest_or_abuse": True}, Measure.NOT_ELIGIBLE),
        ({"acts_outside_approval": True}, Measure.NOT_ELIGIBLE),
        ({"approved": False, "outcome": None}, Measure.NOT_ELIGIBLE),
        ({"outcome": None}, None),
    ],
)
def test_each_row_of_the_table(overrides: dict[str, Any], expected: Measure | None) -> None:
    assert measure(**overrides) is expected


def test_the_reasons_name_every_disqualifying_fact() -> None:
    _, reasons = recommend(
        approved=True,
        outcome=Outcome.NOT_COMPLETED,
        damage_caused=True,
        findings={**ALL_TRUE, "pure_motive": False},
        self_interest_or_abuse=True,
        acts_outside_approval=True,
    )
    assert reasons == [
        "the evaluation found false: pure_motive",
        "self-interest or abuse is recorded",
        "acts outside the approved (and adjusted) scope or dates are recorded",
    ]
