"""One flask-smorest Blueprint per resource, and the helpers every view uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import flask_smorest
from flask import Response, current_app, request, session
from webargs.flaskparser import FlaskParser, abort
from werkzeug.exceptions import NotFound, PreconditionFailed, UnprocessableEntity

from domain.application import LedgerApplication
from domain.calendar import WorkingCalendar
from domain.errors import ForbiddenError
from domain.messages import msg
from domain.read_policy import FULL, register_entry
from domain.values import local_date
from projections.asof import AsOfViews
from projections.attachments import AttachmentStore
from projections.db import Database
from projections.history import history_since
from projections.ledger.dossier import stream_dossier
from projections.ledger.integrity import check_record
from projections.ledger.receipts import build_receipt
from projections.ledger.store import LedgerStore
from web.auth import authenticate, context
from web.heavy import Bulkhead
from web.limits import count_heavy
from web.reads import Reads
from web.refusals import Sentence
from web.schemas.common import MAX_POSITION
from web.story_pdf import story_pdf


class JsonParser(FlaskParser):
    """webargs' parser, with a body nested too deeply for Python's JSON decoder answered like
    any other invalid JSON body (400), at the one place bodies are decoded (chunked bodies over
    the limit are refused before: web/bodies.py)."""

    def _raw_load_json(self, req: Any) -> Any:
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            abort(400, messages={"json": [msg("the JSON body is nested too deeply")]})


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """The API's blueprints: flask-smorest's, with the JSON parser above."""

    ARGUMENTS_PARSER = JsonParser()


UNAUTHENTICATED = "No token, or a bad one"


def authenticated(
    blp: flask_smorest.Blueprint, problems: Mapping[int, str]
) -> Callable[..., Callable[[Any], Any]]:
    """Every view of `blp` asks for a bearer token (`web.auth.authenticate`, before the other
    hooks): `errors(*codes)` documenting its problem responses, 401 and `problems`."""
    blp.before_request(authenticate)
    return documented(blp, {401: UNAUTHENTICATED, **problems})


def documented(
    blp: flask_smorest.Blueprint, descriptions: Mapping[int, str]
) -> Callable[..., Callable[[Any], Any]]:
    """`errors(*codes)`: a decorator documenting the problem responses `codes` of a view of
    `blp`, each with its description."""
    from web.schemas.answers import ProblemSchema

    def errors(*codes: int) -> Callable[[Any], Any]:
        def decorate(view: Any) -> Any:
            for code in codes:
                view = blp.alt_response(
                    code,
                    schema=ProblemSchema,
                    description=descriptions[code],
                    content_type="application/problem+json",
                )(view)
            return view

        return decorate

    return errors


def service() -> LedgerApplication:
    """The domain application of this process."""
    app: LedgerApplication = current_app.extensions["ledger.service"].get()
    return app


def if_match() -> int | None:
    """The version the caller expects (If-Match: "3", 3 or W/"3"), or None."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed(description=msg('If-Match must be a version number such as "3"'))
    return int(value)


