"""Initiatives: create a draft, one POST per command, current state and history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from web.api import if_match, service
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

blp = Blueprint(
    "initiatives",
    __name__,
    url_prefix="/api/v1/initiatives",
    description="Initiatives from proposal to decision",
)
blp.before_request(authenticate)

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


def etag(version: int) -> dict[str, str]:
    """The ETag header naming a version."""
    return {"ETag": f'"{version}"'}


@blp.route("")
class Initiatives(MethodView):
    """The collection of initiatives."""

    @blp.arguments(CreateInitiativeSchema)
    @blp.response(201, CreatedSchema)
    @documented_errors(401, 403, 422)
    def post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Open a draft initiative; the caller becomes its first proposer."""
        created = service().create_initiative(context(), **body)
        return created, 201, etag(created["version"])


@blp.route("/<uuid:initiative_id>")
class InitiativeById(MethodView):
    """One initiative."""

    @blp.response(200, InitiativeSchema)
    @documented_errors(401, 404)
    def get(self, initiative_id: UUID) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Read the current state of an initiative."""
        state = service().get_initiative(initiative_id)
        return state, 200, etag(state["version"])


@blp.route("/<uuid:initiative_id>/history")
class History(MethodView):
    """The initiative's events."""

    @blp.response(200, HistoryEntrySchema(many=True))
    @documented_errors(401, 404)
    def get(self, initiative_id: UUID) -> list[dict[str, Any]]:
        """Every event in order, with who acted under which position."""
        return service().get_history(initiative_id)


# path segment, body schema, application method, summary
COMMANDS: list[tuple[str, type[Schema], str, str]] = [
    ("submit", ProposalSchema, "submit", "Submit the proposal with every Art. 7 field."),
    ("receive", ReceiveSchema, "receive", "Log the proposal in at the addressee."),
    (
        "request-clarification",
        ClarificationSchema,
        "request_clarification",
        "Ask the proposer to clarify the proposal.",
    ),
    ("amend", AmendSchema, "amend", "Change fields of the proposal under review."),
    (
        "party-opinion",
        PartyOpinionSchema,
        "give_party_opinion",
        "Record the same-level party committee's opinion.",
    ),
    (
        "leadership-meeting",
        MeetingSchema,
        "hold_leadership_meeting",
        "Record the leadership meeting and each vote.",
    ),
    ("approve", ApproveSchema, "approve", "Approve in principle, on a basis the vote supports."),
    ("reject", RejectSchema, "reject", "Reject the proposal, with reasons."),
    ("escalate", ReasonSchema, "escalate", "Send the proposal to the superior agency."),
    ("withdraw", ReasonSchema, "withdraw", "Withdraw the proposal before the decision."),
]


def command_view(path: str, schema: type[Schema], method: str, summary: str) -> None:
    """Register `POST /<id>/<path>` calling the application method `method`."""

    @blp.arguments(schema)
    @blp.response(200, VersionSchema)
    @documented_errors(401, 403, 404, 409, 412, 422)
    def post(
        self: MethodView, body: dict[str, Any], initiative_id: UUID
    ) -> tuple[dict[str, int], int, dict[str, str]]:
        version = getattr(service(), method)(context(), initiative_id, if_match(), **body)
        return {"version": version}, 200, etag(version)

    post.__doc__ = summary
    view = type(f"{method.title().replace('_', '')}Command", (MethodView,), {"post": post})
    blp.route(f"/<uuid:initiative_id>/{path}", endpoint=path)(view)


for _command in COMMANDS:
    command_view(*_command)
