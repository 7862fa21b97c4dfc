"""How the dossier's story shows what an event carries: field labels and values in the pages'
Vietnamese terms (projections/terms.py), dates as dd/mm/yyyy in Vietnam time, yes/no as
Có/Không, codes by their labels, lists and tables for nested data, and people and
organisations by name — only as the proven records name them: a person by the actor blocks of
the initiative's own acts (and the title of a position the authority proof of the same act
shows them holding that day), an organisation by the authority proofs the receipts carry. An
id they do not name is shown as it is, marked `UNPROVEN`. Standard library only: the offline
verifier renders the same text again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from projections import terms
from projections.ledger.authority import Directory, act_day

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving time in Vietnam
UNPROVEN = "(chưa xác định từ hồ sơ)"  # an id the proven records do not name
INITIATIVE = "(mã đề xuất)"  # the id of an initiative (a record of its own)
PEOPLE = frozenset(
    {
        "proposer_ids",
        "co_proposer_ids",
        "attendee_ids",
        "eligible_voter_ids",
        "assignee_ids",
        "person_ids",
        "person_id",
    }
)
ORGANISATIONS = frozenset(
    {
        "employing_organisation_id",
        "addressee_id",
        "superior_id",
        "target_organisation_ids",
        "from_organisation_id",
        "to_organisation_id",
        "organisation_id",
        "body_organisation_id",
        "awarding_organisation_id",
        "personnel_organisation_id",
    }
)
MONEY = frozenset({"funds_vnd", "damage_amount_vnd"})
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
CODE = re.compile(r"^[a-z]+(_[a-z]+)*$")
# What a form's label says to the one typing, not to the reader
HINT = re.compile(r" \((mỗi dòng|bắt buộc|tối đa|mã SHA-256)[^)]*\)$")
NONE = "—"


def esc(text: object) -> str:
    return html.escape(str(text))


# Fields whose label says "Mã …" (a column of ids): the story shows them by name
BY_NAME = {
    "proposer_ids": terms.CHOICES["proposer"],
    "addressee_id": terms.CHOICES["addressee"],
    "recommended": terms.FIELDS["recommended_measure"],
}


def label(key: str) -> str:
    """A field's label, without the hints the form gives."""
    return BY_NAME.get(key) or HINT.sub("", terms.FIELDS.get(key, key))


def choice(code: str) -> str:
    """A code's label (the code as it is when it has none)."""
    return terms.CHOICES.get(code, code)


def day_text(value: str) -> str:
    """An ISO day as dd/mm/yyyy (formatted by hand: strftime is a third of a story's time)."""
    day = date.fromisoformat(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def moment_text(value: str) -> str:
    """An ISO moment as dd/mm/yyyy HH:MM in Vietnam time."""
    at = datetime.fromisoformat(value).astimezone(VIETNAM)
    return f"{at.day:02d}/{at.month:02d}/{at.year:04d} {at.hour:02d}:{at.minute:02d}"


def marked(value: object, mark: str = UNPROVEN) -> str:
    return f'<span class="id">{esc(value)} {mark}</span>'


@dataclass
class Names:
    """Who and what the proven records name: person id → name from the acts' actor blocks
    (the last act of each person), organisation id → name from the authority proofs (the
    latest that gives it one)."""

    people: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)

    def note_actor(self, actor: object) -> None:
        if isinstance(actor, dict) and actor.get("person_id") and actor.get("name"):
            self.people[str(actor["person_id"])] = str(actor["name"])

    def note_directory(self, directory: Directory) -> None:
        if directory.name:
            self.organisations[directory.organisation_id] = directory.name


@dataclass(frozen=True)
class Context:
    """An event's view of the names: the proven names, and the directory its authority proof
    showed of the actor's organisation on its day."""

    names: Names
    directory: Directory | None
    day: date

    def person(self, person_id: object) -> str:
        """A person by name, with the title the act's own authority proof shows them holding
        that day; marked when no act names them."""
        key = str(person_id)
        name = self.names.people.get(key)
        title = choice(self.directory.title(key, self.day)) if self.directory else ""
        if name:
            return esc(name) + (f" ({esc(title)})" if title else "")
        return (f"{esc(title)}: " if title else "") + marked(key)

    def organisation(self, organisation_id: object) -> str:
        name = self.names.organisations.get(str(organisation_id))
        return esc(name) if name else marked(organisation_id)

    def actor(self, actor: object) -> str:
        """Who acted: name, title (position held that day) or role, organisation."""
        if not isinstance(actor, dict):
            return NONE
        role = choice(str(actor.get("role", "")))
        title = (
            self.directory.title(str(actor.get("person_id")), self.day) if self.directory else ""
        )
        held = f"{esc(title)} ({esc(role)})" if title and title != role else esc(role)
        where = ""
        if self.directory is not None and self.directory.name:
            where = esc(self.directory.name)
        elif actor.get("organisation_id"):
            where = self.organisation(actor["organisation_id"])
        parts = [f"<b>{esc(actor.get('name', ''))}</b>", held, where]
        return "<br>".join(p for p in parts if p)

    def show(self, key: str, value: Any) -> str:
        """A value of field `key`, readable."""
        if value is None or value == "" or value == [] or value == {}:
            return NONE
        if key in PEOPLE or key in ORGANISATIONS:
            named = self.person if key in PEOPLE else self.organisation
            return _items(named(v) for v in _listed(value))
        if key == "parent_id":
            return marked(value, INITIATIVE)
        if isinstance(value, dict):
            # the initiatives a replication made, by organisation
            return self.fields(value, keys=self.organisation if key == "children" else None)
        if isinstance(value, list):
            return self._list(key, value)
        return self.scalar(key, value)

    def scalar(self, key: str, value: Any) -> str:
        if isinstance(value, bool):
            return "Có" if value else "Không"
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".") + (" đồng" if key in MONEY else "")
        text = str(value)
        if DAY.match(text):
            return day_text(text)
        if MOMENT.match(text):
            return moment_text(text)
        if CODE.match(text) and text in terms.CHOICES:
            return esc(choice(text))
        return esc(text).replace("\n", "<br>")

    def fields(self, data: Mapping[str, Any], keys: Any = None) -> str:
        """A mapping as a table of labelled values (`keys` shows a key; its label if none)."""
        rows = "".join(
            f"<tr><th>{keys(k) if keys else esc(label(k))}</th>"
            f"<td>{marked(v, INITIATIVE) if keys else self.show(k, v)}</td></tr>"
            for k, v in data.items()
            if not (k == "attachments" and v is None)  # an act that refers to no document
        )
        return f'<table class="fields">{rows}</table>'

    def _list(self, key: str, value: list[Any]) -> str:
        if all(isinstance(item, dict) for item in value):
            columns = list(dict.fromkeys(k for item in value for k in item))
            head = "".join(f"<th>{esc(label(k))}</th>" for k in columns)
            body = "".join(
                "<tr>"
                + "".join(f"<td>{self.show(k, item.get(k))}</td>" for k in columns)
                + "</tr>"
                for item in value
            )
            return f'<table class="list"><tr>{head}</tr>{body}</table>'
        return _items(self.show(key, item) for item in value)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _items(shown: Iterable[str]) -> str:
    items = list(shown)
    if len(items) == 1:
        return items[0]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def context(names: Names, directory: Directory | None, recorded_at: object) -> Context:
    """The context of an event recorded at `recorded_at`."""
    return Context(names, directory, act_day(str(recorded_at)))
