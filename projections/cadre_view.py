"""Cadre records: the dated facts personnel boards use in annual evaluation."""

from __future__ import annotations

from typing import Any

from domain.initiative import Initiative
from domain.values import local_date
from domain.vocabulary import Measure
from projections.db import Tx
from projections.view import Change, created, iso

FACTS = ("proposed", "approved", "completed", "commended", "protected")


class CadreRecordsView:
    """Who proposed, got approved, completed, was commended or protected, and when."""

    name = "cadre_records"
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS iv_cadre_facts (position BIGINT NOT NULL,"
        " person_id TEXT NOT NULL, initiative_id TEXT NOT NULL, fact TEXT NOT NULL,"
        " on_date TEXT NOT NULL, PRIMARY KEY (position, person_id, fact))",
        "CREATE INDEX IF NOT EXISTS iv_cadre_facts_person ON iv_cadre_facts (person_id, on_date)",
    )
    tables = created(ddl)  # what `ddl` creates, in its order
    # A partition of a parallel rebuild only appends facts to these
    # (projections/deferred_indexes.py).
    appended = ("iv_cadre_facts",)

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Add the facts each event establishes."""
        tx.append(
            "iv_cadre_facts",
            ("position", "person_id", "initiative_id", "fact", "on_date"),
            [row for change in changes for row in _facts(change)],
        )


def _facts(change: Change) -> list[tuple[Any, ...]]:
    ini = change.aggregate
    if not isinstance(ini, Initiative):
        return []
    event = change.event
    kind = type(event).__name__
    day = iso(local_date(event.timestamp))
    fields = event.__dict__
    participants = list(ini.proposer_ids) + [
        p for p in (ini.approval.assignees if ini.approval else []) if p not in ini.proposer_ids
    ]
    people: list[Any] = []
    fact = ""
    if kind == "Drafted":
        fact, people = "proposed", list(fields["proposer_ids"])
    elif kind in ("Approved", "UrgentAuthorized", "UrgentRatified"):
        fact, people = "approved", list(ini.proposer_ids)
    elif kind == "Evaluated" and fields["outcome"] == "completed":
        fact, people = "completed", participants
    elif kind == "Commended":
        fact, people = "commended", list(fields["person_ids"])
    elif kind == "ProtectionDetermined" and fields["measure"] != Measure.NOT_ELIGIBLE.value:
        fact, people = "protected", participants
    return [(change.position, str(p), str(ini.id), fact, day) for p in people]
