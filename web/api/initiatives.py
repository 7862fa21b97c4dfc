"""Initiatives: create a draft, one POST per command, current state and history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import Schema

from domain.messages import msg
from projections import queries
from web import idempotency
from web.api import (
    Blueprint,
    authenticated,
    dossier_download,
    if_match,
    proven,
    read_history,
    read_point,
    readable_state,
    receipt_of,
    restricted,
    service,
)
from web.api.attachments import command_context
from web.api.commands import COMMANDS as COMMANDS  # re-exported: tests
from web.api.commands import creation_links, description
from web.auth import context
from web.schemas.answers import (
    AccessEntrySchema,
    ChangesResultSchema,
    CreatedSchema,
    HistoryEntrySchema,
    InitiativePageSchema,
    InitiativeSchema,
    ReadingSchema,
    ReceiptSchema,
    VersionSchema,
)
from web.schemas.initiatives import CreateInitiativeSchema
from web.schemas.queries import (
    ChangesSchema,
    DossierSchema,
    InitiativeFilterSchema,
    PointInTimeSchema,
    PurposeSchema,
    UntilSchema,
)

blp = Blueprint(
    "initiatives",
    __name__,
    url_prefix="/api/v1/initiatives",
    description="Initiatives from proposal to decision",
)
documented_errors = authenticated(
    blp,
    {
        403: "Not permitted for this person (the reason is in `detail`)",
        404: "No such initiative",
        409: "Not allowed in the current state, or a concurrent write",
        412: "If-Match names another version than the current one",
        422: "Invalid fields (see `errors`)",
    },
)
blp.before_request(idempotency.claim)
blp.after_request(idempotency.remember)


def visible_to(db: Any, at: int | None = None) -> tuple[list[str], str] | None:
    """The read policy for lists: initiatives of overseen organisations, or one's own (among
    the organisations at log position `at`; None: now)."""
    ctx = context()
    candidates = [UUID(o["id"]) for o in queries.directory_organisations(db, at)]
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


@blp.route("")
class Initiatives(MethodView):
    """The collection of initiatives."""

    @blp.arguments(InitiativeFilterSchema, location="query")
    @blp.response(200, InitiativePageSchema)
    @documented_errors(401, 422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List initiatives from the view: filters, sort and cursor pagination."""
        at = read_point(args)
        args["visible_to"] = visible_to(at.db, at.position)
        limit, sort, cursor = args.pop("limit"), args.pop("sort"), args.pop("cursor", None)
        return at.answer(
            queries.list_initiatives(at.db, _filters(args), sort, limit, cursor, at.position)
        )

    @blp.arguments(CreateInitiativeSchema)
    @blp.response(201, CreatedSchema)
    @blp.doc(responses={"201": {"links": creation_links(blp.url_prefix)}})
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

    @blp.arguments(DossierSchema, location="query")
    @blp.response(200, content_type="application/zip")
    @documented_errors(401, 403, 404, 409, 422)
    def get(self, args: dict[str, Any], initiative_id: UUID) -> Response:
        """One ZIP: every receipt, checkpoints, index and consistency proofs, the history and
        its story (story.html; with `pdf`, story.pdf too), README. An inspector names a
        reading they opened (`X-Reading-Id`)."""
        return dossier_download(initiative_id, args["pdf"])


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
        service().require_full_read(ctx, initiative_id, msg("record"))
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
        restricted(initiative_id, msg("access log"))
        return service().get_access_log(initiative_id)


@blp.route("/<uuid:initiative_id>/changes")
class Changes(MethodView):
    """What changed between two moments."""

    @blp.arguments(ChangesSchema, location="query")
    @blp.response(200, ChangesResultSchema)
    @documented_errors(401, 404, 409, 422)
    def get(self, args: dict[str, Any], initiative_id: UUID) -> dict[str, Any]:
        """The events in between and a field-by-field difference of the state."""
        restricted(initiative_id, msg("changes"))
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


@blp.route("/<uuid:initiative_id>/events/<int:version>/certificate")
class Certificate(MethodView):
    """The certificate of one act, for a reader without a program."""

    @blp.response(200, content_type="application/pdf")
    @documented_errors(401, 404, 409)
    def get(self, initiative_id: UUID, version: int) -> Response:
        """One A4 page in Vietnamese (English with Accept-Language: en): the initiative, the
        act, who acted under which position, its content, the vote, where it is sealed, and a
        QR code of its receipt. Drawn only from receipts verified with the log's keys."""
        from web.certificate import certificate_download  # it reads the pages' labels

        return certificate_download(initiative_id, version)


def command_view(
    path: str, schema: type[Schema], method: str, summary: str, who: str, states: str
) -> None:
    """Register `POST /<id>/<path>` running the registry's command `method`."""

    @blp.arguments(schema)
    @blp.response(200, VersionSchema)
    @documented_errors(401, 403, 404, 409, 412, 422)
    def post(
        self: MethodView, body: dict[str, Any], initiative_id: UUID
    ) -> tuple[dict[str, int | None], int, dict[str, str]]:
        ctx = command_context(body)
        version = service().execute(method, ctx, initiative_id, if_match(), **body)
        return {"version": version, "position": service().last_position()}, 200, etag(version)

    post.__doc__ = description(summary, who, states)
    view = type(f"{method.title().replace('_', '')}Command", (MethodView,), {"post": post})
    blp.route(f"/<uuid:initiative_id>/{path}", endpoint=path)(view)


for _command in COMMANDS:
    command_view(*_command)
