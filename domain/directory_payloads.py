"""The typed shape of the directory's dicts: what its events carry (their stored form is the
dict: a `TypedDict` is one at run time), the rows of an import file, and the answers the
directory service gives. Kept apart from `directory.py`, whose state is dataclasses."""

from __future__ import annotations

from datetime import date
from typing import NotRequired, TypedDict
from uuid import UUID


class SuccessionRecord(TypedDict):
    """How an organisation continues or came from another one (`SuccessionKind`)."""

    relation: str
    organisation: str
    date: date


class QuorumRecord(TypedDict):
    """An organisation's own quorum rule for its leadership meetings, in force from
    `valid_from` (`domain.quorum.Quorum`): more than, or at least, a share of the eligible
    members ("2/3"); exactly one of the two."""

    valid_from: date
    more_than: NotRequired[str]
    at_least: NotRequired[str]


class OrganisationRecord(TypedDict):
    """An organisation's details (`Organisation.DETAIL_FIELDS`, in that order): references
    to other organisations are their keys. Records stored before quorum rules existed have no
    `quorum`."""

    name: str
    kind: str
    level: str
    superior: str | None
    party_committee: str | None
    valid_from: date | None
    valid_to: date | None
    succession: list[SuccessionRecord]
    quorum: NotRequired[list[QuorumRecord]]


class PersonRecord(TypedDict):
    """A person's details (`Person.DETAIL_FIELDS`, in that order), then their work e-mail
    address when the directory has one (where reminders go; records stored before it existed,
    and people without one, have no `email`)."""

    full_name: str
    identifiers: dict[str, str]
    party_member: bool
    email: NotRequired[str | None]


class PositionRecord(TypedDict):
    """A position as `PositionAssigned` records it and the API shows it (`Role`)."""

    key: str
    person_id: UUID
    role: str
    title: str
    valid_from: date
    valid_to: date | None


# What an update of an organisation's or a person's details, or of a position, records
# (`directory.changed`): the entries of its record (an `OrganisationRecord`, a `PersonRecord`,
# a `PositionRecord`: never a position's key) that an import changed, with their new values.
Changes = dict[str, object]


# The rows of an import file, as `web/schemas/directory.py` loads them ------------------------


class OrganisationEntry(TypedDict):
    """An organisation of the import file."""

    key: str
    name: str
    kind: str
    level: str
    superior: NotRequired[str | None]
    party_committee: NotRequired[str | None]
    valid_from: NotRequired[date | None]
    valid_to: NotRequired[date | None]
    succession: NotRequired[list[SuccessionRecord]]
    quorum: NotRequired[list[QuorumRecord]]


class PersonEntry(PersonRecord):
    """A person of the import file: their key and their details (an `email` left out keeps
    the one recorded, `null` removes it)."""

    key: str


class PositionEntry(TypedDict):
    """A position of the import file: `key` names it, else person, role and start do."""

    person: str
    organisation: str
    role: str
    valid_from: date
    key: NotRequired[str | None]
    title: NotRequired[str]
    valid_to: NotRequired[date | None]


class DirectoryFile(TypedDict, total=False):
    """An import file."""

    organisations: list[OrganisationEntry]
    people: list[PersonEntry]
    positions: list[PositionEntry]


# The directory service's answers -----------------------------------------------------------


class OrganisationSummary(OrganisationRecord):
    """An organisation in a list: its id, its key and its details."""

    id: UUID
    key: str


class OrganisationAnswer(OrganisationSummary):
    """One organisation with its positions."""

    positions: list[PositionRecord]


class PersonSummary(PersonRecord):
    """A person in a list: their id, their key and their details."""

    id: UUID
    key: str


class HeldPosition(PositionRecord):
    """A position of a person, with the organisation that holds it."""

    organisation_id: UUID


class PersonAnswer(PersonSummary):
    """One person with the positions they hold or held anywhere."""

    positions: list[HeldPosition]
