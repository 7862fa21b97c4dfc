"""Requests and answers of units' plans and reviews (web/api/plans.py)."""

from __future__ import annotations

from marshmallow import fields, validate

from domain.period import PATTERN
from domain.vocabulary import Indicator, ReviewKind
from web.schemas.answers import AnswerSchema
from web.schemas.common import StrictSchema, Text, long_text
from web.schemas.queries import ConsistencySchema

INDICATORS = [i.value for i in Indicator]
PERIOD_ABOUT = "a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-07)"


def period_field(**kwargs: object) -> fields.String:
    """A period as the API names it."""
    return fields.String(
        validate=validate.Regexp(PATTERN, error=f"must be {PERIOD_ABOUT}"),
        metadata={"description": PERIOD_ABOUT, "pattern": PATTERN},
        **kwargs,  # type: ignore[arg-type]
    )


class UnitTargetSchema(StrictSchema):
    """One indicator's target for the period."""

    indicator = fields.String(required=True, validate=validate.OneOf(INDICATORS))
    target = fields.Integer(required=True, validate=validate.Range(min=0, max=1_000_000))


class UnitPlanContentSchema(StrictSchema):
    """What a plan sets: targets (each indicator at most once), the people responsible (in
    the directory, each once), a summary."""

    targets = fields.List(
        fields.Nested(UnitTargetSchema),
        required=True,
        validate=validate.Length(min=1, max=len(INDICATORS)),
        metadata={"description": "at least one; each indicator at most once"},
    )
    responsible_person_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "people in the directory, each once"},
    )
    summary = long_text()


class UnitPlanSchema(UnitPlanContentSchema):
    """A unit's plan for a period."""

    period = period_field(required=True)


class UnitPlanRevisionSchema(UnitPlanContentSchema):
    """A revision replaces the targets, the people responsible and the summary."""

    reason = Text(required=True)


class UnitReviewSchema(StrictSchema):
    """An interim or final review of a period (its figures are counted from the record)."""

    period = period_field(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ReviewKind]))
    lessons = long_text()
    replicate = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "initiatives of the unit (or of one under it) to replicate"},
    )
    institutionalise = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "initiatives of the unit (or under it) to institutionalise"},
    )


class UnitPlansFilterSchema(ConsistencySchema):
    """Optionally one period."""

    period = period_field()


class UnitPlanDashboardFilterSchema(ConsistencySchema):
    """One organisation and one period."""

    organisation_id = fields.UUID(required=True)
    period = period_field(required=True)


class UnitPlanRowsSchema(AnswerSchema):
    """Plans or reviews of a unit."""

    items = fields.List(fields.Dict())


class UnitPlanDashboardSchema(AnswerSchema):
    """A unit's plan against its results in a period."""

    organisation_id = fields.String()
    period = fields.String()
    plan = fields.Dict(allow_none=True)
    rows = fields.List(
        fields.Dict(),
        metadata={
            "description": "per indicator: `indicator`, `target` (none: no plan) and"
            " `result` so far"
        },
    )
    reviews = fields.List(fields.Dict())
