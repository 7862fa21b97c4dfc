"""The Procfile's gunicorn, spoken to in raw HTTP: the requests gunicorn refuses before the app
sees them are problems with the service's security headers, and a chunked body is held to
MAX_CONTENT_LENGTH (413) like one with a Content-Length."""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from gunicorn.config import Config  # type: ignore[import-untyped]

from projections.storage import Storage
from tests.conftest import SECRET, ready_to_serve
from tests.e2e.test_processes import free_port, procfile_command, serving
from tests.factories import oid
from web.auth import issue_token
from web.config import Settings
from web.gunicorn_worker import ProblemWorker
from web.hygiene import security_headers

PROBLEM = "application/problem+json"
TYPE_BASE = "https://initiative-ledger.example/problems/"
LIMIT = 1_048_576  # MAX_CONTENT_LENGTH's default, which the Procfile's server runs with
# What the app sets on every answer (web/hygiene.py); gunicorn's own answers must carry the
# same values as the app's own error answers.
SECURITY_HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "Cross-Origin-Opener-Policy",
    "Cache-Control",
)


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    def problem(self) -> dict[str, Any]:
        """The problem+json body, after checking the media type and the required fields."""
        assert self.headers.get_all("Content-Type") == [PROBLEM], self.headers
        problem: dict[str, Any] = json.loads(self.body)
        assert {"type", "title", "status", "detail"} <= set(problem), problem
        assert problem["status"] == self.status
        assert all(isinstance(problem[key], str) for key in ("type", "title", "detail"))
        return problem


