"""Units' plans against their results: the figures of a review, live on the dashboard and
stored in a review's event when it is held (domain/plan_service.py).

A figure counts, for the organisation and every one under it (`roll_ups.under`), what was
recorded in the period — the Vietnam day each event was entered (its timestamp, as the cadre
records count: our choice; a date a body states may lie earlier, domain.md §5.12):

- proposed: initiatives submitted, or reported on the urgent path;
- approved: initiatives approved, or authorised or ratified on the urgent path;
- completed: initiatives evaluated with the outcome `completed`;
- replicated: initiatives whose replication to other units was approved;
- institutionalised: initiatives recommended for institutionalisation;
- protected: initiatives on which a protection measure other than `not_eligible` was
  determined;
- missed_deadlines: clocks due in the period that were missed (finished after the due day, or
  still running after it).

Each initiative counts once per indicator, whatever the number of its events.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from domain.period import Period
from domain.values import local_date
from domain.vocabulary import Indicator, Measure, Outcome
from projections.db import Database, Row
from projections.history import held
from projections.plans_view import PLAN_COLUMNS, REVIEW_COLUMNS
from projections.queries import stored_data
from projections.roll_ups import under

EVENTS: dict[Indicator, tuple[str, ...]] = {
    Indicator.PROPOSED: ("Submitted", "UrgentReported"),
    Indicator.APPROVED: ("Approved", "UrgentAuthorized", "UrgentRatified"),
    Indicator.COMPLETED: ("Evaluated",),
    Indicator.REPLICATED: ("ReplicationApproved",),
    Indicator.INSTITUTIONALISED: ("InstitutionalisationRecommended",),
    Indicator.PROTECTED: ("ProtectionDetermined",),
}


def _counts(event_type: str, data: dict[str, Any]) -> bool:
    """Whether the event counts (an evaluation only as completed, a protection only when
    granted)."""
    if event_type == "Evaluated":
        return bool(data.get("outcome") == Outcome.COMPLETED.value)
    if event_type == "ProtectionDetermined":
        return bool(data.get("measure") != Measure.NOT_ELIGIBLE.value)
    return True


def results(
    db: Database, organisation_id: str, period: Period, today: date, at: int | None = None
) -> dict[str, int]:
    """Every indicator's figure for the organisation and those under it, in the period, as at
    log position `at` (None: now)."""
    orgs = sorted(under(db, organisation_id, at))
    upto = "" if at is None else f" AND position <= {int(at)}"
    marks = ", ".join("?" for _ in orgs)
    kinds = [kind for kinds in EVENTS.values() for kind in kinds]
    # A day's margin either side: the exact bounds are Vietnam days, checked below.
    rows = db.query(
        "SELECT aggregate_id, event_type, recorded_at, data FROM iv_audit"
        f" WHERE aggregate_type = 'Initiative' AND event_type IN ({', '.join('?' for _ in kinds)})"
        f" AND organisation_id IN ({marks}) AND recorded_at >= ? AND recorded_at < ?{upto}",
        [
            *kinds,
            *orgs,
            (period.first - timedelta(days=1)).isoformat(),
            (period.last + timedelta(days=2)).isoformat(),
        ],
    )
    found: dict[Indicator, set[str]] = {indicator: set() for indicator in EVENTS}
    for row in rows:
        if not period.holds(local_date(datetime.fromisoformat(row["recorded_at"]))):
            continue
        indicator = next(i for i, kinds in EVENTS.items() if row["event_type"] in kinds)
        if _counts(row["event_type"], stored_data(row["data"])):
            found[indicator].add(row["aggregate_id"])
    missed = db.query(
        f"SELECT COUNT(*) AS n FROM iv_clocks WHERE {held('', at, db.kind)}"
        f" AND organisation_id IN ({marks})"
        " AND due_on >= ? AND due_on <= ? AND ((finished_on IS NOT NULL AND finished_on > due_on)"
        " OR (finished_on IS NULL AND due_on < ?))",
        [*orgs, period.first.isoformat(), period.last.isoformat(), today.isoformat()],
    )
    figures = {indicator.value: len(ids) for indicator, ids in found.items()}
    figures[Indicator.MISSED_DEADLINES.value] = int(missed[0]["n"])
    return {i.value: figures[i.value] for i in Indicator}


# What a plan's and a review's answers hold, in this order: their rows but the plan's id
# and log position, the review's aggregate id and version (its log position last); the JSON
# columns decoded and the log positions as integers (the others as stored).
PLAN = tuple(c for c in PLAN_COLUMNS if c not in ("plan_id", "position"))
REVIEW = (
    *(c for c in REVIEW_COLUMNS if c not in ("position", "reviews_id", "version")),
    "position",
)
_DECODED: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(
        ("targets", "responsible_person_ids", "figures", "replicate", "institutionalise"),
        json.loads,
    ),
    "as_of_position": int,
    "position": int,
}


def _answer(row: Row, columns: tuple[str, ...]) -> Row:
    return {c: _DECODED[c](row[c]) if c in _DECODED else row[c] for c in columns}


def plans(
    db: Database, organisation_id: str, period: str | None = None, at: int | None = None
) -> list[Row]:
    """The organisation's plans, by period, as they stood at log position `at` (None: now)."""
    rows = _of_unit(db, "iv_unit_plans", organisation_id, period, "period", held("", at, db.kind))
    return [_answer(r, PLAN) for r in rows]


def _of_unit(
    db: Database, table: str, organisation_id: str, period: str | None, order: str, when: str
) -> list[Row]:
    """The rows of `table` for the organisation (and the period, when given) that meet the
    condition `when` (SQL without parameters)."""
    return db.query(
        f"SELECT * FROM {table} WHERE organisation_id = ? AND {when}"
        + (" AND period = ?" if period else "")
        + f" ORDER BY {order}",
        [organisation_id, period] if period else [organisation_id],
    )


def reviews(
    db: Database, organisation_id: str, period: str | None = None, at: int | None = None
) -> list[Row]:
    """The organisation's reviews, in the order they were held (those held up to log position
    `at`; None: all)."""
    when = "TRUE" if at is None else f"position <= {int(at)}"
    rows = _of_unit(db, "iv_unit_reviews", organisation_id, period, "position", when)
    return [_answer(r, REVIEW) for r in rows]


def plan_against_results(
    db: Database, organisation_id: str, period: Period, today: date, at: int | None = None
) -> dict[str, Any]:
    """The plan's target and the result so far of every indicator (no plan: no targets), as
    at log position `at` (None: now)."""
    found = plans(db, organisation_id, period.text, at)
    targets = {t["indicator"]: t["target"] for t in found[0]["targets"]} if found else {}
    figures = results(db, organisation_id, period, today, at)
    return {
        "organisation_id": organisation_id,
        "period": period.text,
        "plan": found[0] if found else None,
        "rows": [
            {"indicator": i.value, "target": targets.get(i.value), "result": figures[i.value]}
            for i in Indicator
        ],
        "reviews": reviews(db, organisation_id, period.text, at),
    }
