"""Initiatives: create a draft, one POST per command, current state and history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import Schema

from projections import queries
from web import idempotency
from web.api import (
    Blueprint,
    dossier_of,
    if_match,
    proven,
    read_history,
    read_point,
    readable_state,
    receipt_of,
    restricted,
    service,
)
from web.auth import authenticate, context
from web.schemas.common import CreatedSchema, ProblemSchema, VersionSchema
from web.schemas.initiatives import (
    AmendSchema,
    ApproveSchema,
    ClarificationSchema,
    CreateInitiativeSchema,
    HistoryEntrySchema,
    InitiativeSchema,
    MeetingSchema,
    PartyOpinionSchema,
    ProposalSchema,
    ReasonSchema,
    ReceiveSchema,
    RejectSchema,
)
from web.schemas.lifecycle import (
    AdjustmentApprovalSchema,
    AdjustmentRejectionSchema,
    AdjustmentRequestSchema,
    ArchiveSchema,
    CommendationSchema,
    CompletionSchema,
    CorrectionSchema,
    CountersignSchema,
    DecisionSchema,
    EvaluationInputSchema,
    EvaluationSchema,
    InstitutionalisationSchema,
    LiabilityOutcomeSchema,
    ObstacleResolutionSchema,
    ObstacleSchema,
    ProgressSchema,
    ProtectionDeterminationSchema,
    ProtectionRequestSchema,
    ReplicationApprovalSchema,
    ReplicationProposalSchema,
    ResourcesSchema,
    ResultSchema,
    ReviewSchema,
    SalaryStepSchema,
    StartSchema,
    SupervisionNoteSchema,
    UrgentDecisionSchema,
    UrgentReportSchema,
)
from web.schemas.queries import (
    AccessEntrySchema,
    ChangesResultSchema,
    ChangesSchema,
    InitiativeFilterSchema,
    InitiativePageSchema,
    PointInTimeSchema,
    PurposeSchema,
    ReadingSchema,
    ReceiptSchema,
    UntilSchema,
)

blp = Blueprint(
    "initiatives",
    __name__,
    url_prefix="/api/v1/initiatives",
    description="Initiatives from proposal to decision",
)
blp.before_request(authenticate)
blp.before_request(idempotency.claim)
blp.after_request(idempotency.remember)

ERRORS = {
    401: "No token, or a bad one",
    403: "Not permitted for this person (the reason is in `detail`)",
    404: "No such initiative",
    409: "Not allowed in the current state, or a concurrent write",
    412: "If-Match names another version than the current one",
    422: "Invalid fields (see `errors`)",
}


def documented_errors(*codes: int) -> Callable[[Any], Any]:
    """Document problem responses for `codes`."""

    def decorate(view: Any) -> Any:
        for code in codes:
            view = blp.alt_response(
                code,
                schema=ProblemSchema,
                description=ERRORS[code],
                content_type="application/problem+json",
            )(view)
        return view

    return decorate


def visible_to(db: Any) -> tuple[list[str], str] | None:
    """The read policy for lists: initiatives of overseen organisations, or one's own."""
    ctx = context()
    candidates = [UUID(o["id"]) for o in queries.directory_organisations(db)]
    overseen = service().overseen_organisations(ctx, candidates)
    if overseen is None:
        return None
    return sorted(str(o) for o in overseen), str(ctx.person_id)


def _filters(args: dict[str, Any]) -> dict[str, Any]:
    """Query arguments as view filters (the list's `organisation_id` is the employer)."""
    if "organisation_id" in args:
        args["employing_organisation_id"] = args.pop("organisation_id")
    return args


def etag(version: int) -> dict[str, str]:
    """The ETag header naming a version."""
    return {"ETag": f'"{version}"'}