@dataclass(frozen=True)
class Server:
    port: int
    token: str

    def exchange(self, head: bytes, body: Iterable[bytes] = ()) -> Answer:
        """Send `head` then `body` (from another thread: the server may answer and stop
        reading before all of it is sent), and read one answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:

            def send() -> None:
                try:
                    sock.sendall(head)
                    for part in body:
                        sock.sendall(part)
                except OSError:
                    pass  # the server answered and closed without reading the rest

            sender = threading.Thread(target=send)
            sender.start()
            try:
                response = http.client.HTTPResponse(sock)
                response.begin()
                answer = Answer(response.status, response.reason, response.msg, response.read())
            finally:
                sender.join(timeout=60)
        return answer

    def post(self, path: str, headers: str, body: Iterable[bytes] = ()) -> Answer:
        """POST to `path` with a bearer token and `headers` (CRLF-ended lines)."""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Authorization: Bearer {self.token}\r\n{headers}\r\n"
        )
        return self.exchange(head.encode(), body)

    def app_error(self) -> Answer:
        """One of the app's own error answers (a 404 under /api/)."""
        return self.exchange(
            b"GET /api/v1/no-such-thing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )


@pytest.fixture(scope="module")
def storage(module_store: Storage) -> Storage:
    return module_store


@pytest.fixture(scope="module")
def server(storage: Storage, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The Procfile's web line (gunicorn with web/gunicorn_conf.py, production settings) on
    the test store, with a token of a person of its directory."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = ready_to_serve(storage, port, LEDGER_ORIGIN="ledger.hcm.example/initiatives")
    env.pop("MAX_CONTENT_LENGTH", None)
    token = issue_token(Settings.load({"JWT_SECRET": SECRET}), "can-bo")
    with serving(procfile_command("web", port), env, tmp_path, port):
        yield Server(port, token)


def assert_security_headers_of_the_app(answer: Answer, server: Server) -> None:
    """`answer` carries each security header once, with the value the app's own errors carry."""
    app = server.app_error()
    assert app.status == 404
    assert app.problem()["type"].startswith(TYPE_BASE)
    for name in SECURITY_HEADERS:
        assert len(app.headers.get_all(name) or []) == 1, name
        assert answer.headers.get_all(name) == app.headers.get_all(name), name


def request(line: bytes, *fields: bytes) -> bytes:
    """A request: this request line, the Host field for 127.0.0.1, these header fields, and no
    body (each line CRLF-ended)."""
    return b"".join(part + b"\r\n" for part in (line, b"Host: 127.0.0.1", *fields, b""))


REFUSALS = [
    pytest.param(
        request(b"GET /api/v1/people?q=" + b"a" * 5000 + b" HTTP/1.1"),
        414,
        "URI Too Long",
        "Request Line is too large (5030 > 4094)",
        id="414 request line over limit_request_line",
    ),
    pytest.param(
        request(b"GET /api/v1/people HTTP/1.1", *(b"X-Field-%d: %d" % (n, n) for n in range(101))),
        431,
        "Request Header Fields Too Large",
        "Error parsing headers: 'limit request headers fields'",
        id="431 101 fields, over limit_request_fields",
    ),
    pytest.param(
        request(b"GET /api/v1/people HTTP/1.1", b"X-Big: " + b"b" * 9000),
        431,
        "Request Header Fields Too Large",
        "Error parsing headers: 'limit request headers fields size'",
        id="431 a field over limit_request_field_size",
    ),
    pytest.param(
        b"GARBAGE\r\n\r\n",
        400,
        "Bad Request",
        "Invalid Request Line 'Invalid HTTP request line: 'GARBAGE''",
        id="400 malformed request line",
    ),
    pytest.param(
        request(b"G\x00T /api/health HTTP/1.1"),
        400,
        "Bad Request",
        "Invalid Method 'Invalid HTTP method: 'G\\x00T''",
        id="400 control character in the method",
    ),
    pytest.param(
        request(b"GET /api/health HTTP/9.9"),
        400,
        "Bad Request",
        "Invalid HTTP Version",
        id="400 unknown HTTP version",
    ),
    pytest.param(
        request(b"GET /api/health HTTP/1.1", b"Bad Name: x"),
        400,
        "Bad Request",
        "Invalid HTTP header name: 'Bad Name'",
        id="400 space in a header name",
    ),
    pytest.param(
        request(
            b"POST /api/v1/initiatives HTTP/1.1",
            b"Content-Length: 5",
            b"Transfer-Encoding: chunked",
        ),
        400,
        "Bad Request",
        "Invalid HTTP Header: 'CONTENT-LENGTH'",
        id="400 Content-Length with Transfer-Encoding",
    ),
    pytest.param(
        request(b"GET /api/health HTTP/1.1", b"Expect: bogus"),
        417,
        "Expectation Failed",
        "Unable to comply with expectation: 'bogus'",
        id="417 unknown expectation",
    ),
]


@pytest.mark.parametrize(("request_bytes", "status", "reason", "detail"), REFUSALS)
def test_what_gunicorn_refuses_is_a_problem_with_the_security_headers(
    server: Server, request_bytes: bytes, status: int, reason: str, detail: str
) -> None:
    answer = server.exchange(request_bytes)
    assert (answer.status, answer.reason) == (status, reason)
    problem = answer.problem()
    assert problem["type"] == TYPE_BASE + reason.lower().replace(" ", "-")
    assert problem["title"] == reason
    assert problem["detail"].startswith(detail), problem
    assert answer.headers["Connection"] == "close"
    assert int(answer.headers["Content-Length"]) == len(answer.body)
    assert_security_headers_of_the_app(answer, server)


def test_an_error_gunicorn_does_not_classify_is_a_500_problem(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # What gunicorn answers when the app fails outside Flask's handlers (no server needed).
    config = Config()
    worker = ProblemWorker(0, os.getpid(), [], None, 30, config, logging.getLogger("test"))
    ours, theirs = socket.socketpair()
    try:
        worker.handle_error(None, ours, ("127.0.0.1", 1), RuntimeError("boom"))
        ours.close()
        response = http.client.HTTPResponse(theirs)
        response.begin()
        answer = Answer(response.status, response.reason, response.msg, response.read())
    finally:
        worker.tmp.close()
        theirs.close()
    assert (answer.status, answer.reason) == (500, "Internal Server Error")
    assert answer.problem() == {
        "type": TYPE_BASE + "internal-server-error",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "the server failed to answer; the error was logged",
    }
    expected = {**security_headers("/api/"), "Cache-Control": "no-store"}
    assert {name: answer.headers[name] for name in SECURITY_HEADERS} == expected
    assert "boom" not in answer.body.decode()
    assert "Error handling request" in caplog.text  # gunicorn's own log line, as before


def chunked(body: bytes, size: int = 65_536) -> Iterator[bytes]:
    """`body` in chunked transfer coding, `size` bytes a chunk."""
    for start in range(0, len(body), size):
        part = body[start : start + size]
        yield b"%x\r\n" % len(part) + part + b"\r\n"
    yield b"0\r\n\r\n"


def draft(padding: int = 0) -> bytes:
    """A valid new-initiative body, followed by `padding` spaces (still valid JSON)."""
    body = {"title": "Một cửa điện tử", "employing_organisation_id": str(oid("ben-thanh-ubnd"))}
    return json.dumps(body).encode() + b" " * padding


CHUNKED_JSON = "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"


def test_a_chunked_body_over_max_content_length_is_a_413_problem(server: Server) -> None:
    big = b'{"title": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    answer = server.post("/api/v1/initiatives", CHUNKED_JSON, chunked(big))
    assert answer.status == 413
    problem = answer.problem()
    assert problem["type"] == TYPE_BASE + "request-entity-too-large"
    assert problem["title"] == "Request Entity Too Large"
    assert problem["instance"] == "/api/v1/initiatives"
    assert_security_headers_of_the_app(answer, server)
    # The same problem as for the same body announced with its Content-Length.
    sized = server.post(
        "/api/v1/initiatives",
        f"Content-Type: application/json\r\nContent-Length: {len(big)}\r\n",
        [big],
    )
    assert sized.status == 413
    assert sized.problem() == problem


def test_a_chunked_body_cut_at_the_limit_in_valid_json_is_still_413(server: Server) -> None:
    # Its first MAX_CONTENT_LENGTH bytes are a whole JSON document: read only up to the limit
    # it would be recorded as if it had been all of the body.
    over = draft(LIMIT + 1 - len(draft()))
    assert len(over) == LIMIT + 1
    answer = server.post("/api/v1/initiatives", CHUNKED_JSON, chunked(over))
    assert answer.status == 413
    assert answer.problem()["title"] == "Request Entity Too Large"


@pytest.mark.parametrize("padding", [0, LIMIT - len(draft())], ids=["small", "at the limit"])
def test_a_chunked_json_body_within_the_limit_is_the_apps_to_judge(
    server: Server, padding: int
) -> None:
    accepted = server.post("/api/v1/initiatives", CHUNKED_JSON, chunked(draft(padding)))
    assert accepted.status == 201, accepted.body
    created = json.loads(accepted.body)
    assert created["version"] == 1
    assert accepted.headers["X-Content-Type-Options"] == "nosniff"
    refused = server.post(
        "/api/v1/initiatives", CHUNKED_JSON, chunked(json.dumps({"title": "Chỉ tên"}).encode())
    )
    assert refused.status == 422
    problem = refused.problem()
    assert problem["errors"] == {"employing_organisation_id": ["Missing data for required field."]}


@pytest.mark.parametrize(
    "body",
    [[b"zz\r\n{}\r\n0\r\n\r\n"], [b"2\r\n{}XX0\r\n\r\n"]],
    ids=["bad chunk size", "no chunk terminator"],
)
def test_a_malformed_chunked_body_is_a_400_problem(server: Server, body: list[bytes]) -> None:
    answer = server.post("/api/v1/initiatives", CHUNKED_JSON, body)
    assert answer.status == 400
    problem = answer.problem()
    assert problem["title"] == "Bad Request"
    assert problem["detail"].startswith("the chunked body is malformed"), problem
    assert_security_headers_of_the_app(answer, server)


def test_a_chunked_form_post_over_the_limit_is_413_not_cut_short(server: Server) -> None:
    form = b"csrf_token=x&token=" + b"y" * (LIMIT + 10)
    answer = server.post(
        "/sign-in",
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
        chunked(form),
    )
    assert answer.status == 413
