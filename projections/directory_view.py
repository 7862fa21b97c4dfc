"""The directory view: organisations, people and positions, for lists and joins.

Organisations and people are bitemporal (projections/history.py): the dashboards and lists of
a past moment read the superiors, party committees, levels and names of then. Positions are
current rows.
"""

from __future__ import annotations

from typing import Any

from domain.directory import Organisation, Person
from domain.values import organisation_id
from domain.vocabulary import SuccessionKind
from projections.db import Tx
from projections.history import HISTORY, Timeline, close
from projections.view import Change, created, dumps, ident, iso


class DirectoryView:
    """The directory's rows: every version of the organisations and people a batch touched,
    their organisations' positions rewritten (current rows)."""

    name = "directory"
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS dir_organisations (id TEXT NOT NULL, key TEXT NOT NULL,"
        " name TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, superior_id TEXT,"
        " party_committee_id TEXT, successor_id TEXT, valid_from TEXT, valid_to TEXT,"
        " details TEXT NOT NULL, from_position BIGINT NOT NULL, to_position BIGINT,"
        " PRIMARY KEY (id, from_position))",
        "CREATE UNIQUE INDEX IF NOT EXISTS dir_organisations_key ON dir_organisations (key)"
        " WHERE to_position IS NULL",
        "CREATE TABLE IF NOT EXISTS dir_people (id TEXT NOT NULL, key TEXT NOT NULL,"
        " full_name TEXT NOT NULL, party_member BOOLEAN NOT NULL, details TEXT NOT NULL,"
        " from_position BIGINT NOT NULL, to_position BIGINT, PRIMARY KEY (id, from_position))",
        "CREATE UNIQUE INDEX IF NOT EXISTS dir_people_key ON dir_people (key)"
        " WHERE to_position IS NULL",
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
        """The organisation's or person's row before the event at `position`, if it had one."""
        row = _row(aggregate)
        if row is not None:
            self._known[position] = row

    def observe(self, change: Change) -> None:
        """The organisation's or person's row after `change`."""
        row = _row(change.aggregate)
        if row is not None:
            self._seen[change.position] = row

    def forget(self) -> None:
        """Drop what was seen of a batch that was not applied."""
        self._seen.clear()
        self._known.clear()

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Write every version of the touched organisations and people; rewrite the touched
        organisations' positions."""
        versions = {Organisation: Timeline(), Person: Timeline()}
        for change in changes:
            row = self._seen.get(change.position)
            if row is not None:
                kind = Organisation if isinstance(change.aggregate, Organisation) else Person
                timeline = versions[kind]
                if change.position in self._known:
                    timeline.known(row[0], self._known[change.position][1:])
                timeline.put(change.position, row[0], row[1:])
        self.forget()
        for (table, columns), timeline in zip(TABLES, versions.values(), strict=True):
            close(tx, table, ("id",), timeline.closes())
            tx.append(table, (*columns, *HISTORY), timeline.rows())
        touched = {c.event.originator_id: c.aggregate for c in changes}
        for aggregate in touched.values():
            if isinstance(aggregate, Organisation):
                self._positions(tx, aggregate)

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
PERSON = ("id", "key", "full_name", "party_member", "details")
TABLES = (("dir_organisations", ORGANISATION), ("dir_people", PERSON))


def _row(aggregate: Any) -> tuple[Any, ...] | None:
    """The row of an organisation or a person (None: another aggregate, or none)."""
    if isinstance(aggregate, Organisation):
        return _organisation(aggregate)
    if isinstance(aggregate, Person):
        return (
            str(aggregate.id),
            aggregate.key,
            aggregate.full_name,
            aggregate.details.party_member,
            dumps(aggregate.details.as_dict()),
        )
    return None


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
