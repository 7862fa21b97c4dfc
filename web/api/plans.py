"""Units' plans for encouraging innovation and their interim and final reviews; the dashboard
of a unit's plan against its results (domain/plan_service.py, projections/plan_queries.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Response, current_app
from flask.views import MethodView

from domain.messages import msg
from domain.period import Period
from projections import plan_queries
from projections.db import Database
from web.api import Blueprint, authenticated, read_point, service, today
from web.auth import context
from web.exports import FORMATS, spreadsheet
from web.reads import Reads
from web.schemas.answers import VersionSchema
from web.schemas.plans import (
    UnitPlanDashboardFilterSchema,
    UnitPlanDashboardSchema,
    UnitPlanRevisionSchema,
    UnitPlanRowsSchema,
    UnitPlanSchema,
    UnitPlansFilterSchema,
    UnitReviewSchema,
)
from web.schemas.queries import ExportFormatSchema

blp = Blueprint(
    "plans",
    __name__,
    url_prefix="/api/v1",
    description="Units' plans for encouraging innovation, their reviews, plan against results",
)
errors = authenticated(
    blp,
    {
        403: "Not the head or a deputy of the organisation on the day (or not overseeing it)",
        404: "No such organisation, or no plan for the period",
        409: "Already on record (a second plan, a review after the final one)",
        422: "Invalid fields (see `errors`)",
    },
)
WHO = " Who may: the head or a deputy of the organisation on the day."


def _written(version: int) -> dict[str, Any]:
    return {"version": version, "position": service().last_position()}


def _tally(organisation_id: UUID, period: str) -> Callable[[], tuple[dict[str, int], int]]:
    """The review's figures, counted once the views hold every event recorded so far."""

    def tally() -> tuple[dict[str, int], int]:
        reads: Reads = current_app.extensions["ledger.reads"]
        head = service().recorder.max_notification_id() or 0
        reads.wait_for(head)
        figures = plan_queries.results(
            reads.db, str(organisation_id), Period.parse(period), today()
        )
        return figures, head

    return tally


def _overseen(organisation_id: UUID, what: str) -> None:
    service().require_oversight(context(), organisation_id, what)


def _listing(
    what: str,
    rows: Callable[[Database, str, str | None, int | None], list[dict[str, Any]]],
    summary: str,
) -> Any:
    """The GET of a unit's `what` (from the view, as of the request's read point), for those who
    oversee it; `summary` documents it."""

    @blp.arguments(UnitPlansFilterSchema, location="query")
    @blp.response(200, UnitPlanRowsSchema)
    @errors(401, 403, 422)
    def get(_view: MethodView, args: dict[str, Any], organisation_id: UUID) -> dict[str, Any]:
        _overseen(organisation_id, what)
        at = read_point(args)
        found = rows(at.db, str(organisation_id), args.get("period"), at.position)
        return at.answer({"items": found})

    get.__doc__ = summary
    return get


@blp.route("/organisations/<uuid:organisation_id>/plans")
class Plans(MethodView):
    """A unit's plans, one per period."""

    get = _listing(
        "plans", plan_queries.plans, "The unit's plans (from the view), for those who oversee it."
    )

    @blp.arguments(UnitPlanSchema)
    @blp.response(201, VersionSchema)
    @errors(401, 403, 404, 409, 422)
    def post(self, body: dict[str, Any], organisation_id: UUID) -> tuple[dict[str, Any], int]:
        """Record the unit's plan for a period (before its end; one per period)."""
        return _written(service().record_plan(context(), organisation_id, **body)), 201

    post.__doc__ = (post.__doc__ or "") + WHO


@blp.route("/organisations/<uuid:organisation_id>/plans/<string:period>/revise")
class PlanRevision(MethodView):
    """A revision of a unit's plan."""

    @blp.arguments(UnitPlanRevisionSchema)
    @blp.response(200, VersionSchema)
    @errors(401, 403, 404, 409, 422)
    def post(self, body: dict[str, Any], organisation_id: UUID, period: str) -> dict[str, Any]:
        """Replace the plan's targets, people responsible and summary, with the reason."""
        return _written(service().revise_plan(context(), organisation_id, period, **body))

    post.__doc__ = (post.__doc__ or "") + WHO


@blp.route("/organisations/<uuid:organisation_id>/reviews")
class Reviews(MethodView):
    """A unit's interim and final reviews."""

    get = _listing(
        "reviews",
        plan_queries.reviews,
        "The unit's reviews (from the view), in the order held, with their figures.",
    )

    @blp.arguments(UnitReviewSchema)
    @blp.response(201, VersionSchema)
    @errors(401, 403, 404, 409, 422)
    def post(self, body: dict[str, Any], organisation_id: UUID) -> tuple[dict[str, Any], int]:
        """Hold an interim review (from the period's first day) or the final one (from its
        last day; one per period, none after it): its report is counted from the record and
        sealed with it."""
        tally = _tally(organisation_id, body["period"])
        return _written(
            service().record_review(context(), organisation_id, tally=tally, **body)
        ), 201

    post.__doc__ = (post.__doc__ or "") + WHO


@blp.route("/dashboard/plans")
class PlanDashboard(MethodView):
    """A unit's plan against its results."""

    @blp.arguments(UnitPlanDashboardFilterSchema, location="query")
    @blp.response(200, UnitPlanDashboardSchema)
    @errors(401, 403, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Per indicator, the plan's target and the result so far (counted as a review
        counts), with the period's reviews."""
        return _against(args, answered=True)


class PlanDashboardExportSchema(UnitPlanDashboardFilterSchema, ExportFormatSchema):
    """The dashboard's filters and a download's format."""


@blp.route("/dashboard/plans/export")
class PlanDashboardExport(MethodView):
    """A unit's plan against its results."""

    @blp.arguments(PlanDashboardExportSchema, location="query")
    @blp.response(200, content_type=FORMATS["xlsx"])
    @errors(401, 403, 422)
    def get(self, args: dict[str, Any]) -> Response:
        """As a spreadsheet, one row per indicator (the organisation, the period, the plan's
        target, the result so far): `format=csv` (UTF-8) or `xlsx`, the same filters; headers
        and codes in the request's language."""
        fmt = args.pop("format")
        found = _against(args, answered=False)
        rows = [
            {"organisation_id": found["organisation_id"], "period": found["period"], **row}
            for row in found["rows"]
        ]
        return spreadsheet("plans", rows, fmt)


def _against(args: dict[str, Any], answered: bool) -> dict[str, Any]:
    """The plan against its results for the filters `args` (now, or as of `as_of`), the
    gate passed; with the answer's reading (its position, as of) when `answered`."""
    _overseen(args["organisation_id"], msg("plan against results"))
    org, period = str(args.pop("organisation_id")), Period.parse(args.pop("period"))
    at = read_point(args)
    found = plan_queries.plan_against_results(at.db, org, period, at.today, at.position)
    return at.answer(found) if answered else found
