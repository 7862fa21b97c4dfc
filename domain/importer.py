"""Directory import: turn a file's organisations, people and positions into new facts only.

Importing the same content twice records nothing; a changed field records exactly that
change. Nothing is removed: a position ends by giving it a `valid_to`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.directory import Organisation, Person
from domain.errors import InvalidError
from domain.values import organisation_id, person_id


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
    report = ImportReport()
    organisations: dict[str, Organisation] = {}
    people: dict[str, Person] = {}
    for entry in data.get("people", []):
        key = entry["key"]
        details = {k: entry.get(k) for k in Person.DETAIL_FIELDS}
        person = load_person(person_id(key))
        if person is None:
            person = Person.register(key, details, source, at)
            report.people_registered += 1
        elif person.change_details(details, source, at):
            report.people_changed += 1
        people[key] = person
    for entry in data.get("organisations", []):
        key = entry["key"]
        details = {k: entry.get(k) for k in Organisation.DETAIL_FIELDS}
        details["succession"] = entry.get("succession") or []
        org = load_organisation(organisation_id(key))
        if org is None:
            org = Organisation.register(key, details, source, at)
            report.organisations_registered += 1
        elif org.change_details(details, source, at):
            report.organisations_changed += 1
        organisations[key] = org

    def known_org(key: str | None, what: str) -> Organisation | None:
        if key is None:
            return None
        org = organisations.get(key) or load_organisation(organisation_id(key))
        if org is None:
            raise InvalidError(f"{what} refers to unknown organisation '{key}'", field=what)
        organisations[key] = org
        return org

    for org in list(organisations.values()):
        known_org(org.details.get("superior"), "superior")
        known_org(org.details.get("party_committee"), "party_committee")
        for step in org.details.get("succession", []):
            known_org(step["organisation"], "succession")
    for entry in data.get("positions", []):
        holder = people.get(entry["person"]) or load_person(person_id(entry["person"]))
        if holder is None:
            raise InvalidError(f"position refers to unknown person '{entry['person']}'", "person")
        people[entry["person"]] = holder
        org = known_org(entry["organisation"], "organisation")
        assert org is not None
        position = {
            "key": position_key(entry),
            "person_id": person_id(entry["person"]),
            "role": entry["role"],
            "title": entry.get("title") or "",
            "valid_from": entry["valid_from"],
            "valid_to": entry.get("valid_to"),
        }
        holder.record_affiliation(org.id, source, at)
        was_known = position["key"] in org.positions
        if org.assign_or_change_position(position, source, at):
            if was_known:
                report.positions_changed += 1
            else:
                report.positions_assigned += 1
    dirty: list[Aggregate] = [*people.values(), *organisations.values()]
    report.dirty = [a for a in dirty if a.pending_events]
    report.events = sum(len(a.pending_events) for a in report.dirty)
    return report
