"""The initiatives view: one row of current state per initiative, its people and its clocks.

Inbox, deadlines, supervision coverage, outcomes and protection are queries over these
tables (see `projections/queries.py`). Rows derive only from the aggregate and the calendar,
so an incremental build and a rebuild from scratch give the same rows. A row's `state` keeps
what the initiative waits for and who must act (`awaits`, and `clocks_await` for each running
clock by name: `domain/awaited.py`); a row written before they were kept has neither until the
initiative changes or the view is rebuilt.
"""

from __future__ import annotations

from typing import Any

from domain.awaited import awaited, clocks_awaited
from domain.calendar import WorkingCalendar, vietnam
from domain.clocks import CLOCKS
from domain.initiative import Initiative
from projections.db import Tx
from projections.view import Change, dumps, fold, ident, iso

COLUMNS = (
    "id",
    "version",
    "position",
    "title",
    "search",
    "regime",
    "status",
    "employing_organisation_id",
    "addressee_id",
    "authority_id",
    "parent_id",
    "approval_basis",
    "approved_on",
    "terms_start",
    "terms_end",
    "outcome",
    "recommended_measure",
    "determined_measure",
    "protection_mismatch",
    "protection_requested",
    "head_override",
    "outside_approval",
    "supervision_notes",
    "last_supervision_on",
    "created_at",
    "updated_at",
    "state",
)


# Take the touched initiatives out of the counts (sign "-") before their rows are rewritten,
# and put them back (sign "") after: the counts follow the rows within the same transaction.
COUNT = (
    "INSERT INTO iv_counts (organisation_id, status, outcome, child, n)"
    " SELECT employing_organisation_id, status, COALESCE(outcome, ''),"
    " CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, {sign}COUNT(*) FROM iv_initiatives"
    " WHERE id IN ({marks})"
    " GROUP BY employing_organisation_id, status, COALESCE(outcome, ''),"
    " CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END"
    " ON CONFLICT (organisation_id, status, outcome, child)"
    " DO UPDATE SET n = iv_counts.n + excluded.n"
)


