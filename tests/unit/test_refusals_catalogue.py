"""Every refusal the domain (and the web layer) raises has a Vietnamese sentence, and the
catalogue keeps none that nothing raises: the message ids are read from the source."""

from __future__ import annotations

import ast
import string
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from domain import errors

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "web" / "translations" / "vi" / "LC_MESSAGES"
SOURCES = [*sorted((ROOT / "domain").glob("*.py")), *sorted((ROOT / "web").rglob("*.py"))]
ERRORS = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.DomainError)
}
MARKS = {"msg", "Message", "Sentence"}  # Sentence: web/refusals.py


def _called(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    return node.func.attr if isinstance(node.func, ast.Attribute) else ""


def _texts(node: ast.expr) -> list[str]:
    """The constant strings an argument may be (`refusal or "…"` gives its constant)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BoolOp):
        return [t for value in node.values for t in _texts(value)]
    return []


def calls() -> list[tuple[str, ast.Call]]:
    """Every call of a domain error or of a message mark, with where it is."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _called(node) in ERRORS | MARKS:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def message_ids() -> set[str]:
    """The templates raised (an error's first argument) and the phrases marked `msg()`."""
    return {text for _, node in calls() for text in _texts(node.args[0])}


def catalogue() -> dict[str, str]:
    with (CATALOGUE / "refusals.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_every_message_id_has_a_vietnamese_sentence() -> None:
    translated = catalogue()
    assert sorted(message_ids() - set(translated)) == []
    assert [m for m, s in translated.items() if not s] == []
    assert len(translated) > 150


def test_the_catalogue_keeps_no_sentence_nothing_raises() -> None:
    assert sorted(set(catalogue()) - message_ids()) == []


def test_a_refusal_is_written_as_a_template_not_a_sentence_built_in_place() -> None:
    """An f-string, a concatenation or a `.format()` as an error's sentence would make the
    message id change with its values: the values go in parameters."""
    built = [
        where
        for where, node in calls()
        if isinstance(node.args[0], ast.JoinedStr | ast.BinOp)
        or (isinstance(node.args[0], ast.Call) and _called(node.args[0]) == "format")
    ]
    assert built == []


def _names(text: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(text) if n}


def test_every_template_raised_is_given_its_parameters() -> None:
    """A template's `{name}` is a keyword of its call (an `InvalidError`'s field counts): a
    missing one would fail the refusal itself (a 500 instead of the problem)."""
    unfilled = {}
    for where, node in calls():
        texts = _texts(node.args[0])
        if not texts or any(k.arg is None for k in node.keywords):  # **params: not checkable
            continue
        given = {k.arg for k in node.keywords if k.arg}
        if _called(node) == "InvalidError" and len(node.args) > 1:
            given.add("field")
        if _called(node) == "msg":
            continue  # declared here, filled where it is raised
        missing = {n.split(".")[0] for t in texts for n in _names(t)} - given
        if missing:
            unfilled[where] = sorted(missing)
    assert unfilled == {}


def test_a_sentence_names_the_parameters_of_its_template() -> None:
    """The Vietnamese sentence uses only the English template's parameters (and the
    template's field, which every `InvalidError` names)."""
    wrong = {
        english: vietnamese
        for english, vietnamese in catalogue().items()
        if not _names(vietnamese) <= _names(english) | {"field"}
    }
    assert wrong == {}


def test_the_compiled_catalogue_matches_its_source() -> None:
    with (CATALOGUE / "refusals.po").open("rb") as handle:
        source = read_po(handle)
    fresh = BytesIO()
    write_mo(fresh, source)
    assert fresh.getvalue() == (CATALOGUE / "refusals.mo").read_bytes()
    with (CATALOGUE / "refusals.mo").open("rb") as handle:
        assert {m.id: m.string for m in read_mo(handle) if m.id} == {
            m.id: m.string for m in source if m.id
        }
