"""The domain's refusals in the reader's language.

A domain error carries its English template (the message id) and its parameters apart
(`domain/messages.py`); `str(error)` is the English sentence. In Vietnamese the template is
looked up in `web/translations/vi/LC_MESSAGES/refusals.po` (msgid English, msgstr
Vietnamese; compiled with `pybabel compile -d web/translations -D refusals`), and the
parameters that are words of the domain take the pages' labels (`web/pages/labels.py`), in
quotation marks: a status, a role or a phase by its label, a field by its label, a command by
its button ("thực hiện “Rút đề xuất”"); a phrase declared with `msg()` by the catalogue. A
template the catalogue lacks (a test forbids it: `tests/unit/test_refusals_catalogue.py`) is
said in English rather than half-translated.

The API answers in the language of the request's Accept-Language (English without one:
programs read the details); the pages in the page's language (`refusal`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import read_mo
from flask import request
from flask_babel import force_locale, get_locale

from domain.errors import DomainError
from domain.messages import CommandWords, Either, Listed, Message, english
from web.pages.labels import FIELDS, choice_label, command_label

CATALOGUE = Path(__file__).parent / "translations" / "vi" / "LC_MESSAGES" / "refusals.mo"
LANGUAGES = ("en", "vi")


@cache
def catalogue() -> dict[str, str]:
    """The Vietnamese sentence of each English message id."""
    with CATALOGUE.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_mo(handle) if m.id and m.string}


def api_language() -> str:
    """The language of an API answer: the best of Accept-Language when the request has one,
    English otherwise (and when it names neither language)."""
    if "Accept-Language" not in request.headers:
        return "en"
    return str(request.accept_languages.best_match(LANGUAGES, default="en"))


def page_language() -> str:
    """The language of a page (the session's choice, Vietnamese by default)."""
    return str(get_locale() or "vi")


def say(template: str, params: dict[str, Any], english: str, language: str) -> str:
    """The sentence of `template` and `params` in `language` (`english` when it is English
    or the catalogue lacks the template)."""
    if language != "vi" or template not in catalogue():
        return english
    with force_locale("vi"):
        return catalogue()[template].format(**{k: _term(k, v) for k, v in params.items()})


def translated(error: DomainError, language: str) -> str:
    """A domain error's sentence in `language`."""
    return say(error.template, error.params, str(error), language)


def refusal(error: DomainError) -> str:
    """A domain error's sentence in the page's language."""
    return translated(error, page_language())


def phrase(text: str, language: str) -> str:
    """A phrase of the web layer declared with `msg()` (a problem's title) in `language`."""
    return say(text, {}, text, language)


class Sentence(str):
    """An English sentence of the web layer that carries values (a problem's detail): the
    sentence itself, keeping its template and parameters apart so that another language
    says it from the catalogue (`web/problem_language.py`)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Sentence:
        text = super().__new__(cls, english(template, params))
        text.template = template
        text.params = params
        return text


def _term(name: str, value: Any) -> Any:
    """A parameter in Vietnamese: words of the domain by their labels, the rest as it is (a
    name, a number, a date the template formats)."""
    for kind, say_it in _TERMS:
        if isinstance(value, kind):
            return say_it(name, value)
    if isinstance(value, str) and name in ("field", "fields"):
        return f"“{FIELDS.get(value, value)}”"
    if isinstance(value, str):
        return catalogue().get(value, value)
    return value


def _either(name: str, items: Either) -> str:
    return " hoặc ".join(str(_term(name, item)) for item in items)


def _listed(name: str, items: Listed) -> str:
    return ", ".join(str(_term(name, item)) for item in items)


# How each kind of parameter is said (the first that matches; a value of a closed list is a
# string too, so before the strings).
_TERMS: tuple[tuple[type, Callable[[str, Any], Any]], ...] = (
    (DomainError, lambda _, error: translated(error, "vi")),
    (Sentence, lambda _, s: say(s.template, s.params, str(s), "vi")),
    (Message, lambda _, m: say(m.template, m.params, str(m), "vi")),
    (CommandWords, lambda _, words: f"thực hiện “{command_label(words.name)}”"),
    (Either, _either),
    (Listed, _listed),
    (Enum, lambda _, value: f"“{choice_label(value.value)}”"),
)
