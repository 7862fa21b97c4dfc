"""gunicorn's threaded worker, answering gunicorn's own errors the way the service answers its.

gunicorn refuses some requests before the app sees them — a request line over
`limit_request_line` (414), too many or too large header fields (431), a malformed request line
or header (400), an unsupported transfer coding (501)… — and an app failure outside Flask's
handlers is a 500 written by gunicorn too. gunicorn answers them with an HTML page and none of
the service's headers. This worker keeps every decision gunicorn makes (which status, which
reason, what is logged, closing the connection) and changes only the answer: an RFC 9457
problem (`application/problem+json`) carrying the security headers of web/hygiene.py.

gunicorn's `Worker.handle_error` is run as is, against a stand-in socket that records the answer
it would send; its status line and message then become the problem. Reading the decision back
rather than copying gunicorn's table of exceptions keeps the statuses and reasons identical to
gunicorn's, in this version and the next.

Configured in web/gunicorn_conf.py (`worker_class`); the threads are the Procfile's `--threads`.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from gunicorn import util  # type: ignore[import-untyped]
from gunicorn.workers.gthread import ThreadWorker  # type: ignore[import-untyped]

from web.hygiene import DEFAULT_CACHE_CONTROL, security_headers
from web.problems import PROBLEM, TYPE_BASE

# A problem is an API answer whatever the path asked for: the API's (strictest) policy.
_PROBLEM_HEADERS = {**security_headers("/api/"), "Cache-Control": DEFAULT_CACHE_CONTROL}
_STATUS_LINE = re.compile(rb"HTTP/\d\.\d (\d{3}) ([^\r\n]*)\r\n")
# util.write_error puts the HTML-escaped message between the heading and the end of the body.
_MESSAGE = re.compile(rb"</h1>\s*(.*?)\s*</body>", re.DOTALL)
_INTERNAL = "the server failed to answer; the error was logged"


class ProblemWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker, its own error answers made problem+json with the security
    headers (the statuses, reasons and log lines stay gunicorn's)."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Let gunicorn decide and log, then send its answer as a problem."""
        recorder = _Recorder()
        super().handle_error(req, recorder, addr, exc)
        if not recorder.data:
            return  # gunicorn chose not to answer: neither does this worker
        try:
            util.write_nonblock(client, problem_answer(bytes(recorder.data), req))
        except Exception:
            self.log.debug("Failed to send error message.")


def problem_answer(gunicorn_answer: bytes, req: Any = None) -> bytes:
    """gunicorn's HTML error answer rewritten as a problem+json answer (same status, reason
    and message), with the security headers; unchanged if it cannot be read."""
    status_line = _STATUS_LINE.match(gunicorn_answer)
    if status_line is None:
        return gunicorn_answer
    status = int(status_line.group(1))
    reason = status_line.group(2).decode("latin-1")
    found = _MESSAGE.search(gunicorn_answer)
    message = html.unescape(found.group(1).decode("latin-1")) if found else ""
    body: dict[str, Any] = {
        "type": TYPE_BASE + reason.lower().replace(" ", "-"),
        "title": reason,
        "status": status,
        "detail": message or (_INTERNAL if status >= 500 else reason),
    }
    path = getattr(req, "path", None)
    if isinstance(path, str) and path:
        body["instance"] = path
    content = json.dumps(body, ensure_ascii=False).encode()
    headers = {
        "Connection": "close",
        "Content-Type": PROBLEM,
        "Content-Length": str(len(content)),
        **_PROBLEM_HEADERS,
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    return head.encode("latin-1") + b"\r\n" + content


class _Recorder:
    """A stand-in for the client socket that keeps what gunicorn writes to it."""

    def __init__(self) -> None:
        self.data = bytearray()

    def gettimeout(self) -> float:
        return 0.0  # already non-blocking: util.write_nonblock leaves it be

    def setblocking(self, flag: bool) -> None:
        """Nothing to change."""

    def sendall(self, data: bytes) -> None:
        self.data += data

    def send(self, data: bytes) -> int:
        self.data += data
        return len(data)
