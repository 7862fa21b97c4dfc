"""Security headers everywhere; structured logs with request ids and never a token."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from web.hygiene import JsonFormatter


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