@dataclass(frozen=True)
class ReadPoint:
    """Where a query reads: the live views now (`position` None) or as they stood at a past
    log `position` (their history: projections/history.py) — or, for a moment before the
    views' history starts, the views rebuilt by the replay up to it (`position` None then)."""

    db: Database
    today: date
    meta: dict[str, Any] | None
    position: int | None = None

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body` with the as-of facts (log position, checkpoint) when answering the past."""
        return {**body, "as_of": self.meta}


def read_point(args: dict[str, Any]) -> ReadPoint:
    """Pop `min_position` / `as_of` from `args` and say where to read."""
    reads: Reads = current_app.extensions["ledger.reads"]
    reads.ready(args.pop("min_position", None))
    moment = args.pop("as_of", None)
    if moment is None:
        return ReadPoint(reads.db, today(), None)
    not_after_now(moment, "as_of")
    asof: AsOfViews = current_app.extensions["ledger.asof"]
    return past_point(moment, *asof.point(moment))


def past_point(moment: datetime, position: int, meta: dict[str, Any]) -> ReadPoint:
    """Where to read as of `moment`, which maps to log `position` (`AsOfViews.point`): the
    views' history, or the replay for a position before the history starts."""
    reads: Reads = current_app.extensions["ledger.reads"]
    asof: AsOfViews = current_app.extensions["ledger.asof"]
    if position < history_since(reads.db):
        replayed = asof.replay(position, gate=lambda: heavy("as_of"))
        return ReadPoint(replayed, local_date(moment), meta)
    return ReadPoint(reads.db, local_date(moment), meta, position)


CLOCK_LEEWAY = timedelta(seconds=60)


def not_after_now(moment: datetime, field: str) -> None:
    """The record holds nothing after now: a later moment is refused (422), not computed."""
    now = service().clock()
    if moment > now + CLOCK_LEEWAY:
        raise UnprocessableEntity(
            description=Sentence(
                "{field} is later than now ({now}): the record holds nothing after now",
                field=field,
                now=now.isoformat(timespec="seconds"),
            ),
        )


@contextmanager
def heavy(what: str) -> Iterator[None]:
    """A slot of the bulkhead for heavy reads (503 busy when none frees in time), counted
    against the caller's RATE_LIMIT_HEAVY once granted (429 when over)."""
    bulkhead: Bulkhead = current_app.extensions["ledger.heavy"]
    with bulkhead.slot(what):
        count_heavy(what)
        yield


def today() -> date:
    """Today in Vietnam by the server clock."""
    return local_date(service().clock())


def calendar() -> WorkingCalendar:
    """The working-day calendar."""
    return service().calendar


def ledger_store(db: Database) -> LedgerStore:
    """The ledger as this deployment serves proofs: checkpoints meeting its witness policy."""
    store: LedgerStore = current_app.extensions["ledger.settings"].ledger_store(db)
    return store


def proven(initiative_id: UUID) -> None:
    """Serve nothing of an initiative whose stored events the ledger does not cover
    (RecordIntegrityError: answered 409 integrity-failure, naming the event)."""
    reads: Reads = current_app.extensions["ledger.reads"]
    grace = current_app.extensions["ledger.settings"].seal_grace
    check_record(service(), reads.db, initiative_id, service().clock(), grace)


def receipt_allowed(aggregate_id: UUID, version: int) -> None:
    """Who may have an event's receipt (or its certificate), of a record the ledger covers."""
    restricted(aggregate_id, msg("receipts"))
    proven(aggregate_id)
    if version < 1:
        raise NotFound(description=msg("versions start at 1"))
    if version > MAX_POSITION:  # the request schemas' bound: a 64-bit column holds it
        raise NotFound(description=msg("no initiative has that many versions"))


def receipt_of(aggregate_id: UUID, version: int) -> dict[str, Any]:
    """The receipt of one event of an initiative (404 unknown, 409 not yet provable)."""
    receipt_allowed(aggregate_id, version)
    reads: Reads = current_app.extensions["ledger.reads"]
    return build_receipt(service(), ledger_store(reads.db), aggregate_id, version)


def read_history(initiative_id: UUID, until: datetime | None) -> list[dict[str, Any]]:
    """The history (an inspector names an open reading)."""
    restricted(initiative_id, msg("history"))
    proven(initiative_id)
    return service().get_history(initiative_id, until)


def dossier_download(initiative_id: UUID, pdf: bool = False) -> Response:
    """The inspection dossier, a ZIP streamed as it is built (an inspector names an open
    reading). Every refusal — 403, 409 not covered yet or not intact, 503 busy, 429 — is
    answered before the first byte, as a problem. The heavy-read slot is held until the last
    byte is sent or the client goes away; no database connection is held between chunks (each
    page of events takes one from the pool and gives it back)."""
    restricted(initiative_id, msg("dossier"))
    proven(initiative_id)
    reads: Reads = current_app.extensions["ledger.reads"]
    slot = ExitStack()
    slot.enter_context(heavy(msg("a dossier")))
    try:
        printer = story_pdf if pdf else None
        objects = current_app.extensions["ledger.settings"].attachment_objects
        documents = AttachmentStore(reads.db, objects).intact
        chunks = stream_dossier(
            service(), ledger_store(reads.db), initiative_id, printer, documents
        )
    except BaseException:
        slot.close()
        raise
    response = Response(
        _releasing(chunks, slot),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="dossier-{initiative_id}.zip"'},
    )
    # The server closes every answer, read to its end or not (PEP 3333): a client that goes
    # away before the first chunk leaves a generator that never ran, whose `finally` never
    # will; closing the answer frees the slot then too. Closing the slot twice is harmless.
    response.call_on_close(slot.close)
    return response


def _releasing(chunks: Iterator[bytes], slot: ExitStack) -> Iterator[bytes]:
    """`chunks`, the slot freed as soon as they end (or fail)."""
    try:
        yield from chunks
    finally:
        slot.close()


def restricted(initiative_id: UUID, what: str) -> None:
    """The read policy's gate for the restricted record (docs/authorization.md): the people and
    bodies it concerns; an inspector only within a reading they opened (POST …/readings,
    with its purpose, recorded) — so every inspector's reading is on the record, and a GET
    never writes."""
    ctx = context()
    service().require_full_read(ctx, initiative_id, what)
    if service().is_inspector(ctx) and not reading_open(initiative_id):
        raise ForbiddenError(
            "an inspector reads the {what} within a reading: open one with"
            " POST /api/v1/initiatives/{initiative}/readings stating its purpose, then name"
            " it in the X-Reading-Id header",
            what=what,
            initiative=initiative_id,
        )


def reading_open(initiative_id: UUID) -> bool:
    """Whether the request names a reading the caller opened on this initiative (the
    X-Reading-Id header; on the pages, the reading kept in the session)."""
    named = request.headers.get("X-Reading-Id") or (session.get("readings") or {}).get(
        str(initiative_id)
    )
    ttl = current_app.extensions["ledger.settings"].reading_ttl
    return service().reading_open(context(), initiative_id, named, ttl)


def readable_state(state: dict[str, Any]) -> dict[str, Any]:
    """The full state for those the initiative concerns (an inspector: within a reading),
    else its public register entry."""
    initiative_id = UUID(str(state["id"]))
    ctx = context()
    if service().read_level(ctx, initiative_id) == FULL and (
        not service().is_inspector(ctx) or reading_open(initiative_id)
    ):
        return state
    return register_entry(state)
