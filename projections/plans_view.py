"""Units' plans and reviews (domain/unit_plan.py): one row per plan as it stands now, one row
per review as recorded (its figures are those the review's event carries, counted when it was
held: a rebuild gives them back unchanged)."""

from __future__ import annotations

from typing import Any

from domain.unit_plan import UnitPlan, UnitReviews
from projections.db import Tx
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
        " updated_at TEXT NOT NULL, PRIMARY KEY (organisation_id, period))",
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

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Rewrite each touched plan; add a row per review recorded."""
        plans: dict[Any, tuple[int, UnitPlan]] = {}
        reviews: list[tuple[Any, ...]] = []
        for change in changes:
            aggregate = change.aggregate
            if isinstance(aggregate, UnitPlan):
                plans[aggregate.id] = (change.position, aggregate)
            elif isinstance(aggregate, UnitReviews) and isinstance(
                change.event, UnitReviews.ReviewRecorded
            ):
                reviews.append(_review(change, aggregate))
        for position, plan in plans.values():
            tx.execute(
                f"INSERT INTO iv_unit_plans ({', '.join(PLAN_COLUMNS)})"
                f" VALUES ({', '.join('?' for _ in PLAN_COLUMNS)})"
                " ON CONFLICT (organisation_id, period) DO UPDATE SET version = excluded.version,"
                " position = excluded.position, targets = excluded.targets,"
                " responsible_person_ids = excluded.responsible_person_ids,"
                " summary = excluded.summary, revisions = excluded.revisions,"
                " updated_at = excluded.updated_at",
                (
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
                ),
            )
        tx.append("iv_unit_reviews", REVIEW_COLUMNS, reviews)


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
