"""Units' plans and reviews (domain/unit_plan.py): every version of a plan with the log
positions in which it held (projections/history.py), one row per review as recorded (its
figures are those the review's event carries, counted when it was held: a rebuild gives them
back unchanged)."""

from __future__ import annotations

from typing import Any

from domain.unit_plan import UnitPlan, UnitReviews
from projections.db import Tx
from projections.history import HISTORY, Timeline, close
from projections.view import Change, created, dumps, iso

PLAN_COLUMNS = (
    "organisation_id",
    "period",
    "plan_id",
    "version",
    "position",
    "targets",
    "responsible_person_ids",
    "summary",
    "revisions",
    "recorded_at",
    "updated_at",
)
PLAN_KEY = ("organisation_id", "period")
REVIEW_COLUMNS = (
    "position",
    "reviews_id",
    "version",
    "organisation_id",
    "period",
    "kind",
    "figures",
    "as_of_position",
    "lessons",
    "replicate",
    "institutionalise",
    "actor_person_id",
    "actor_name",
    "recorded_at",
)


class PlansView:
    """The plans of the units and their reviews."""

    name = "unit_plans"
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS iv_unit_plans (organisation_id TEXT NOT NULL,"
        " period TEXT NOT NULL, plan_id TEXT NOT NULL, version INTEGER NOT NULL,"
        " position BIGINT NOT NULL, targets TEXT NOT NULL, responsible_person_ids TEXT NOT NULL,"
        " summary TEXT NOT NULL, revisions INTEGER NOT NULL, recorded_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL, from_position BIGINT NOT NULL, to_position BIGINT,"
        " PRIMARY KEY (organisation_id, period, from_position))",
        "CREATE UNIQUE INDEX IF NOT EXISTS iv_unit_plans_current ON iv_unit_plans"
        " (organisation_id, period) WHERE to_position IS NULL",
        "CREATE TABLE IF NOT EXISTS iv_unit_reviews (position BIGINT PRIMARY KEY,"
        " reviews_id TEXT NOT NULL, version INTEGER NOT NULL, organisation_id TEXT NOT NULL,"
        " period TEXT NOT NULL, kind TEXT NOT NULL, figures TEXT NOT NULL,"
        " as_of_position BIGINT NOT NULL, lessons TEXT NOT NULL, replicate TEXT NOT NULL,"
        " institutionalise TEXT NOT NULL, actor_person_id TEXT, actor_name TEXT,"
        " recorded_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS iv_unit_reviews_org ON iv_unit_reviews"
        " (organisation_id, period, position)",
    )
    tables = created(ddl)  # what `ddl` creates, in its order

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Any, ...]] = {}
        self._known: set[int] = set()  # the positions of events on a plan that existed

    def before(self, position: int, aggregate: Any) -> None:
        """Whether the plan existed before the event at `position` (its row is current in
        the table, or made earlier in the batch; every event changes its version)."""
        if isinstance(aggregate, UnitPlan):
            self._known.add(position)

    def observe(self, change: Change) -> None:
        """The plan's row after `change`."""
        if isinstance(change.aggregate, UnitPlan):
            self._seen[change.position] = _plan(change.position, change.aggregate)

    def forget(self) -> None:
        """Drop what was seen of a batch that was not applied."""
        self._seen.clear()
        self._known.clear()

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Write every version of each touched plan; add a row per review recorded."""
        versions = Timeline()
        reviews: list[tuple[Any, ...]] = []
        for change in changes:
            row = self._seen.get(change.position)
            if row is not None:
                key, values = row[:2], row[2:]
                if change.position in self._known:
                    versions.known(key)
                versions.put(change.position, key, values)
            elif isinstance(change.aggregate, UnitReviews) and isinstance(
                change.event, UnitReviews.ReviewRecorded
            ):
                reviews.append(_review(change, change.aggregate))
        self.forget()
        close(tx, "iv_unit_plans", PLAN_KEY, versions.closes())
        tx.append("iv_unit_plans", (*PLAN_COLUMNS, *HISTORY), versions.rows())
        tx.append("iv_unit_reviews", REVIEW_COLUMNS, reviews)


def _plan(position: int, plan: UnitPlan) -> tuple[Any, ...]:
    """A plan's row (PLAN_COLUMNS), as it stood after the event at `position`."""
    return (
        str(plan.organisation_id),
        plan.period,
        str(plan.id),
        plan.version,
        position,
        dumps(plan.targets),
        dumps(plan.responsible_person_ids),
        plan.summary,
        len(plan.revisions),
        iso(plan.created_on),
        iso(plan.modified_on),
    )


def _review(change: Change, reviews: UnitReviews) -> tuple[Any, ...]:
    event = change.event
    fields = event.__dict__
    actor = fields["actor"]
    return (
        change.position,
        str(reviews.id),
        event.originator_version,
        str(reviews.organisation_id),
        reviews.period,
        fields["kind"],
        dumps(fields["figures"]),
        fields["as_of_position"],
        fields["lessons"],
        dumps(fields["replicate"]),
        dumps(fields["institutionalise"]),
        actor.get("person_id"),
        actor.get("name"),
        iso(event.timestamp),
    )
