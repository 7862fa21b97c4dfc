"""Request bodies sent without Content-Length (chunked), read whole before any view.

Werkzeug refuses a Content-Length over MAX_CONTENT_LENGTH, but it reads a chunked body only up
to the limit and hands back those first bytes as if they were all of it — a cut JSON document
(400 "Invalid JSON body") or, cut in trailing whitespace, one taken whole; a form cut short.
Here such a body is read once, up front: one byte more from the server's (terminated) input
stream means it ran past the limit (413); a body whose chunking is malformed (the server's
parser fails while we read it) is a 400, not a 500. Everything after — the idempotency
fingerprint, the JSON parser, form parsing — reads the cached bytes."""

from __future__ import annotations

from flask import Flask, current_app, request
from gunicorn.http.errors import NoMoreData, ParseException  # type: ignore[import-untyped]
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge


def read_whole_body() -> None:
    """before_request: 413 over the limit, 400 malformed, for bodies without Content-Length."""
    if (
        request.content_length is not None
        or "chunked" not in request.headers.get("Transfer-Encoding", "").lower()
    ):
        return
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    try:
        data = request.get_data(cache=True)
        if limit is not None and len(data) >= limit and request.input_stream.read(1):
            raise RequestEntityTooLarge()
    except (ParseException, NoMoreData) as error:  # gunicorn's chunked reader
        raise BadRequest(description=f"the chunked body is malformed: {error}") from None


def install(app: Flask) -> None:
    """Read chunked bodies whole before the views and their hooks (idempotency, parsers)."""
    app.before_request(read_whole_body)
