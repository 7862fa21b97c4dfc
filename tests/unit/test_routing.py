"""URL rules whose builders are compiled once per process build exactly what werkzeug's own
rules build, and a second app's rules reuse the first one's builders."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.routing import Map, Rule

from web.routing import ReusedBuilders

RULES: list[tuple[str, dict[str, Any]]] = [
    ("/api/v1/initiatives", {}),
    ("/api/v1/initiatives/<uuid:initiative_id>/events/<int:version>/receipt", {}),
    ("/pages/<path:rest>", {}),
    ("/list/<int:page>", {"defaults": {"page": 1}}),
    ("/lang/<string(length=2):code>", {}),
]
VALUES: list[tuple[str, dict[str, Any]]] = [
    ("e0", {}),
    ("e0", {"q": "Sổ tay", "status": ["draft", "submitted"]}),
    (
        "e1",
        {"initiative_id": "6f1c1a50-8c4e-4b8e-9c43-2f0b9c1d7e11", "version": 7, "x": "a b"},
    ),
    ("e2", {"rest": "a/b c/đ"}),
    ("e3", {}),
    ("e3", {"page": 1, "sort": "-updated_at"}),
    ("e4", {"code": "vi", "next": "/x?y=1"}),
]


def built(rule_class: type[Rule]) -> list[str]:
    rules = [
        rule_class(text, endpoint=f"e{n}", **options) for n, (text, options) in enumerate(RULES)
    ]
    adapter = Map(rules).bind("ledger.example")
    return [adapter.build(endpoint, values) for endpoint, values in VALUES]


def test_the_urls_are_werkzeugs() -> None:
    assert built(ReusedBuilders) == built(Rule)
    assert (
        built(ReusedBuilders)[2]
        == "/api/v1/initiatives/6f1c1a50-8c4e-4b8e-9c43-2f0b9c1d7e11/events/7/receipt?x=a+b"
    )


@pytest.mark.parametrize("append_unknown", [True, False])
def test_a_second_map_reuses_the_builders(append_unknown: bool) -> None:
    first, second = (Map([ReusedBuilders("/x/<int:n>", endpoint="x")]).bind("h") for _ in range(2))
    rule_1, rule_2 = (next(iter(adapter.map.iter_rules())) for adapter in (first, second))
    attribute = "_build_unknown" if append_unknown else "_build"
    assert getattr(rule_1, attribute).__func__ is getattr(rule_2, attribute).__func__
    assert getattr(rule_1, attribute).__self__ is rule_1  # bound to its own rule
    assert first.build("x", {"n": 5}) == second.build("x", {"n": 5}) == "/x/5"


def test_rules_that_differ_get_builders_of_their_own() -> None:
    one = Map([ReusedBuilders("/x/<int:n>", endpoint="x")]).bind("h")
    other = Map([ReusedBuilders("/x/<int:n>", endpoint="x", defaults={"n": 2})]).bind("h")
    assert one.build("x", {"n": 2}) == "/x/2"
    assert other.build("x", {}) == "/x/2"
    rule_1 = next(iter(one.map.iter_rules()))
    rule_2 = next(iter(other.map.iter_rules()))
    assert rule_1._build.__func__ is not rule_2._build.__func__
