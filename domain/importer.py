"""Directory import: turn a file's organisations, people and positions into new facts only.

Importing the same content twice records nothing; a changed field records exactly that
change. Nothing is removed: a position ends by giving it a `valid_to`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.directory import Organisation, Person
from domain.errors import InvalidError
from domain.values import organisation_id, person_id

E = TypeVar("E", Organisation, Person)


@dataclass
class ImportReport:
    """What an import recorded."""

    organisations_registered: int = 0
    organisations_changed: int = 0
    people_registered: int = 0
    people_changed: int = 0
    positions_assigned: int = 0
    positions_changed: int = 0
    events: int = 0
    dirty: list[Aggregate] = field(default_factory=list)

    def count(self, what: str) -> None:
        """One more of `what` (a counter's name)."""
        setattr(self, what, getattr(self, what) + 1)

    def as_dict(self) -> dict[str, int]:
        """The counts, for the CLI and the API."""
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}


def position_key(entry: dict[str, Any]) -> str:
    """A position's identity: its explicit key, else person, role and start."""
    explicit = entry.get("key")
    if explicit:
        return str(explicit)
    return f"{entry['person']}/{entry['role']}/{entry['valid_from'].isoformat()}"


def plan_import(
    data: dict[str, Any],
    load_organisation: Callable[[UUID], Organisation | None],
    load_person: Callable[[UUID], Person | None],
    source: str,
    at: datetime,
) -> ImportReport:
    """Compare the file with the directory and record the differences on the aggregates."""
    plan = _ImportPlan(load_organisation, load_person, source, at)
    for entry in data.get("people", []):
        plan.person(entry)
    for entry in data.get("organisations", []):
        plan.organisation(entry)
    for org in list(plan.organisations.values()):
        plan.check_references(org)
    for entry in data.get("positions", []):
        plan.position(entry)
    return plan.finish()


@dataclass
class _ImportPlan:
    """The aggregates an import touches, by key, and what it recorded on them so far."""

    load_organisation: Callable[[UUID], Organisation | None]
    load_person: Callable[[UUID], Person | None]
    source: str
    at: datetime
    report: ImportReport = field(default_factory=ImportReport)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def person(self, entry: dict[str, Any]) -> None:
        """Register the person, or record the details that changed."""
        key = entry["key"]
        details = {k: entry.get(k) for k in Person.DETAIL_FIELDS}
        self.people[key] = self._register_or_change(Person, self.load_person, key, details)

    def organisation(self, entry: dict[str, Any]) -> None:
        """Register the organisation, or record the details that changed."""
        key = entry["key"]
        details = {k: entry.get(k) for k in Organisation.DETAIL_FIELDS}
        details["succession"] = entry.get("succession") or []
        self.organisations[key] = self._register_or_change(
            Organisation, self.load_organisation, key, details
        )

    def _register_or_change(
        self, kind: type[E], load: Callable[[UUID], E | None], key: str, details: dict[str, Any]
    ) -> E:
        """The entry of `key`, registered, or with the details that changed recorded; counted
        in the report as `<people|organisations>_<registered|changed>`."""
        counted = "people" if kind is Person else "organisations"
        entry = load(kind.create_id(key))
        if entry is None:
            entry = kind.register(key, details, self.source, self.at)
            self.report.count(f"{counted}_registered")
        elif entry.change_details(details, self.source, self.at):
            self.report.count(f"{counted}_changed")
        return entry

    def known_org(self, key: str | None, what: str) -> Organisation | None:
        """The organisation `key` names (None for none); InvalidError if there is none."""
        if key is None:
            return None
        org = self.organisations.get(key) or self.load_organisation(organisation_id(key))
        if org is None:
            raise InvalidError(f"{what} refers to unknown organisation '{key}'", field=what)
        self.organisations[key] = org
        return org

    def check_references(self, org: Organisation) -> None:
        """The superior, party committee and successions name known organisations."""
        self.known_org(org.details.get("superior"), "superior")
        self.known_org(org.details.get("party_committee"), "party_committee")
        for step in org.details.get("succession", []):
            self.known_org(step["organisation"], "succession")

    def position(self, entry: dict[str, Any]) -> None:
        """Assign the position, or record what changed in it."""
        holder = self.people.get(entry["person"]) or self.load_person(person_id(entry["person"]))
        if holder is None:
            raise InvalidError(f"position refers to unknown person '{entry['person']}'", "person")
        self.people[entry["person"]] = holder
        org = self.known_org(entry["organisation"], "organisation")
        assert org is not None
        position = {
            "key": position_key(entry),
            "person_id": person_id(entry["person"]),
            "role": entry["role"],
            "title": entry.get("title") or "",
            "valid_from": entry["valid_from"],
            "valid_to": entry.get("valid_to"),
        }
        holder.record_affiliation(org.id, self.source, self.at)
        was_known = position["key"] in org.positions
        if org.assign_or_change_position(position, self.source, self.at):
            if was_known:
                self.report.positions_changed += 1
            else:
                self.report.positions_assigned += 1

    def finish(self) -> ImportReport:
        """The report, with the aggregates that have events to save."""
        dirty: list[Aggregate] = [*self.people.values(), *self.organisations.values()]
        self.report.dirty = [a for a in dirty if a.pending_events]
        self.report.events = sum(len(a.pending_events) for a in self.report.dirty)
        return self.report
