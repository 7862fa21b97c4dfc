"""The witness on HTTP (`ledger witness serve`): `POST /add-checkpoint` and
`GET /<origin hash>/checkpoint` of c2sp.org/tlog-witness, a small WSGI app of its own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from projections.ledger.witness import Answer, Witness

MAX_BODY = 64 * 1024  # 63 proof lines and a checkpoint with a few signatures fit easily


def create_witness_app(witness: Witness) -> Any:
    """The WSGI application of one witness."""

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        answer = _route(witness, request)
        response = Response(answer.body, status=answer.status, content_type=answer.content_type)
        response.headers["Cache-Control"] = "no-store"
        return response(environ, start_response)

    return app


def _route(witness: Witness, request: Request) -> Answer:
    path = request.path.rstrip("/")
    if path == "/add-checkpoint":
        if request.method != "POST":
            return Answer(405, "text/plain; charset=utf-8", "add-checkpoint is a POST\n")
        if (request.content_length or 0) > MAX_BODY:
            return Answer(413, "text/plain; charset=utf-8", "request too large\n")
        return witness.add_checkpoint(request.get_data(cache=False)[: MAX_BODY + 1])
    parts = path.strip("/").split("/")
    if request.method == "GET" and len(parts) == 2 and parts[1] == "checkpoint":
        return witness.checkpoint(parts[0])
    return Answer(404, "text/plain; charset=utf-8", "not found\n")