# path segment, body schema, application method, summary, who may, in which states
COMMANDS: list[tuple[str, type[Schema], str, str, str, str]] = [
    (
        "submit",
        ProposalSchema,
        "submit",
        "Submit the proposal with every Art. 7 field.",
        "a proposer holding a position in the employing agency",
        "draft",
    ),
    (
        "receive",
        ReceiveSchema,
        "receive",
        "Log the proposal in at the addressee.",
        "the addressee's clerk or head",
        "submitted",
    ),
    (
        "request-clarification",
        ClarificationSchema,
        "request_clarification",
        "Ask the proposer to clarify the proposal.",
        "the addressee's head",
        "under_review",
    ),
    (
        "amend",
        AmendSchema,
        "amend",
        "Change fields of the proposal under review.",
        "a proposer",
        "under_review, clarification_requested",
    ),
    (
        "party-opinion",
        PartyOpinionSchema,
        "give_party_opinion",
        "Record the same-level party committee's opinion.",
        "a member of the deciding agency's same-level party committee",
        "approval phase: under_review, clarification_requested; evaluation phase: "
        "under_evaluation",
    ),
    (
        "leadership-meeting",
        MeetingSchema,
        "hold_leadership_meeting",
        "Record the leadership meeting and each vote.",
        "the deciding agency's head (chair)",
        "under_review, under_evaluation",
    ),
    (
        "approve",
        ApproveSchema,
        "approve",
        "Approve in principle, on a basis the vote supports.",
        "the addressee's head, not a proposer",
        "under_review",
    ),
    (
        "reject",
        RejectSchema,
        "reject",
        "Reject the proposal, with reasons.",
        "the addressee's head",
        "under_review, clarification_requested",
    ),
    (
        "escalate",
        ReasonSchema,
        "escalate",
        "Send the proposal to the superior agency.",
        "the addressee's head",
        "under_review",
    ),
    (
        "withdraw",
        ReasonSchema,
        "withdraw",
        "Withdraw the proposal before the decision.",
        "a proposer",
        "draft, submitted, under_review, clarification_requested, urgent_reported",
    ),
    (
        "report-urgent",
        UrgentReportSchema,
        "report_urgent",
        "Report an urgent situation with at least two options.",
        "a proposer of an initiative drafted on the urgent path",
        "draft",
    ),
    (
        "authorize-urgent",
        UrgentDecisionSchema,
        "authorize_urgent",
        "Authorize urgent action before the cadre acts.",
        "the competent authority's head",
        "urgent_reported (not yet acted)",
    ),
    (
        "ratify-urgent",
        UrgentDecisionSchema,
        "ratify_urgent",
        "Ratify what the cadre had to do before the decision.",
        "the competent authority's head",
        "urgent_reported (already acted)",
    ),
    (
        "refuse-urgent",
        RejectSchema,
        "refuse_urgent",
        "Refuse the urgent report.",
        "the competent authority's head",
        "urgent_reported",
    ),
    (
        "allocate-resources",
        ResourcesSchema,
        "allocate_resources",
        "Allocate people, equipment and funds (Art. 10).",
        "the approving authority's head",
        "approved, in_progress",
    ),
    (
        "start",
        StartSchema,
        "start_implementation",
        "Start the work within the approved (and adjusted) dates.",
        "an assignee",
        "approved",
    ),
    (
        "report-progress",
        ProgressSchema,
        "report_progress",
        "Report progress.",
        "an assignee",
        "in_progress",
    ),
    (
        "supervision-note",
        SupervisionNoteSchema,
        "record_supervision_note",
        "Record an inspection, supervision or monitoring note.",
        "the approving authority's head or its superior's, a member of its party committee, "
        "or an inspector",
        "any state after approval",
    ),
    (
        "raise-obstacle",
        ObstacleSchema,
        "raise_obstacle",
        "Record an obstacle.",
        "an assignee",
        "in_progress",
    ),
    (
        "resolve-obstacle",
        ObstacleResolutionSchema,
        "resolve_obstacle",
        "Record the measure that resolved an obstacle.",
        "the approving authority's head or its superior's",
        "in_progress, suspended",
    ),
    (
        "request-adjustment",
        AdjustmentRequestSchema,
        "request_adjustment",
        "Ask to change the approved scope, dates or resources.",
        "an assignee or proposer",
        "in_progress, suspended",
    ),
    (
        "approve-adjustment",
        AdjustmentApprovalSchema,
        "approve_adjustment",
        "Approve an adjustment; the terms change from now on.",
        "the head of the authority that approved",
        "in_progress, suspended",
    ),
    (
        "reject-adjustment",
        AdjustmentRejectionSchema,
        "reject_adjustment",
        "Refuse an adjustment.",
        "the head of the authority that approved",
        "in_progress, suspended",
    ),
    (
        "suspend",
        DecisionSchema,
        "suspend",
        "Suspend the work.",
        "the approving authority's head or its superior's",
        "in_progress",
    ),
    (
        "resume",
        DecisionSchema,
        "resume",
        "Resume suspended work.",
        "the approving authority's head or its superior's",
        "suspended",
    ),
    (
        "terminate",
        DecisionSchema,
        "terminate",
        "Stop the work; it is still evaluated.",
        "the approving authority's head or its superior's",
        "in_progress, suspended",
    ),
    (
        "complete",
        CompletionSchema,
        "complete",
        "Declare the work complete.",
        "an assignee",
        "in_progress",
    ),
    (
        "report-result",
        ResultSchema,
        "report_result",
        "Report the result against each objective, damage and causes.",
        "an assignee or proposer",
        "completed, terminated",
    ),
    (
        "evaluate",
        EvaluationSchema,
        "evaluate",
        "Evaluate the result (Art. 11).",
        "the approving authority's head, not a proposer, after the evaluation-phase party "
        "opinion and a leadership meeting",
        "under_evaluation",
    ),
    (
        "request-protection",
        ProtectionRequestSchema,
        "request_protection",
        "Request protection from liability.",
        "the cadre, the agency's head, or an inspector",
        "any state once approved",
    ),
    (
        "determine-protection",
        ProtectionDeterminationSchema,
        "determine_protection",
        "Determine the protection measure; a mismatch with the recommendation is flagged.",
        "the employing agency's head (its superior's for the head's own)",
        "evaluated, archived",
    ),
    (
        "liability-outcome",
        LiabilityOutcomeSchema,
        "record_liability_outcome",
        "Record the deciding body's decision on liability.",
        "a clerk of the deciding body",
        "after a protection request",
    ),
    (
        "commend",
        CommendationSchema,
        "commend",
        "Record praise (any time after approval) or a reward (after a completed outcome).",
        "a commendation officer of the awarding organisation",
        "any state after approval",
    ),
    (
        "cadre-evaluation-input",
        EvaluationInputSchema,
        "record_cadre_evaluation_input",
        "Record facts for a cadre's periodic evaluation.",
        "a personnel officer",
        "evaluated, archived",
    ),
    (
        "early-salary-step",
        SalaryStepSchema,
        "consider_early_salary_step",
        "Record an early salary step of at most 12 months.",
        "a personnel officer",
        "evaluated with the outcome completed",
    ),
    (
        "interim-review",
        ReviewSchema,
        "hold_interim_review",
        "Hold an interim review.",
        "the approving authority's head or party committee",
        "in_progress, suspended",
    ),
    (
        "final-review",
        ReviewSchema,
        "hold_final_review",
        "Hold the final review.",
        "the approving authority's head or party committee",
        "evaluated, archived",
    ),
    (
        "propose-replication",
        ReplicationProposalSchema,
        "propose_replication",
        "Propose replicating the initiative in other organisations.",
        "the approving authority's head or its superior's",
        "evaluated with outcome completed",
    ),
    (
        "approve-replication",
        ReplicationApprovalSchema,
        "approve_replication",
        "Approve a replication; linked child initiatives are created.",
        "the head of the approving authority's superior",
        "evaluated with outcome completed",
    ),
    (
        "recommend-institutionalisation",
        InstitutionalisationSchema,
        "recommend_institutionalisation",
        "Recommend turning the result into a rule.",
        "the approving authority's head or its superior's",
        "evaluated, archived",
    ),
    (
        "correct",
        CorrectionSchema,
        "correct",
        "Propose a correction of an earlier event; the original is never edited, and the"
        " correction takes effect when countersigned.",
        "the person who recorded it",
        "any state",
    ),
    (
        "countersign-correction",
        CountersignSchema,
        "countersign_correction",
        "Countersign a proposed correction (its own act): the correction takes effect.",
        "the head of the organisation the corrected event was recorded in, not its author",
        "while a correction awaits a countersignature",
    ),
    (
        "archive",
        ArchiveSchema,
        "archive",
        "Archive the file.",
        "a clerk of the employing agency or the approving authority",
        "evaluated",
    ),
]


