"""The dossier's JSON encoder writes exactly what `json.dumps(…, ensure_ascii=False, indent=2,
default=str)` writes: a dossier's members must not change when their encoder does."""

from __future__ import annotations

import enum
import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.ledger import jsontext

KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@settings(max_examples=1000, deadline=None)
@given(VALUES)
def test_any_json_value_is_written_as_json_writes_it(value: Any) -> None:
    assert jsontext.dumps(value) == reference(value)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_a_value_nested_deeper_is_written_as_json_writes_it_inside_a_document(
    value: Any,
) -> None:
    document = reference({"a": [value]})
    assert document == '{\n  "a": [\n    ' + jsontext.dumps(value, depth=2) + "\n  ]\n}"


class Level(enum.IntEnum):
    HIGH = 2


class Kind(enum.StrEnum):
    HEAD = "head"


@pytest.mark.parametrize(
    "value",
    [
        {"empty": {}, "none": [], "nested": [[], {}, [[]]]},
        {"Nguyễn Thị Hồng": 'Phê duyệt "chủ trương"\n\t\u2028 \x00 \ud800'},
        [float("nan"), float("inf"), float("-inf"), -0.0, 1e300, 0.1],
        {1: "a", 2.5: "b", False: "c", None: "d", -3: "e"},
        {True: "t"},
        {"level": Level.HIGH, "kind": Kind.HEAD, Kind.HEAD: Level.HIGH},
        {"id": UUID(int=7), "day": date(2026, 3, 2), "amount": Decimal("1.50")},  # default=str
    ],
)
def test_the_corners_of_json_are_written_as_json_writes_them(value: Any) -> None:
    assert jsontext.dumps(value) == reference(value)


def test_a_key_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        json.dumps({(1, 2): 3}, indent=2)
    with pytest.raises(TypeError, match="keys must be"):
        jsontext.dumps({(1, 2): 3})
