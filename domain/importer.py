"""Directory import: turn a file's organisations, people and positions into new facts only.

Importing the same content twice records nothing; a changed field records exactly that
change. Nothing is removed: a position ends by giving it a `valid_to`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.directory import Organisation, Person
from domain.directory_payloads import (
    DirectoryFile,
    OrganisationEntry,
    OrganisationRecord,
    PersonEntry,
    PersonRecord,
    PositionEntry,
    PositionRecord,
    QuorumRecord,
)
from domain.errors import InvalidError
from domain.quorum import quorum_rules
from domain.values import organisation_id, person_id

# An organisation or a person (`details` is then its record).
Entry = TypeVar("Entry", Organisation, Person)


# What an import counts, in the order it reports them.
COUNTS = (
    "organisations_registered",
    "organisations_changed",
    "people_registered",
    "people_changed",
    "positions_assigned",
    "positions_changed",
    "events",
)


@dataclass
class ImportReport:
    """What an import recorded (`COUNTS`), and the aggregates that have events to save."""

    counts: Counter[str] = field(default_factory=Counter)
    dirty: list[Aggregate] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """The counts, for the CLI and the API."""
        return {name: self.counts[name] for name in COUNTS}


def position_key(entry: PositionEntry) -> str:
    """A position's identity: its explicit key, else person, role and start."""
    explicit = entry.get("key")
    if explicit:
        return str(explicit)
    return f"{entry['person']}/{entry['role']}/{entry['valid_from'].isoformat()}"


def own_quorum(entry: OrganisationEntry) -> list[QuorumRecord]:
    """The organisation's quorum rules as the directory records them: normalised ("2/4" is
    "1/2", by day), so that the same rules record nothing new."""
    try:
        rules = quorum_rules(entry.get("quorum") or [])
    except InvalidError as error:
        raise InvalidError(
            "organisation '{key}': {error}", field="quorum", key=entry["key"], error=error
        ) from error
    return [rule.as_dict() for rule in rules]


def plan_import(
    data: DirectoryFile,
    load_organisation: Callable[[UUID], Organisation | None],
    load_person: Callable[[UUID], Person | None],
    source: str,
    at: datetime,
) -> ImportReport:
    """Compare the file with the directory and record the differences on the aggregates."""
    plan = _ImportPlan(load_organisation, load_person, source, at)
    for person in data.get("people", []):
        plan.person(person)
    for organisation in data.get("organisations", []):
        plan.organisation(organisation)
    for org in list(plan.organisations.values()):
        plan.check_references(org)
    for position in data.get("positions", []):
        plan.position(position)
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

    def person(self, entry: PersonEntry) -> None:
        """Register the person, or record the details that changed."""
        details: PersonRecord = {
            "full_name": entry["full_name"],
            "identifiers": entry["identifiers"],
            "party_member": entry["party_member"],
        }
        if "email" in entry:  # left out: the address recorded stays; null: removed
            details["email"] = entry["email"]
        self.people[entry["key"]] = self._register_or_change(
            Person, self.load_person, entry["key"], details, "people"
        )

    def organisation(self, entry: OrganisationEntry) -> None:
        """Register the organisation, or record the details that changed."""
        details: OrganisationRecord = {
            "name": entry["name"],
            "kind": entry["kind"],
            "level": entry["level"],
            "superior": entry.get("superior"),
            "party_committee": entry.get("party_committee"),
            "valid_from": entry.get("valid_from"),
            "valid_to": entry.get("valid_to"),
            "succession": entry.get("succession") or [],
            "quorum": own_quorum(entry),
        }
        self.organisations[entry["key"]] = self._register_or_change(
            Organisation, self.load_organisation, entry["key"], details, "organisations"
        )

    def _register_or_change(
        self,
        cls: type[Entry],
        load: Callable[[UUID], Entry | None],
        key: str,
        details: Any,
        counted: Literal["organisations", "people"],
    ) -> Entry:
        """The entry of `cls` under `key` (`load`ed) with the details that differ from
        `details` recorded, or else a new one registered: counted as `{counted}_registered` or
        `{counted}_changed`."""
        found = load(cls.create_id(key))
        if found is None:
            self.report.counts[f"{counted}_registered"] += 1
            return cls.register(key, details, self.source, self.at)
        if found.change_details(details, self.source, self.at):
            self.report.counts[f"{counted}_changed"] += 1
        return found

    def known_org(self, key: str | None, what: str) -> Organisation | None:
        """The organisation `key` names (None for none); InvalidError if there is none."""
        if key is None:
            return None
        org = self.organisations.get(key) or self.load_organisation(organisation_id(key))
        if org is None:
            raise InvalidError(
                "{field} refers to unknown organisation '{key}'", field=what, key=key
            )
        self.organisations[key] = org
        return org

    def check_references(self, org: Organisation) -> None:
        """The superior, party committee and successions name known organisations."""
        self.known_org(org.details.superior, "superior")
        self.known_org(org.details.party_committee, "party_committee")
        for step in org.details.succession:
            self.known_org(step.organisation, "succession")

    def position(self, entry: PositionEntry) -> None:
        """Assign the position, or record what changed in it."""
        holder = self.people.get(entry["person"]) or self.load_person(person_id(entry["person"]))
        if holder is None:
            raise InvalidError(
                "position refers to unknown person '{key}'", "person", key=entry["person"]
            )
        self.people[entry["person"]] = holder
        org = self.known_org(entry["organisation"], "organisation")
        assert org is not None
        position: PositionRecord = {
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
            self.report.counts["positions_changed" if was_known else "positions_assigned"] += 1

    def finish(self) -> ImportReport:
        """The report, with the aggregates that have events to save."""
        dirty: list[Aggregate] = [*self.people.values(), *self.organisations.values()]
        self.report.dirty = [a for a in dirty if a.pending_events]
        self.report.counts["events"] = sum(len(a.pending_events) for a in self.report.dirty)
        return self.report
