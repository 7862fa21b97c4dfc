"""Security headers everywhere; structured logs with request ids and never a token."""

from __future__ import annotations

import json
import logging
import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient

from web.json_log import JsonFormatter


@pytest.mark.parametrize(
    "path",
    ["/api/health", "/api/v1/initiatives", "/api/docs", "/api/openapi.json", "/api/nowhere"],
)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Request-Id"]
    response.close()


@pytest.mark.attack(11)
def test_logs_are_json_with_the_request_id_and_never_the_token(
    client: FlaskClient, auth: Any, caplog: pytest.LogCaptureFixture
) -> None:
    headers = auth("can-bo", **{"X-Request-Id": "req-42"})
    token = headers["Authorization"].split()[1]
    with caplog.at_level(logging.INFO, logger="ledger.access"):
        response = client.get("/api/v1/people/by-key/can-bo", headers=headers)
    # The service makes the request id (events record it); the client's is kept apart.
    made = response.headers["X-Request-Id"]
    assert str(uuid.UUID(made)) == made
    assert response.headers["X-Client-Request-Id"] == "req-42"
    lines = [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "ledger.access"
    ]
    assert (lines[-1]["request_id"], lines[-1]["client_request_id"]) == (made, "req-42")
    assert (lines[-1]["method"], lines[-1]["path"], lines[-1]["status"]) == (
        "GET",
        "/api/v1/people/by-key/can-bo",
        200,
    )
    assert lines[-1]["person_id"]
    assert token not in caplog.text
    assert "Bearer" not in caplog.text


def test_the_signing_key_is_never_served(client: FlaskClient) -> None:
    key = client.get("/api/v1/ledger/key").get_data(as_text=True)
    assert "PRIVATE" not in key
    spec = json.dumps(client.get("/api/openapi.json").get_json())
    assert "PRIVATE+KEY" not in spec


class _Inline(HTMLParser):
    """What a page would need 'unsafe-inline' for, and the files it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.loads: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.inline += [f"{tag} {name}" for name in found if name == "style" or name[:2] == "on"]
        if tag == "style":
            self.inline.append("style element")
        if tag == "script" and not found.get("src"):
            self.inline.append("script element")
        self._in_script = tag == "script"
        source = found.get("src") or (found.get("href") if tag == "link" else None)
        if source:
            self.loads.append(source)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append("script content")


def test_the_docs_page_needs_no_unsafe_inline(client: FlaskClient) -> None:
    """Swagger UI runs under a CSP with only 'self' for scripts and styles: the page carries no
    inline script, style element, style attribute or event handler, and every file it loads
    comes from this server."""
    response = client.get("/api/docs")
    csp = response.headers["Content-Security-Policy"]
    directives = {
        name: values for name, *values in (part.split() for part in csp.split(";") if part.strip())
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    page = _Inline()
    page.feed(response.get_data(as_text=True))
    assert page.inline == []
    assert any(url.endswith("/swagger-ui-bundle.js") for url in page.loads)
    assert any(url.endswith("/swagger-ui.css") for url in page.loads)
    for url in page.loads:
        assert url.startswith("/"), url  # this server only
        loaded = client.get(url)
        assert loaded.status_code == 200, url
        loaded.close()
