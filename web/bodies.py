"""Request bodies sent without Content-Length (chunked), read whole before any view.

Werkzeug refuses a Content-Length over MAX_CONTENT_LENGTH, but it reads a chunked body only up
to the limit and hands back those first bytes as if they were all of it — a cut JSON document
(400 "Invalid JSON body") or, cut in trailing whitespace, one taken whole; a form cut short.
Here such a body is read once, up front: one byte more from the server's (terminated) input
stream means it ran past the limit (413); a body whose chunking is malformed (the server's
parser fails while we read it) is a 400, not a 500. Everything after — the idempotency
fingerprint, the JSON parser, form parsing — reads the cached bytes."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, request
from gunicorn.http.errors import NoMoreData, ParseException  # type: ignore[import-untyped]
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from web.refusals import Sentence


def read_whole_body() -> None:
    """before_request: 413 over the limit, 400 malformed, for bodies without Content-Length."""
    if (
        request.content_length is not None
        or "chunked" not in request.headers.get("Transfer-Encoding", "").lower()
    ):
        return
    limit = request.max_content_length
    try:
        data = request.get_data(cache=True)
        if limit is not None and len(data) >= limit and request.input_stream.read(1):
            raise RequestEntityTooLarge()
    except (ParseException, NoMoreData) as error:  # gunicorn's chunked reader
        raise BadRequest(
            description=Sentence("the chunked body is malformed: {error}", error=str(error))
        ) from None


def install(app: Flask, larger: Mapping[str, int] | None = None) -> None:
    """Read chunked bodies whole before the views and their hooks (idempotency, parsers);
    `larger`: the endpoints that take more than MAX_CONTENT_LENGTH (an upload), and how much."""
    limits = dict(larger or {})

    def raise_limit() -> None:
        if request.endpoint in limits:
            request.max_content_length = limits[request.endpoint]

    app.before_request(raise_limit)
    app.before_request(read_whole_body)
