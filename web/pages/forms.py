"""HTML forms drawn from the API's marshmallow schemas, and form posts turned back into bodies.

There is one definition of every command's fields: its schema. A page's form is drawn from it,
the posted form becomes the same JSON body the API takes, the same schema loads it and the same
application method runs; the errors come back keyed by field path (`options.0.title`) and are
shown next to the field they name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from web.pages.labels import choice_label, field_label, schema_message
from web.schemas.common import Day, Text

# The select lists that name people or organisations, by field name.
PEOPLE_FIELDS = {
    "co_proposer_ids",
    "attendee_ids",
    "person_id",
    "assignee_ids",
    "person_ids",
}
ORGANISATION_FIELDS = {
    "employing_organisation_id",
    "superior_id",
    "body_organisation_id",
    "awarding_organisation_id",
    "personnel_organisation_id",
    "target_organisation_ids",
    "from_organisation_id",
    "to_organisation_id",
}
ROWS = 3  # blank rows offered for a list of records (options, votes, results)


@dataclass
class Widget:
    """One field of a form as the template draws it."""

    name: str  # the form name: a path such as `options.0.title`
    label: str
    kind: str  # text, textarea, date, number, checkbox, select, multiselect, lines, json, group
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Widget] = field(default_factory=list)
    repeated: bool = False

    @property
    def id(self) -> str:
        """An HTML id for the label's `for`."""
        return "f-" + self.name.replace(".", "-")


def widgets(
    schema: Schema, directory: dict[str, list[tuple[str, str]]], prefix: str = ""
) -> list[Widget]:
    """The widgets of every field of `schema` (people and organisations from `directory`)."""
    drawn = []
    for name, spec in schema.fields.items():
        if spec.dump_only:
            continue
        drawn.append(_widget(name, spec, directory, prefix))
    return drawn


# Fields drawn by their marshmallow class alone, in the order they are tried.
PLAIN_KINDS: list[tuple[tuple[type[Any], ...], str]] = [
    ((fields.Dict,), "json"),
    ((fields.Boolean,), "checkbox"),
    ((Day, fields.Date), "date"),
    ((fields.Integer,), "number"),
]


def _widget(
    name: str, spec: fields.Field[Any], directory: dict[str, list[tuple[str, str]]], prefix: str
) -> Widget:
    path = f"{prefix}{name}"
    label = field_label(name)
    required = bool(spec.required)
    if isinstance(spec, fields.Nested):
        return Widget(
            path, label, "group", required, children=widgets(spec.schema, directory, f"{path}.")
        )
    if isinstance(spec, fields.List):
        return _list_widget(name, spec.inner, directory, path, label, required)
    for classes, kind in PLAIN_KINDS:
        if isinstance(spec, classes):
            return Widget(path, label, kind, required)
    if isinstance(spec, fields.UUID):
        return Widget(path, label, "select", required, _options(name, directory))
    choices = _one_of(spec)
    if choices:
        return Widget(path, label, "select", required, [(c, choice_label(c)) for c in choices])
    multiline = isinstance(spec, Text) and spec.multiline
    return Widget(path, label, "textarea" if multiline else "text", required)


def _list_widget(
    name: str,
    inner: fields.Field[Any],
    directory: dict[str, list[tuple[str, str]]],
    path: str,
    label: str,
    required: bool,
) -> Widget:
    """A list: ROWS blank records, a choice of people or organisations, or lines of text."""
    if isinstance(inner, fields.Nested):
        rows = [
            Widget(
                f"{path}.{i}",
                f"{label} {i + 1}",
                "group",
                False,
                children=widgets(inner.schema, directory, f"{path}.{i}."),
            )
            for i in range(ROWS)
        ]
        return Widget(path, label, "group", required, children=rows, repeated=True)
    if isinstance(inner, fields.UUID):
        return Widget(path, label, "multiselect", required, _options(name, directory))
    return Widget(path, label, "lines", required)


def _one_of(spec: fields.Field[Any]) -> list[str]:
    for rule in spec.validators:
        if isinstance(rule, validate.OneOf):
            return [str(c) for c in rule.choices]
    return []


def _options(name: str, directory: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    if name in PEOPLE_FIELDS:
        return directory["people"]
    if name in ORGANISATION_FIELDS:
        return directory["organisations"]
    return []


def body_of(form: MultiDict[str, str], drawn: list[Widget]) -> dict[str, Any]:
    """The JSON body a posted form stands for: blank fields left out for the schema to judge."""
    body: dict[str, Any] = {}
    for widget in drawn:
        value = _value(form, widget)
        if value is not None:
            body[widget.name.rsplit(".", 1)[-1]] = value
    return body


def _value(form: MultiDict[str, str], widget: Widget) -> Any:
    if widget.kind == "group":
        return _group_value(form, widget)
    if widget.kind == "checkbox":
        return form.get(widget.name) == "true"
    if widget.kind == "multiselect":
        return [v for v in form.getlist(widget.name) if v] or None
    raw = form.get(widget.name, "").strip()
    if not raw:
        return None
    return _typed(widget.kind, raw)


def _group_value(form: MultiDict[str, str], widget: Widget) -> Any:
    """A group's record, or its repeated rows' non-blank records (None when all blank)."""
    if widget.repeated:
        rows = [r for r in (_value(form, row) for row in widget.children) if r]
        return rows or None
    found = body_of(form, widget.children)
    return found or None


def _typed(kind: str, raw: str) -> Any:
    """A non-blank text field's value: lines as a list, JSON parsed, else the text."""
    if kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if kind == "json":
        try:
            return json.loads(raw)
        except ValueError:
            return raw  # the schema says it is not an object
    return raw


def flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error dict as `{path: [messages]}` in the page's language."""
    found: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for name, messages in flatten(value, path).items():
                found.setdefault(name, []).extend(messages)
    elif isinstance(errors, list) and all(isinstance(m, str) for m in errors):
        found[prefix or "_"] = [schema_message(m) for m in errors]
    elif isinstance(errors, str):
        found[prefix or "_"] = [schema_message(errors)]
    return found
