"""The directory view: organisations, people and positions, for lists and joins.

Organisations are bitemporal (projections/history.py): the dashboards of a past moment read
the superiors, party committees and levels of then. People and positions are current rows.
"""

from __future__ import annotations

from typing import Any

from domain.directory import Organisation, Person
from domain.values import organisation_id
from domain.vocabulary import SuccessionKind
from projections.db import Tx
from projections.history import Timeline, close
from projections.view import Change, created, dumps, ident, iso


class DirectoryView:
    """Current directory rows, rewritten from the aggregates a batch touched."""

    name = "directory"
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS dir_organisations (id TEXT NOT NULL, key TEXT NOT NULL,"
        " name TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, superior_id TEXT,"
        " party_committee_id TEXT, successor_id TEXT, valid_from TEXT, valid_to TEXT,"
        " details TEXT NOT NULL, from_position BIGINT NOT NULL, to_position BIGINT,"
        " PRIMARY KEY (id, from_position))",
        "CREATE UNIQUE INDEX IF NOT EXISTS dir_organisations_key ON dir_organisations (key)"
        " WHERE to_position IS NULL",
        "CREATE TABLE IF NOT EXISTS dir_people (id TEXT PRIMARY KEY, key TEXT NOT NULL,"
        " full_name TEXT NOT NULL, party_member BOOLEAN NOT NULL, details TEXT NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS dir_people_key ON dir_people (key)",
        "CREATE TABLE IF NOT EXISTS dir_positions (organisation_id TEXT NOT NULL,"
        " key TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, title TEXT NOT NULL,"
        " valid_from TEXT NOT NULL, valid_to TEXT, PRIMARY KEY (organisation_id, key))",
        "CREATE INDEX IF NOT EXISTS dir_positions_person ON dir_positions (person_id)",
    )
    tables = created(ddl)  # what `ddl` creates, in its order

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Any, ...]] = {}
        self._known: dict[int, tuple[Any, ...]] = {}

    def before(self, position: int, aggregate: Any) -> None:
        """The organisation's row before the event at `position`, if it had one."""
        if isinstance(aggregate, Organisation):
            self._known[position] = _organisation(aggregate)

    def observe(self, change: Change) -> None:
        """The organisation's row after `change`."""
        if isinstance(change.aggregate, Organisation):
            self._seen[change.position] = _organisation(change.aggregate)

    def forget(self) -> None:
        """Drop what was seen of a batch that was not applied."""
        self._seen.clear()
        self._known.clear()

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Write every version of the touched organisations; rewrite their positions and
        every touched person."""
        versions = Timeline()
        for change in changes:
            row = self._seen.get(change.position)
            if row is not None:
                if change.position in self._known:
                    versions.known(row[0], self._known[change.position][1:])
                versions.put(change.position, row[0], row[1:])
        self.forget()
        close(tx, "dir_organisations", ("id",), versions.closes())
        tx.append("dir_organisations", (*ORGANISATION, *HISTORY), versions.rows())
        touched = {c.event.originator_id: c.aggregate for c in changes}
        for aggregate in touched.values():
            if isinstance(aggregate, Organisation):
                self._positions(tx, aggregate)
            elif isinstance(aggregate, Person):
                tx.execute(
                    "INSERT INTO dir_people (id, key, full_name, party_member, details)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " full_name = excluded.full_name, party_member = excluded.party_member,"
                    " details = excluded.details",
                    (
                        str(aggregate.id),
                        aggregate.key,
                        aggregate.full_name,
                        aggregate.details.party_member,
                        dumps(aggregate.details.as_dict()),
                    ),
                )

    @staticmethod
    def _positions(tx: Tx, org: Organisation) -> None:
        tx.executemany(
            "INSERT INTO dir_positions (organisation_id, key, person_id, role, title,"
            " valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (organisation_id, key) DO UPDATE SET person_id = excluded.person_id,"
            " role = excluded.role, title = excluded.title, valid_from = excluded.valid_from,"
            " valid_to = excluded.valid_to",
            [
                (
                    str(org.id),
                    p.key,
                    str(p.person_id),
                    p.role.value,
                    p.title,
                    iso(p.valid_from),
                    iso(p.valid_to),
                )
                for p in org.positions.values()
            ],
        )


ORGANISATION = (
    "id",
    "key",
    "name",
    "kind",
    "level",
    "superior_id",
    "party_committee_id",
    "successor_id",
    "valid_from",
    "valid_to",
    "details",
)
HISTORY = ("from_position", "to_position")


def _organisation(org: Organisation) -> tuple[Any, ...]:
    """An organisation's row (ORGANISATION's columns)."""
    details = org.details
    successor = next(
        (s.organisation for s in details.succession if s.relation is SuccessionKind.MERGED_INTO),
        None,
    )
    return (
        str(org.id),
        org.key,
        org.name,
        org.kind.value,
        org.level.value,
        ident(org.superior_id),
        ident(org.party_committee_id),
        ident(organisation_id(successor)) if successor else None,
        iso(details.valid_from),
        iso(details.valid_to),
        dumps(details.as_dict()),
    )
