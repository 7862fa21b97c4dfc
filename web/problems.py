"""RFC 9457 problem details: the one error format, and the one mapping from domain errors."""

from __future__ import annotations

import http
import logging
from collections.abc import Sequence
from typing import Any

from apispec import APISpec
from eventsourcing.persistence import PersistenceError
from flask import Flask, Response, current_app, json, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from psycopg.errors import ReadOnlySqlTransaction
from werkzeug.exceptions import HTTPException

from domain.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
    StaleVersionError,
)
from domain.messages import msg
from projections.db import StorageUnavailableError
from projections.ledger.acts import ActError
from projections.ledger.receipts import NotYetProvableError
from projections.queries import QueryError
from projections.storage import caused_by
from web.limits import retry_after
from web.problem_language import INVALID_FIELDS, field_errors, spoken
from web.reads import UnknownPositionError, ViewsNotCaughtUpError, ViewsRebuildingError
from web.refusals import Sentence, api_language, phrase, translated
from web.schemas.answers import ProblemSchema

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
# What the API document says of the problems' language (docs/pages.md, web/refusals.py).
PROBLEM_LANGUAGE = (
    "Every error is an RFC 9457 problem (application/problem+json). The domain's refusals"
    " (403, 404, 409, 412, 422: `title`, `detail` and the `errors` of a field) are in the"
    " language of the request's Accept-Language, Vietnamese (vi) or English (en); without"
    " the header, or naming neither, they are in English, the sentences programs read. So"
    " are the other problems' titles and fixed details (401, 404, 405, 413, 415, 429, 503…)"
    " and the messages of a request's invalid fields (422)."
)
TYPE_BASE = "https://initiative-ledger.example/problems/"

# Most specific class first: the first match wins.
DOMAIN_STATUS: list[tuple[type[DomainError], int, str]] = [
    (StaleVersionError, 412, "stale-version"),
    (NotFoundError, 404, "not-found"),
    (ForbiddenError, 403, "forbidden"),
    (ConflictError, 409, "conflict"),
    (InvalidError, 422, "invalid"),
    (DomainError, 400, "bad-request"),
]


def storage_unavailable() -> Response:
    """503 while the event store cannot be reached (the handler and the breaker answer it)."""
    return problem(
        503,
        msg("Storage unavailable"),
        msg("the event store cannot be reached; nothing was recorded, retry later"),
        "storage-unavailable",
        retry_after=5,
    )


def read_only_node(detail: str) -> Response:
    """503 from a reader node (LEDGER_NODE=reader) asked for what only a writer node does;
    `detail` says what, naming `writer_nodes()`. Nothing was recorded, and retrying on this
    node will not help: the problem has no Retry-After, and names the writer nodes' address
    (WRITER_URL) in its `writer` member when it is set."""
    writer: str = current_app.extensions["ledger.settings"].writer_url
    response = problem(
        503,
        msg("Read-only node"),
        Sentence(
            "this web node answers reads from a replica of the database and records"
            " nothing: {detail}",
            detail=detail,
        ),
        "read-only-node",
    )
    if writer:
        body = json.loads(response.get_data())
        body["writer"] = writer
        response.set_data(_json(body))
    return response


def writer_nodes() -> str:
    """The writer web nodes, with their address when WRITER_URL says it."""
    writer: str = current_app.extensions["ledger.settings"].writer_url
    if writer:
        return Sentence("the writer web nodes ({writer})", writer=writer)
    return msg("the writer web nodes")


def integrity_failure(error: ActError) -> Response:
    """409: the record asked for does not match the ledger; nothing of it is served."""
    response = problem(
        409,
        msg("Integrity failure"),
        Sentence(
            "{error}: the stored record does not match the tamper-evident ledger, so it is"
            " not served; the operator and the inspection bodies must be told (run `ledger"
            " verify log`)",
            error=str(error),
        ),
        "integrity-failure",
    )
    body = json.loads(response.get_data())
    body["event"] = {"aggregate_id": error.aggregate_id, "version": error.version}
    response.set_data(_json(body))
    return response


