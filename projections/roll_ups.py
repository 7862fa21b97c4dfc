"""Roll-ups over the organisations' tree: the initiatives' counts per organisation (own and
through superiors), the funnel, and the organisations under one — now or at a past log
position (the counts and the organisations are bitemporal: projections/history.py)."""

from __future__ import annotations

from typing import Any

from domain.initiative import Status
from projections import count_marks
from projections.db import Database, Row
from projections.history import held


def outcomes(db: Database, at: int | None = None) -> list[Row]:
    """Counts by status and outcome per organisation, rolled up through superiors.

    Each initiative counts under its employing agency as it is now: a merged, split or renamed
    unit keeps what ended before the succession (its outcomes are its own), and what it handed
    over counts under the successor from the handover — never before the succession took
    effect (domain.md §5.15). A merger alone moves no count."""
    orgs = {
        r["id"]: r
        for r in db.query(
            "SELECT id, key, name, level, superior_id FROM dir_organisations"
            f" WHERE {held('', at, db.kind)}"
        )
    }
    counts = counts_at(db, at)
    totals: dict[str, dict[str, Any]] = {}
    for org_id, org in orgs.items():
        totals[org_id] = {
            "organisation_id": org_id,
            "key": org["key"],
            "name": org["name"],
            "level": org["level"],
            "own": _empty(),
            "rolled_up": _empty(),
        }
    chains: dict[str, list[str]] = {}  # per organisation, not per row
    for row in counts:
        own = row["org"]
        if own not in chains:
            chains[own] = _chain(own, orgs)
        if own in totals:
            _add(totals[own]["own"], row)
        for ancestor in chains[own]:
            _add(totals[ancestor]["rolled_up"], row)
    return sorted(totals.values(), key=lambda t: t["key"])


def _empty() -> dict[str, Any]:
    return {"total": 0, "by_status": {}, "by_outcome": {}}


def _add(bucket: dict[str, Any], row: Row) -> None:
    n = int(row["n"])
    bucket["total"] += n
    bucket["by_status"][row["status"]] = bucket["by_status"].get(row["status"], 0) + n
    if row["outcome"]:
        bucket["by_outcome"][row["outcome"]] = bucket["by_outcome"].get(row["outcome"], 0) + n


def _chain(org_id: str, orgs: dict[str, Row]) -> list[str]:
    """The organisation and every superior above it."""
    chain: list[str] = []
    while org_id in orgs and org_id not in chain:
        chain.append(org_id)
        org_id = orgs[org_id]["superior_id"]
    return chain


def counts_at(db: Database, at: int | None) -> list[Row]:
    """The initiatives' counts (`org`, `status`, `outcome` or None, `child`, `n`) at log
    position `at` (None: now): the current versions, or as of `at` the last mark of all the
    counts and the versions begun since (projections/count_marks.py)."""
    if at is None:
        return db.query(
            "SELECT organisation_id AS org, status, NULLIF(outcome, '') AS outcome, child, n"
            f" FROM iv_counts WHERE {held('', at, db.kind)} AND n <> 0"
        )
    return db.query(
        "SELECT organisation_id AS org, status, NULLIF(outcome, '') AS outcome, child, n"
        f" FROM ({count_marks.AT}) counts",
        [at, at, at],
    )


# The stages of the funnel, each with the statuses that have passed it.
PILOTED = frozenset(
    {
        "in_progress",
        "suspended",
        "terminated",
        "completed",
        "under_evaluation",
        "evaluated",
        "archived",
    }
)
FUNNEL = (
    ("proposed", frozenset(s.value for s in Status if s is not Status.DRAFT)),
    ("approved", PILOTED | {"approved"}),
    ("piloted", PILOTED),
    ("evaluated", frozenset({"evaluated", "archived"})),
)


def funnel(
    db: Database, organisation_id: str | None, at: int | None = None
) -> list[tuple[str, int]]:
    """How many initiatives reached each stage, from proposal to replication.

    Counted for `organisation_id` and every organisation under it (through superiors, as the
    outcome counts are: a merged unit's initiatives count under its successor once handed
    over), or everywhere when it is None.
    """
    orgs = _superiors(db, at)
    rows = counts_at(db, at)
    stages = dict.fromkeys([name for name, _ in FUNNEL] + ["completed", "replicated"], 0)
    for row in rows:
        if organisation_id is not None and organisation_id not in _chain(row["org"], orgs):
            continue
        n = int(row["n"])
        if row["child"]:
            stages["replicated"] += n
            continue
        for name, statuses in FUNNEL:
            if row["status"] in statuses:
                stages[name] += n
        if row["outcome"] == "completed" and row["status"] in FUNNEL[-1][1]:
            stages["completed"] += n
    return list(stages.items())


def under(db: Database, organisation_id: str, at: int | None = None) -> set[str]:
    """The organisation and every one under it (through superiors; not the units merged into
    it, whose initiatives and clocks pass to it by a handover: domain.md §5.15), as at log
    position `at` (None: now)."""
    return _under(_superiors(db, at), organisation_id)


def within(db: Database, organisation_id: str) -> frozenset[str] | None:
    """`under` now, or None when that is every organisation of the directory (the top's:
    a query then reads every row rather than a list of every organisation's id)."""
    orgs = _superiors(db, None)
    found = _under(orgs, organisation_id)
    return None if found >= orgs.keys() else frozenset(found)


def _under(orgs: dict[str, Row], organisation_id: str) -> set[str]:
    """The organisation and every one of `orgs` (`_superiors`) under it."""
    return {o for o in orgs if organisation_id in _chain(o, orgs)} | {organisation_id}


def _superiors(db: Database, at: int | None) -> dict[str, Row]:
    """Each organisation's superior (as at log position `at`; None: now)."""
    return {
        r["id"]: r
        for r in db.query(
            f"SELECT id, superior_id FROM dir_organisations WHERE {held('', at, db.kind)}"
        )
    }