# What the answer to a creation links to (OpenAPI links, which clients and schemathesis's
# stateful run follow with the new initiative's id): every operation on one initiative, as
# (method, path after the id).
LINKED_FROM_CREATION = [
    ("get", ""),
    ("get", "/history"),
    ("get", "/dossier"),
    ("post", "/readings"),
    ("get", "/access-log"),
    ("get", "/changes"),
    ("get", "/events/{version}/receipt"),
    *(("post", f"/{name}") for name, *_ in COMMANDS),
]


def creation_links() -> dict[str, Any]:
    """The OpenAPI links of the 201 answer to a creation: the new id (and, for the receipt,
    the version of its first event) into each operation of LINKED_FROM_CREATION."""
    links: dict[str, Any] = {}
    for method, path in LINKED_FROM_CREATION:
        route = f"{blp.url_prefix}/{{initiative_id}}{path}"
        parameters = {"initiative_id": "$response.body#/id"}
        if "{version}" in path:
            parameters["version"] = "$response.body#/version"
        pointer = route.replace("~", "~0").replace("/", "~1")
        links[path.split("/")[-1] or "initiative"] = {
            "operationRef": f"#/paths/{pointer}/{method}",
            "parameters": parameters,
        }
    return links


@blp.route("")
class Initiatives(MethodView):
    """The collection of initiatives."""

    @blp.arguments(InitiativeFilterSchema, location="query")
    @blp.response(200, InitiativePageSchema)
    @documented_errors(401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List initiatives from the view: filters, sort and cursor pagination."""
        at = read_point(args)
        args["visible_to"] = visible_to(at.db)
        page = args.pop("limit"), args.pop("sort"), args.pop("cursor", None)
        return at.answer(
            queries.list_initiatives(at.db, _filters(args), page[1], page[0], page[2])
        )

    @blp.arguments(CreateInitiativeSchema)
    @blp.response(201, CreatedSchema)
    @blp.doc(responses={"201": {"links": creation_links()}})
    @documented_errors(401, 403, 422)
    def post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Open a draft initiative; the caller becomes its first proposer."""
        created = service().create_initiative(context(), **body)
        created["position"] = service().last_position()
        return created, 201, etag(created["version"])


@blp.route("/<uuid:initiative_id>")
class InitiativeById(MethodView):
    """One initiative."""

    @blp.arguments(PointInTimeSchema, location="query")
    @blp.response(200, InitiativeSchema)
    @documented_errors(401, 404, 409, 422)
    def get(
        self, args: dict[str, Any], initiative_id: UUID
    ) -> tuple[dict[str, Any], int, dict[str, str]]:
        """The state now, `as_of` a past moment, or at a `version`, replayed from its events."""
        proven(initiative_id)
        state = readable_state(service().get_initiative(initiative_id, **args))
        return state, 200, etag(state["version"])


@blp.route("/<uuid:initiative_id>/history")
class History(MethodView):
    """The initiative's events."""

    @blp.arguments(UntilSchema, location="query")
    @blp.response(200, HistoryEntrySchema(many=True))
    @documented_errors(401, 403, 404, 409, 422)
    def get(self, args: dict[str, Any], initiative_id: UUID) -> list[dict[str, Any]]:
        """Every event in order (up to `until`), with who acted under which position.
        An inspector names a reading they opened (`X-Reading-Id`)."""
        return read_history(initiative_id, args.get("until"))


@blp.route("/<uuid:initiative_id>/dossier")
class Dossier(MethodView):
    """The inspection dossier."""

    @blp.response(200, content_type="application/zip")
    @documented_errors(401, 403, 404, 409)
    def get(self, initiative_id: UUID) -> Response:
        """One ZIP: every receipt, checkpoints, index and consistency proofs, the history and
        its story, README. An inspector names a reading they opened (`X-Reading-Id`)."""
        archive = dossier_of(initiative_id)
        return Response(
            archive,
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="dossier-{initiative_id}.zip"'},
        )


@blp.route("/<uuid:initiative_id>/readings")
class Readings(MethodView):
    """An inspector's reading of the restricted record."""

    @blp.arguments(PurposeSchema)
    @blp.response(201, ReadingSchema)
    @documented_errors(401, 403, 404, 422)
    def post(self, body: dict[str, Any], initiative_id: UUID) -> tuple[dict[str, Any], int]:
        """Open a reading, stating its purpose (recorded in the access log); name its
        `reading_id` in the `X-Reading-Id` header of the reads that follow (valid
        READING_TTL seconds)."""
        ctx = context()
        service().require_full_read(ctx, initiative_id, "record")
        reading = service().open_reading(ctx, initiative_id, body.get("purpose"))
        ttl = current_app.extensions["ledger.settings"].reading_ttl
        return {"reading_id": reading, "expires_at": ctx.at + timedelta(seconds=ttl)}, 201


@blp.route("/<uuid:initiative_id>/access-log")
class AccessLogView(MethodView):
    """Readings by inspection bodies."""

    @blp.response(200, AccessEntrySchema(many=True))
    @documented_errors(401, 404)
    def get(self, initiative_id: UUID) -> list[dict[str, Any]]:
        """Who read this initiative's history or dossier as an inspector, when and why."""
        restricted(initiative_id, "access log")
        return service().get_access_log(initiative_id)


@blp.route("/<uuid:initiative_id>/changes")
class Changes(MethodView):
    """What changed between two moments."""

    @blp.arguments(ChangesSchema, location="query")
    @blp.response(200, ChangesResultSchema)
    @documented_errors(401, 404, 409, 422)
    def get(self, args: dict[str, Any], initiative_id: UUID) -> dict[str, Any]:
        """The events in between and a field-by-field difference of the state."""
        restricted(initiative_id, "changes")
        proven(initiative_id)
        return service().get_changes(initiative_id, args["from_"], args["to"])


@blp.route("/<uuid:initiative_id>/events/<int:version>/receipt")
class Receipt(MethodView):
    """The verifiable receipt of one event."""

    @blp.response(200, ReceiptSchema)
    @documented_errors(401, 404, 409)
    def get(self, initiative_id: UUID, version: int) -> dict[str, Any]:
        """A C2SP tlog-proof with the stored record, verifiable offline with the verifier key."""
        return receipt_of(initiative_id, version)


def command_view(
    path: str, schema: type[Schema], method: str, summary: str, who: str, states: str
) -> None:
    """Register `POST /<id>/<path>` calling the application method `method`."""

    @blp.arguments(schema)
    @blp.response(200, VersionSchema)
    @documented_errors(401, 403, 404, 409, 412, 422)
    def post(
        self: MethodView, body: dict[str, Any], initiative_id: UUID
    ) -> tuple[dict[str, int], int, dict[str, str]]:
        version = getattr(service(), method)(context(), initiative_id, if_match(), **body)
        return {"version": version, "position": service().last_position()}, 200, etag(version)

    post.__doc__ = f"{summary}\n\nWho may: {who}.\n\nAllowed when: {states}."
    view = type(f"{method.title().replace('_', '')}Command", (MethodView,), {"post": post})
    blp.route(f"/<uuid:initiative_id>/{path}", endpoint=path)(view)


for _command in COMMANDS:
    command_view(*_command)