def _json(body: dict[str, Any]) -> bytes:
    """UTF-8 JSON; a lone surrogate echoed from the request (an unknown field's name) stays
    a JSON escape (\\udXXX) instead of failing the answer."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")


def problem(
    status: int,
    title: str,
    detail: str,
    kind: str,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    retry_after: int | None = None,
) -> Response:
    """Build one problem+json response, its title, detail and errors in the request's
    language (`web/problem_language.py`); `retry_after`, the seconds its Retry-After says."""
    language = api_language()
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": spoken(title, language),
        "status": status,
        "detail": spoken(detail, language),
        "instance": request.path,
    }
    if errors:
        body["errors"] = field_errors(errors, language)
    response = Response(_json(body), status=status, mimetype=PROBLEM)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def domain_status(error: DomainError) -> tuple[int, str]:
    """The status and problem type of a domain error, by its most specific class."""
    for cls, status, kind in DOMAIN_STATUS:
        if isinstance(error, cls):
            return status, kind
    raise TypeError(type(error))  # unreachable: DomainError is the last row


# The API document of each set of blueprints, built once per process: it depends on the code
# alone (the blueprints, their schemas and create_app's constant settings), and building it
# is two thirds of the cost of an app (about 70 ms; every test builds an app).
_DOCUMENTS: dict[tuple[str, ...], APISpec] = {}


class ProblemApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, answering (and documenting) every error as problem+json."""

    ERROR_SCHEMA = ProblemSchema
    spec: APISpec

    def register_blueprints(self, blueprints: Sequence[Blueprint]) -> None:
        """Register `blueprints` in the app; their document is the one this process built
        for the same blueprints (built now the first time)."""
        key = tuple(blueprint.name for blueprint in blueprints)
        document = _DOCUMENTS.get(key)
        if document is None:
            if self._responses_deferred:
                self._responses_deferred = False
                self._document_responses()
            for blueprint in blueprints:
                self.register_blueprint(blueprint)
            _DOCUMENTS[key] = self.spec
            return
        for blueprint in blueprints:
            self._app.extensions["flask-smorest"]["blp_name_to_api"][blueprint.name] = self
            self._app.register_blueprint(blueprint)
        self.spec = document

    _responses_deferred = False

    def _register_responses(self) -> None:
        """Document the error responses as application/problem+json: when the blueprints'
        document is built, not when this process already holds one (it is reused)."""
        if _DOCUMENTS:
            self._responses_deferred = True
            return
        self._document_responses()

    def _document_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:
        """Werkzeug and webargs errors (404 routes, 405, 413, 422 validation…)."""
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        status = error.code or 500
        detail = error.description or error.name
        if isinstance(errors, dict):
            errors = errors.get("json", errors)
        if isinstance(errors, dict):
            detail = INVALID_FIELDS
        elif isinstance(errors, list):
            language = api_language()
            detail, errors = "; ".join(spoken(e, language) for e in errors), None
        headers = dict(data.get("headers") or {})
        seconds = retry_after(error)
        return problem(status, error.name, detail, _slug(error.name), errors, headers, seconds)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def register_problem_handlers(app: Flask) -> None:
    """Map domain errors, storage outages and anything unexpected to problems."""
    app.register_error_handler(DomainError, _on_domain_error)
    app.register_error_handler(ViewsNotCaughtUpError, _on_views_behind)
    app.register_error_handler(ViewsRebuildingError, _on_views_rebuilding)
    app.register_error_handler(NotYetProvableError, _on_not_provable)
    app.register_error_handler(ActError, _on_integrity)  # RecordIntegrityError too
    app.register_error_handler(UnknownPositionError, _on_unknown_position)
    app.register_error_handler(QueryError, _on_query_error)
    app.register_error_handler(ReadOnlySqlTransaction, _on_read_only)
    app.register_error_handler(StorageUnavailableError, _on_storage_error)
    app.register_error_handler(PersistenceError, _on_storage_error)
    app.register_error_handler(Exception, _on_unexpected)


