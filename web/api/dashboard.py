"""Dashboards and the audit feed, answered from the views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from flask.views import MethodView
from marshmallow import Schema
from werkzeug.exceptions import NotFound, UnprocessableEntity

from domain.messages import msg
from domain.queries import differences
from projections import due, queries, roll_ups
from web import answers
from web.api import Blueprint, ReadPoint, calendar, read_point, restricted, service
from web.auth import authenticate, context
from web.exports import FORMATS, clock_sheet, spreadsheet
from web.refusals import Sentence
from web.schemas.answers import (
    AuditPageSchema,
    DeadlinesSchema,
    InboxSchema,
    RowChangesSchema,
    RowsSchema,
)
from web.schemas.queries import (
    AuditFilterSchema,
    CadreFilterSchema,
    DashboardChangesSchema,
    ExportFormatSchema,
    InboxFilterSchema,
    OrganisationFilterSchema,
    PageSchema,
    ProtectionFilterSchema,
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


def _scope(at: ReadPoint, args: dict[str, Any]) -> queries.ReadScope:
    """The organisation asked for (absent: all), as at the read point's log position."""
    return queries.ReadScope(_org(args), at.position)


def _overseen(args: dict[str, Any], what: str) -> None:
    """The read policy's gate for dashboards (docs/authorization.md)."""
    service().require_oversight(context(), args.get("organisation_id"), what)


Rows = list[dict[str, Any]]


def _page(args: dict[str, Any]) -> due.Page | None:
    """The page asked for (`limit`, `cursor`: a GET always has a `limit`), or None: the whole
    answer (a spreadsheet, the changes between two moments)."""
    if args.get("limit") is None:
        return None
    return due.Page(int(args["limit"]), args.get("cursor"))


def _inbox(at: ReadPoint, args: dict[str, Any]) -> Any:
    org = _org(args)
    if org is None:
        raise UnprocessableEntity(description=msg("the inbox needs organisation_id"))
    return due.inbox(at.db, org, at.today, calendar(), _page(args), at.position)


def _deadlines(at: ReadPoint, args: dict[str, Any]) -> dict[str, Any]:
    return due.deadlines(at.db, at.today, calendar(), _scope(at, args), _page(args))


def _supervision(at: ReadPoint, args: dict[str, Any]) -> Rows:
    days = args.get("days") or 30
    return queries.supervision_coverage(at.db, at.today, days, _scope(at, args))


def _outcomes(at: ReadPoint, args: dict[str, Any]) -> Rows:
    org = _org(args)
    rows = roll_ups.outcomes(at.db, at.position)
    return [r for r in rows if org is None or r["organisation_id"] == org]


def _cadre_records(at: ReadPoint, args: dict[str, Any]) -> Rows:
    person = str(args["person_id"]) if args.get("person_id") else None
    return queries.cadre_records(at.db, args.get("period") or "year", person, at.position)


def _protection(at: ReadPoint, args: dict[str, Any]) -> Rows:
    return queries.protection(at.db, bool(args.get("mismatches_only")), None, at.position)


def _cadre_gate(args: dict[str, Any], _what: str) -> None:
    service().require_cadre_records(context(), args.get("person_id"))


def _unscoped_gate(_args: dict[str, Any], what: str) -> None:
    _overseen({}, what)


@dataclass(frozen=True)
class Dashboard:
    """A dashboard: its route, documents, gate and rows (also what its changes compare)."""

    name: str
    about: str
    summary: str
    arguments: type[Schema]
    what: str
    rows: Callable[[ReadPoint, dict[str, Any]], Any]
    key: Callable[[dict[str, Any]], Any] | None = None  # None: the deadlines report
    answer: type[Schema] = RowsSchema
    gate: Callable[[dict[str, Any], str], None] = _overseen
    paged: bool = False  # answered by pages (`limit`, `cursor`)

    def get(self, args: dict[str, Any]) -> dict[str, Any] | Response:
        """The dashboard now, or as of `as_of` (from the answer cache when it holds it)."""
        self.gate(args, self.what)
        compute = lambda at: at.answer(self.body(at, args))  # noqa: E731
        return answers.serve(self.name, args, compute, self.answer())

    def body(self, at: ReadPoint, args: dict[str, Any]) -> dict[str, Any]:
        """The answer's body: the rows (`items`, or the deadlines' report), or a page."""
        rows = self.rows(at, args)
        return rows if self.key is None or isinstance(rows, dict) else {"items": rows}

    def table(self, at: ReadPoint, args: dict[str, Any]) -> Rows:
        """The rows, one list (the deadlines' running and missed clocks with their state)."""
        if self.key is not None:
            return list(self.rows(at, args))
        report = self.rows(at, args)
        return [{**r, "state": state} for state in ("running", "missed") for r in report[state]]

    def sheet(self, at: ReadPoint, args: dict[str, Any]) -> Rows:
        """The rows of the table as a spreadsheet heads them (a deadline's `name` is its
        clock's)."""
        rows = self.table(at, args)
        if self.key is not None:
            return rows
        return clock_sheet(rows)

    def keyed(self, at: ReadPoint, args: dict[str, Any]) -> dict[str, Any]:
        """The rows keyed by their identity (the deadlines' by initiative, clock and state;
        several clocks of one name, such as one per obstacle, numbered from the second in
        the order of their due dates, then of their start)."""
        if self.key is not None:
            return {self.key(r): r for r in self.rows(at, args)}
        found: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for r in self.table(at, args):
            key = f"{r['initiative_id']}/{r['name']}/{r['state']}"
            seen[key] = seen.get(key, 0) + 1
            found[key if seen[key] == 1 else f"{key}/{seen[key]}"] = r
        return found

    def export(self, args: dict[str, Any]) -> Response:
        """The dashboard (now, or as of `as_of`) as a CSV or Excel download."""
        fmt = args.pop("format")
        self.gate(args, self.what)
        return spreadsheet(self.name, self.sheet(read_point(args), args), fmt)

    def route(self) -> None:
        """Register GET /dashboard/<name>."""
        dashboard = self

        def get(_view: MethodView, args: dict[str, Any]) -> dict[str, Any] | Response:
            return dashboard.get(args)

        get.__doc__ = self.summary
        name = self.name.title().replace("-", "")
        query = self.arguments
        if self.paged:
            query = type(f"{name}QuerySchema", (self.arguments, PageSchema), {})
        documented = blp.response(200, self.answer)(blp.arguments(query, location="query")(get))
        blp.route(f"/dashboard/{self.name}")(
            type(name, (MethodView,), {"__doc__": self.about, "get": documented})
        )

        def export(_view: MethodView, args: dict[str, Any]) -> Response:
            return dashboard.export(args)

        export.__doc__ = (
            f"{self.about} As a spreadsheet: `format=csv` (UTF-8) or `xlsx`, the same filters;"
            " headers and codes in the request's language."
        )
        arguments = type(f"{name}ExportSchema", (self.arguments, ExportFormatSchema), {})
        downloadable = blp.response(200, content_type=FORMATS["xlsx"])(
            blp.arguments(arguments, location="query")(export)
        )
        blp.route(f"/dashboard/{self.name}/export")(
            type(f"{name}Export", (MethodView,), {"__doc__": self.about, "get": downloadable})
        )


