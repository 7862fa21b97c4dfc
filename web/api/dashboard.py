"""Dashboards and the audit feed, answered from the views."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from werkzeug.exceptions import NotFound, UnprocessableEntity

from domain.queries import differences
from projections import queries
from web.api import Blueprint, calendar, read_point, restricted, service
from web.auth import authenticate, context
from web.schemas.queries import (
    AuditFilterSchema,
    AuditPageSchema,
    CadreFilterSchema,
    DashboardChangesSchema,
    DeadlinesSchema,
    InboxFilterSchema,
    OrganisationFilterSchema,
    ProtectionFilterSchema,
    RowChangesSchema,
    RowsSchema,
    SupervisionFilterSchema,
)

blp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/api/v1",
    description="Dashboards and the audit feed (from the views)",
)
blp.before_request(authenticate)


def _org(args: dict[str, Any]) -> str | None:
    value = args.get("organisation_id")
    return str(value) if value else None


def _overseen(args: dict[str, Any], what: str) -> None:
    """The read policy's gate for dashboards (docs/authorization.md)."""
    service().require_oversight(context(), args.get("organisation_id"), what)


@blp.route("/dashboard/inbox")
class Inbox(MethodView):
    """Proposals awaiting a decision."""

    @blp.arguments(InboxFilterSchema, location="query")
    @blp.response(200, RowsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Proposals awaiting the organisation's decision, with working days left."""
        _overseen(args, "inbox")
        at = read_point(args)
        rows = queries.inbox(at.db, str(args["organisation_id"]), at.today, calendar())
        return at.answer({"items": rows})


@blp.route("/dashboard/deadlines")
class Deadlines(MethodView):
    """Running and missed clocks."""

    @blp.arguments(OrganisationFilterSchema, location="query")
    @blp.response(200, DeadlinesSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Running clocks and missed deadlines, by organisation."""
        _overseen(args, "deadlines")
        at = read_point(args)
        return at.answer(queries.deadlines(at.db, at.today, calendar(), _org(args)))


@blp.route("/dashboard/supervision")
class Supervision(MethodView):
    """Supervision coverage."""

    @blp.arguments(SupervisionFilterSchema, location="query")
    @blp.response(200, RowsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Pilots without a supervision note in the last `days` days."""
        _overseen(args, "supervision coverage")
        at = read_point(args)
        rows = queries.supervision_coverage(at.db, at.today, args["days"], _org(args))
        return at.answer({"items": rows})


@blp.route("/dashboard/outcomes")
class Outcomes(MethodView):
    """Counts by status and outcome."""

    @blp.arguments(OrganisationFilterSchema, location="query")
    @blp.response(200, RowsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Per organisation, own and rolled up through superiors and merges."""
        _overseen(args, "outcomes")
        at = read_point(args)
        org = _org(args)
        rows = [r for r in queries.outcomes(at.db) if org is None or r["organisation_id"] == org]
        return at.answer({"items": rows})


@blp.route("/dashboard/cadre-records")
class CadreRecords(MethodView):
    """Facts for cadres' periodic evaluation."""

    @blp.arguments(CadreFilterSchema, location="query")
    @blp.response(200, RowsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Proposed, approved, completed, commended, protected: per person and period."""
        service().require_cadre_records(context(), args.get("person_id"))
        person = str(args["person_id"]) if args.get("person_id") else None
        at = read_point(args)
        return at.answer({"items": queries.cadre_records(at.db, args["period"], person)})


@blp.route("/dashboard/protection")
class Protection(MethodView):
    """Recommended against determined measures."""

    @blp.arguments(ProtectionFilterSchema, location="query")
    @blp.response(200, RowsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Initiatives with a protection request or determination; mismatches flagged."""
        _overseen({}, "protection overview")
        at = read_point(args)
        return at.answer({"items": queries.protection(at.db, args["mismatches_only"])})


@blp.route("/audit")
class Audit(MethodView):
    """Every event across the system."""

    @blp.arguments(AuditFilterSchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; filter by organisation, person, event type, time; page with `before`."""
        _audit_allowed(args)
        at = read_point(args)
        return at.answer(queries.audit(at.db, args, args.pop("limit"), args.pop("before", None)))


def _audit_allowed(args: dict[str, Any]) -> None:
    """The audit feed: one's own acts, an initiative one may read, or an overseen organisation."""
    ctx = context()
    if args.get("person_id") == ctx.person_id:
        return
    if args.get("aggregate_id") and not args.get("organisation_id"):
        restricted(args["aggregate_id"], "audit trail")  # an inspector within a reading
        return
    service().require_oversight(ctx, args.get("organisation_id"), "audit feed")


def _rows(name: str, at: Any, args: dict[str, Any]) -> dict[str, Any]:
    """One dashboard's rows keyed by their identity."""
    org = _org(args)
    if name == "inbox":
        if org is None:
            raise UnprocessableEntity(description="the inbox needs organisation_id")
        rows = queries.inbox(at.db, org, at.today, calendar())
        return {r["id"]: r for r in rows}
    if name == "deadlines":
        report = queries.deadlines(at.db, at.today, calendar(), org)
        return {
            f"{r['initiative_id']}/{r['name']}/{state}": {**r, "state": state}
            for state in ("running", "missed")
            for r in report[state]
        }
    if name == "supervision":
        rows = queries.supervision_coverage(at.db, at.today, args.get("days") or 30, org)
        return {r["id"]: r for r in rows}
    if name == "outcomes":
        return {
            r["organisation_id"]: r
            for r in queries.outcomes(at.db)
            if org is None or r["organisation_id"] == org
        }
    if name == "cadre-records":
        person = str(args["person_id"]) if args.get("person_id") else None
        rows = queries.cadre_records(at.db, args.get("period") or "year", person)
        return {f"{r['person_id']}/{r['period']}": r for r in rows}
    rows = queries.protection(at.db, bool(args.get("mismatches_only")))
    return {r["id"]: r for r in rows}


DASHBOARD_VIEWS = ("inbox", "deadlines", "supervision", "outcomes", "cadre-records", "protection")


@blp.route("/dashboard/<string:view>/changes")
class DashboardChanges(MethodView):
    """How a dashboard changed between two moments."""

    @blp.arguments(DashboardChangesSchema, location="query")
    @blp.response(200, RowChangesSchema)
    def get(self, args: dict[str, Any], view: str) -> dict[str, Any]:
        """Rows added, removed and changed between `from` and `to` (both rebuilt as of then)."""
        if view not in DASHBOARD_VIEWS:
            raise NotFound(
                description=f"no dashboard '{view}': one of {', '.join(DASHBOARD_VIEWS)}"
            )
        if view == "cadre-records":
            service().require_cadre_records(context(), args.get("person_id"))
        else:
            _overseen(args if view != "protection" else {}, f"{view} changes")
        before = read_point({"as_of": args["from_"]})
        after = read_point({"as_of": args["to"]})
        return {
            **row_changes(_rows(view, before, args), _rows(view, after, args)),
            "from_": before.meta,
            "to": after.meta,
        }


def row_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Rows only in `after`, only in `before`, and in both with other values."""
    return {
        "added": [after[k] for k in sorted(after.keys() - before.keys())],
        "removed": [before[k] for k in sorted(before.keys() - after.keys())],
        "changed": [
            {"key": k, "differences": differences(before[k], after[k])}
            for k in sorted(before.keys() & after.keys())
            if before[k] != after[k]
        ],
    }
