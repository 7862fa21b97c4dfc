"""Refusal sentences as message ids: the English template apart from its parameters.

A domain error is raised with a constant English template and named parameters,
`ConflictError("the period {period} has ended: its plan stays as it was", period=period)`;
`str(error)` is the English sentence, and the web layer answers another language by looking
the template up in its catalogue (`web/refusals.py`, `web/translations/vi/LC_MESSAGES/
refusals.po`) and translating the parameters that are words of the domain:

* a value of a closed list (`domain/vocabulary.py`: a status, a role) by its label;
* `CommandWords`, a command's English phrase, by the command's label;
* `Either`, alternatives joined by "or"; `Listed`, a list (of field names in a `fields`);
* a nested `Message` or domain error, rendered the same way;
* a string declared with `msg()` (an act, a noun) by the catalogue.

`msg()` marks a template or phrase that is not written at the raise site (a fact's refusal in
the registry, an act): a test reads every template and `msg()` of the domain from its source
and fails when the catalogue lacks one or keeps one nobody raises
(`tests/unit/test_refusals_catalogue.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def msg(template: str) -> str:
    """`template`, declared a message id (the catalogue translates it)."""
    return template


def english(template: str, params: dict[str, Any]) -> str:
    """The English sentence of a template and its parameters."""
    return template.format(**params) if params else template


class Message:
    """A template and its parameters, not yet a sentence (a part of a larger refusal)."""

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return english(self.template, self.params)


class CommandWords(str):
    """A command's English phrase (its verb or act) in a refusal; another language names the
    command (`name`, a registry name) by its label."""

    name: str

    def __new__(cls, text: str, name: str) -> CommandWords:
        words = super().__new__(cls, text)
        words.name = name
        return words


class Either(tuple[Any, ...]):
    """Alternatives, said "a or b"."""

    def __new__(cls, items: Iterable[Any]) -> Either:
        return super().__new__(cls, tuple(items))

    def __str__(self) -> str:
        return " or ".join(str(item) for item in self)


class Listed(tuple[Any, ...]):
    """A list, said "a, b"."""

    def __new__(cls, items: Iterable[Any]) -> Listed:
        return super().__new__(cls, tuple(items))

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self)
