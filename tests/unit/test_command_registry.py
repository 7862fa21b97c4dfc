"""The command registry is the one place a command is declared: everything else that names a
command (the aggregate, the application, the API, the pages, the command matrix) must agree."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from domain import commands
from domain.application import LedgerApplication
from domain.command_rules import Asking, Lookups, Who
from domain.commands import REGISTRY
from domain.initiative import Initiative
from tests.e2e.test_command_matrix import MATRIX
from tests.factories import Scenario
from web.api.commands import request_schema
from web.pages import labels

NAMES = [c.name for c in REGISTRY]
# The aggregate's body and the phases' mixins it is built of (eventsourcing's Aggregate aside).
PARTS = (Initiative, *(base for base in Initiative.__bases__ if base is not Aggregate))


def test_names_and_paths_are_unique() -> None:
    assert len(set(NAMES)) == len(NAMES)
    assert len({c.path for c in REGISTRY}) == len(REGISTRY)


def test_the_aggregate_has_no_command_outside_the_registry() -> None:
    defined = {
        name
        for part in PARTS
        for name, member in vars(part).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }
    assert defined == set(NAMES)
    assert all(callable(getattr(Initiative, name)) for name in NAMES)


def test_every_command_is_a_method_of_the_application() -> None:
    assert all(callable(getattr(LedgerApplication, name)) for name in NAMES)


def test_every_command_has_a_label_and_no_label_is_left_over() -> None:
    assert set(labels.COMMANDS) == set(NAMES)


@pytest.mark.parametrize("command", REGISTRY, ids=NAMES)
def test_every_command_names_a_schema_whose_fields_the_aggregate_takes(
    command: commands.Command,
) -> None:
    # The documents (`attachments`) reach the event through the command's context
    # (`Context.documents`, resolved by the web layer), not as an argument.
    fields = set(request_schema(command.schema)().fields) - {command.who.named_by, "attachments"}
    parameters = list(inspect.signature(getattr(Initiative, command.name)).parameters.values())
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return
    assert fields <= {p.name for p in parameters[3:]}  # after self, actor, ctx


def test_every_command_has_allowed_and_refused_cells_in_the_command_matrix() -> None:
    assert set(MATRIX) == {c.path for c in REGISTRY}
    for path, (_, _, people) in MATRIX.items():
        assert True in people.values(), f"{path}: nobody may"
        assert False in people.values(), f"{path}: nobody is refused"


def test_an_actor_rule_narrows_only_a_rule_that_leaves_room_for_it() -> None:
    with pytest.raises(ValueError, match="narrows a Who that names no one"):
        dataclasses.replace(commands.SUBMIT, who=commands.ADDRESSEE_HEAD)


def test_may_evaluates_rules_and_lets_an_unexpected_error_through(
    app: LedgerApplication, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario.to_review()
    assert scenario.id is not None
    asking = scenario.as_("chu-tich")
    assert app.may(asking, scenario.id, "reject")

    def broken(d: Lookups, i: Any, a: Asking) -> list[Any]:
        raise TypeError("a bug in a rule")

    who = Who("the addressee's head", broken)
    monkeypatch.setitem(commands.BY_NAME, "reject", dataclasses.replace(commands.REJECT, who=who))
    with pytest.raises(TypeError, match="a bug in a rule"):
        app.may(asking, scenario.id, "reject")