class InitiativesView:
    """Current state of each initiative, with its proposers, assignees and clocks."""

    name = "initiatives"
    tables: tuple[str, ...] = ("iv_initiatives", "iv_people", "iv_clocks", "iv_counts")
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS iv_initiatives (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
        " position BIGINT NOT NULL, title TEXT NOT NULL, search TEXT NOT NULL,"
        " regime TEXT NOT NULL, status TEXT NOT NULL, employing_organisation_id TEXT NOT NULL,"
        " addressee_id TEXT, authority_id TEXT, parent_id TEXT, approval_basis TEXT,"
        " approved_on TEXT, terms_start TEXT, terms_end TEXT, outcome TEXT,"
        " recommended_measure TEXT, determined_measure TEXT, protection_mismatch BOOLEAN NOT NULL,"
        " protection_requested BOOLEAN NOT NULL, head_override BOOLEAN NOT NULL,"
        " outside_approval BOOLEAN NOT NULL, supervision_notes INTEGER NOT NULL,"
        " last_supervision_on TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " state TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS iv_initiatives_org ON iv_initiatives"
        " (employing_organisation_id, status)",
        "CREATE INDEX IF NOT EXISTS iv_initiatives_addressee ON iv_initiatives"
        " (addressee_id, status)",
        "CREATE INDEX IF NOT EXISTS iv_initiatives_authority ON iv_initiatives"
        " (authority_id, status)",
        "CREATE INDEX IF NOT EXISTS iv_initiatives_status ON iv_initiatives (status, updated_at)",
        "CREATE INDEX IF NOT EXISTS iv_initiatives_updated ON iv_initiatives (updated_at, id)",
        "CREATE INDEX IF NOT EXISTS iv_initiatives_created ON iv_initiatives (created_at, id)",
        "CREATE TABLE IF NOT EXISTS iv_people (initiative_id TEXT NOT NULL,"
        " person_id TEXT NOT NULL, relation TEXT NOT NULL,"
        " PRIMARY KEY (initiative_id, person_id, relation))",
        "CREATE INDEX IF NOT EXISTS iv_people_person ON iv_people (person_id)",
        "CREATE TABLE IF NOT EXISTS iv_clocks (initiative_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        " name TEXT NOT NULL, organisation_id TEXT NOT NULL, started_on TEXT NOT NULL,"
        " due_on TEXT NOT NULL, finished_on TEXT, PRIMARY KEY (initiative_id, seq))",
        "CREATE INDEX IF NOT EXISTS iv_clocks_open ON iv_clocks (finished_on, due_on)",
        "CREATE INDEX IF NOT EXISTS iv_clocks_org ON iv_clocks (organisation_id, name)",
        "CREATE INDEX IF NOT EXISTS iv_clocks_open_or_late ON iv_clocks (organisation_id, due_on)"
        " WHERE finished_on IS NULL OR finished_on > due_on",
        # How many initiatives each organisation employs, by status and outcome (children of
        # a replication apart): the dashboards read these few rows, not every initiative.
        "CREATE TABLE IF NOT EXISTS iv_counts (organisation_id TEXT NOT NULL,"
        " status TEXT NOT NULL, outcome TEXT NOT NULL, child INTEGER NOT NULL,"
        " n BIGINT NOT NULL, PRIMARY KEY (organisation_id, status, outcome, child))",
    )

    def __init__(self, calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or vietnam()

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Rewrite the rows of every initiative the batch touched, once each."""
        touched: dict[Any, tuple[int, Initiative]] = {}
        for change in changes:
            if isinstance(change.aggregate, Initiative):
                touched[change.aggregate.id] = (change.position, change.aggregate)
        if not touched:
            return
        rows = [self._row(position, ini) for position, ini in touched.values()]
        ids = [str(i) for i in touched]
        tx.execute(COUNT.format(sign="-", marks=", ".join("?" for _ in ids)), ids)
        columns = ", ".join("?" for _ in COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "id")
        tx.executemany(
            f"INSERT INTO iv_initiatives ({', '.join(COLUMNS)}) VALUES ({columns})"
            f" ON CONFLICT (id) DO UPDATE SET {updates}",
            rows,
        )
        tx.execute(COUNT.format(sign="", marks=", ".join("?" for _ in ids)), ids)
        tx.execute("DELETE FROM iv_counts WHERE n = 0")
        # One statement each, and COPY for the rows: fewer round trips for the writer thread,
        # which shares the interpreter with the thread preparing the next batch.
        marks = ", ".join("?" for _ in ids)
        tx.execute(f"DELETE FROM iv_people WHERE initiative_id IN ({marks})", ids)
        tx.execute(f"DELETE FROM iv_clocks WHERE initiative_id IN ({marks})", ids)
        tx.append(
            "iv_people",
            ("initiative_id", "person_id", "relation"),
            [row for _, ini in touched.values() for row in _people(ini)],
        )
        tx.append(
            "iv_clocks",
            (
                "initiative_id",
                "seq",
                "name",
                "organisation_id",
                "started_on",
                "due_on",
                "finished_on",
            ),
            [row for _, ini in touched.values() for row in self._clocks(ini)],
        )

    def _row(self, position: int, ini: Initiative) -> tuple[Any, ...]:
        approval, terms = ini.approval, ini.terms
        recommended, _ = ini.recommended_measure()
        determination = ini.protection.determined
        determined = determination.measure if determination else None
        waits = awaited(ini)
        values = {
            "id": str(ini.id),
            "version": ini.version,
            "position": position,
            "title": ini.title,
            "search": fold(ini.title),
            "regime": str(ini.regime),
            "status": str(ini.status),
            "employing_organisation_id": str(ini.employing_organisation_id),
            "addressee_id": ident(ini.addressee_id),
            "authority_id": ident(ini.authority_id),
            "parent_id": ident(ini.parent_id),
            "approval_basis": approval.basis if approval else None,
            "approved_on": iso(approval.approved_on if approval else None),
            "terms_start": iso(terms.start if terms else None),
            "terms_end": iso(terms.end if terms else None),
            "outcome": ini.evaluation.outcome if ini.evaluation else None,
            "recommended_measure": recommended.value if recommended else None,
            "determined_measure": determined,
            "protection_mismatch": bool(
                determined and recommended and determined != recommended.value
            ),
            "protection_requested": bool(ini.protection.requests),
            "head_override": bool(approval and approval.basis == "head_override"),
            "outside_approval": bool(ini.outside_approval),
            "supervision_notes": ini.supervision.notes,
            "last_supervision_on": iso(ini.supervision.last_on),
            "created_at": iso(ini.created_on),
            "updated_at": iso(ini.modified_on),
            "state": dumps(
                {
                    "proposer_ids": ini.proposer_ids,
                    "assignee_ids": approval.assignee_ids if approval else [],
                    "party_opinions": sorted(ini.party_opinions),
                    "flags": [flag.as_dict() for flag in ini.outside_approval],
                    "awaits": waits.as_dict() if waits else None,
                    "clocks_await": {k: v.as_dict() for k, v in clocks_awaited(ini).items()},
                }
            ),
        }
        return tuple(values[c] for c in COLUMNS)

    def _clocks(self, ini: Initiative) -> list[tuple[Any, ...]]:
        rows = []
        for seq, clock in enumerate(ini.clocks):
            rule = CLOCKS[clock.name]
            rows.append(
                (
                    str(ini.id),
                    seq,
                    clock.name,
                    str(clock.organisation_id),
                    iso(clock.started_on),
                    iso(rule.due(clock.started_on, self.calendar)),
                    iso(clock.finished_on),
                )
            )
        return rows


def _people(ini: Initiative) -> list[tuple[str, str, str]]:
    assignees = ini.approval.assignees if ini.approval else []
    return [(str(ini.id), str(p), "proposer") for p in ini.proposer_ids] + [
        (str(ini.id), str(p), "assignee") for p in assignees
    ]