def _by_id(row: dict[str, Any]) -> Any:
    return row["id"]


DASHBOARDS = {
    d.name: d
    for d in (
        Dashboard(
            "inbox",
            "Proposals awaiting a decision.",
            "Proposals awaiting the organisation's decision, with working days left, what each"
            " waits for (`waiting_for`: the command awaited — `receive`, `give_party_opinion`,"
            " `hold_leadership_meeting`, `approve`, `amend`, `authorize_urgent`,"
            " `ratify_urgent`) and who must act next (`next_actor`: the roles, or `proposer`;"
            " `next_actor_organisation_id`; `next_actor_person_ids` when people are named).",
            InboxFilterSchema,
            msg("inbox"),
            _inbox,
            _by_id,
            answer=InboxSchema,
            paged=True,
        ),
        Dashboard(
            "deadlines",
            "Running and missed clocks.",
            "Running clocks and missed deadlines, by organisation.",
            OrganisationFilterSchema,
            msg("deadlines"),
            _deadlines,
            answer=DeadlinesSchema,
            paged=True,
        ),
        Dashboard(
            "supervision",
            "Supervision coverage.",
            "Pilots without a supervision note in the last `days` days.",
            SupervisionFilterSchema,
            msg("supervision coverage"),
            _supervision,
            _by_id,
        ),
        Dashboard(
            "outcomes",
            "Counts by status and outcome.",
            "Per organisation, own and rolled up through superiors and merges.",
            OrganisationFilterSchema,
            msg("outcomes"),
            _outcomes,
            lambda r: r["organisation_id"],
        ),
        Dashboard(
            "cadre-records",
            "Facts for cadres' periodic evaluation.",
            "Proposed, approved, completed, commended, protected: per person and period.",
            CadreFilterSchema,
            msg("cadre records"),
            _cadre_records,
            lambda r: f"{r['person_id']}/{r['period']}",
            gate=_cadre_gate,
        ),
        Dashboard(
            "protection",
            "Recommended against determined measures.",
            "Initiatives with a protection request or determination; mismatches flagged.",
            ProtectionFilterSchema,
            msg("protection overview"),
            _protection,
            _by_id,
            gate=_unscoped_gate,
        ),
    )
}
for _dashboard in DASHBOARDS.values():
    _dashboard.route()


@blp.route("/audit")
class Audit(MethodView):
    """Every event across the system."""

    @blp.arguments(AuditFilterSchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; filter by organisation, person, event type, time; page with `before`."""
        _audit_allowed(args)
        at = read_point(args)
        limit, before = args.pop("limit"), args.pop("before", None)
        return at.answer(queries.audit(at.db, args, limit, before, at.position))


def _audit_allowed(args: dict[str, Any]) -> None:
    """The audit feed: one's own acts, an initiative one may read, or an overseen organisation."""
    ctx = context()
    if args.get("person_id") == ctx.person_id:
        return
    if args.get("aggregate_id") and not args.get("organisation_id"):
        restricted(args["aggregate_id"], "audit trail")  # an inspector within a reading
        return
    service().require_oversight(ctx, args.get("organisation_id"), msg("audit feed"))


DASHBOARD_VIEWS = tuple(DASHBOARDS)


@blp.route("/dashboard/<string:view>/changes")
class DashboardChanges(MethodView):
    """How a dashboard changed between two moments."""

    @blp.arguments(DashboardChangesSchema, location="query")
    @blp.response(200, RowChangesSchema)
    def get(self, args: dict[str, Any], view: str) -> dict[str, Any]:
        """Rows added, removed and changed between `from` and `to` (both as of then)."""
        if view not in DASHBOARD_VIEWS:
            raise NotFound(
                description=Sentence(
                    "no dashboard '{view}': one of {views}",
                    view=view,
                    views=", ".join(DASHBOARD_VIEWS),
                )
            )
        dashboard = DASHBOARDS[view]
        dashboard.gate(args, f"{view} changes")
        before = read_point({"as_of": args["from_"]})
        after = read_point({"as_of": args["to"]})
        return {
            **row_changes(dashboard.keyed(before, args), dashboard.keyed(after, args)),
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