# The title of each kind of domain refusal (a message id of the refusals catalogue).
TITLES = {
    "stale-version": msg("Stale version"),
    "not-found": msg("Not found"),
    "forbidden": msg("Forbidden"),
    "conflict": msg("Conflict"),
    "invalid": msg("Invalid"),
    "bad-request": msg("Bad request"),
}


def _on_domain_error(error: DomainError) -> Response:
    """The refusal in the request's language: Accept-Language's best of English and
    Vietnamese, English without the header (`web/refusals.py`)."""
    status, kind = domain_status(error)
    language = api_language()
    detail = translated(error, language)
    field = getattr(error, "field", None)
    errors = {field: [detail]} if field else None
    return problem(status, phrase(TITLES[kind], language), detail, kind, errors)


def _on_views_behind(error: ViewsNotCaughtUpError) -> Response:
    where = (
        msg("the views of the replica this node reads (it lags the primary)")
        if error.replica
        else msg("the views")
    )
    return problem(
        503,
        msg("Views not caught up"),
        Sentence(
            "{where} have not yet applied log position {position}; retry shortly",
            where=where,
            position=error.position,
        ),
        "views-behind",
        retry_after=1,
    )


# What a read of the views is answered while they are rebuilt (the API's problem, the pages').
REBUILDING_TITLE = msg("Views being rebuilt")
REBUILDING_DETAIL = msg(
    "the views are being rebuilt from the log (`ledger projections rebuild`): until it ends"
    " they hold only a part of it; retry when it has ended"
)
REBUILDING_RETRY = 30  # seconds


def _on_views_rebuilding(_error: ViewsRebuildingError) -> Response:
    return problem(
        503, REBUILDING_TITLE, REBUILDING_DETAIL, "views-rebuilding", retry_after=REBUILDING_RETRY
    )


def _on_not_provable(error: NotYetProvableError) -> Response:
    interval = current_app.extensions["ledger.settings"].checkpoint_interval
    wait = max(1, round(interval))
    return problem(
        409,
        msg("Not yet provable"),
        Sentence(
            "{error}; checkpoints are issued every {interval:g} s: retry in {wait} s",
            error=str(error),
            interval=interval,
            wait=wait,
        ),
        "not-yet-provable",
        retry_after=wait,
    )


def _on_integrity(error: ActError) -> Response:
    log.error("ledger integrity: %s", error)
    return integrity_failure(error)


def _on_unknown_position(error: UnknownPositionError) -> Response:
    position, head = error.args
    return problem(
        422,
        msg("Unknown log position"),
        Sentence(
            "min_position {position} is past the end of the log ({head})",
            position=position,
            head=head,
        ),
        "unknown-position",
        {"min_position": [msg("past the end of the log")]},
    )


def _on_query_error(error: QueryError) -> Response:
    return problem(422, msg("Invalid query"), str(error), "invalid-query")


def _read_only_cause(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is a write refused by a read-only session."""
    return caused_by(error, ReadOnlySqlTransaction)


def _on_read_only(error: Exception) -> Response:
    """A write attempted on a reader node's read-only sessions: a fault of the service (a
    reader must never try), answered as the refusal it is, not as a 500 or an outage."""
    log.error("a write was attempted on a read-only node: %s", error)
    return read_only_node(
        Sentence(
            "this request needed a write: send it to {nodes}; nothing was recorded",
            nodes=writer_nodes(),
        )
    )


def _on_storage_error(error: Exception) -> Response:
    if _read_only_cause(error):
        return _on_read_only(error)
    log.error("storage unavailable: %s", error)
    breaker = current_app.extensions.get("ledger.breaker")
    if breaker is not None:
        breaker.tripped()
    return storage_unavailable()


def _on_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return problem(error.code or 500, error.name, error.description or "", "http")
    log.exception("unexpected error")
    return problem(
        500,
        msg("Internal server error"),
        msg("the server failed to answer; the error was logged"),
        "internal",
    )
