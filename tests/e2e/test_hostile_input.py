"""No 500 from input: hostile cursors, moments, numbers and nesting answer 4xx problems."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.e2e.test_http_api import API, Driver, problem_of

pytestmark = pytest.mark.attack(10)


def cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "value",
    [[1], [12345, "x"], [{"a": 1}, "x"], ["2026-01-01\x00", "x"], ["a", "not-a-uuid"], "[", 7],
)
def test_a_forged_cursor_is_422(client: FlaskClient, auth: Any, value: Any) -> None:
    raw = cursor(value) if not isinstance(value, str) else base64.b64encode(value.encode())
    text = raw if isinstance(raw, str) else raw.decode()
    response = client.get(f"{API}?cursor={quote(text)}", headers=auth("chu-tich"))
    assert problem_of(response, 422)["detail"] == "the cursor is not one this service issued"


@pytest.mark.parametrize("name", ["approval_basis", "outcome", "recommended_measure"])
@pytest.mark.parametrize("value", ["no_liability\x00", "<J^;/\U000f01f0\x00", "completed "])
def test_a_filter_outside_its_vocabulary_is_422(
    client: FlaskClient, auth: Any, name: str, value: str
) -> None:
    """A value no initiative can have (a NUL byte, which PostgreSQL cannot even compare, found
    by schemathesis as a 500) is refused, naming the filter."""
    response = client.get(f"{API}?{name}={quote(value)}", headers=auth("chu-tich"))
    assert name in problem_of(response, 422)["errors"]["query"]


MOMENTS = ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "1900-01-01T00:00:00+07:00"]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_moment_outside_the_records_span_is_422(
    http: Driver, client: FlaskClient, auth: Any, moment: str
) -> None:
    http.draft()
    at = quote(moment)
    for path in (
        f"{API}/{http.id}?as_of={at}",
        f"{API}/{http.id}/changes?from={at}&to={quote('2026-03-02T10:00:00+07:00')}",
        f"/api/v1/dashboard/inbox?as_of={at}",
        f"{API}?as_of={at}",
    ):
        response = client.get(path, headers=auth("chu-tich"))
        problem = problem_of(response, 422)
        assert "must be between 1945-09-02 and 2100-12-31" in json.dumps(
            problem, ensure_ascii=False
        ), path


def test_huge_numbers_are_422(client: FlaskClient, auth: Any) -> None:
    for path in (
        f"{API}?min_position={10**30}",
        f"/api/v1/ledger/proofs/inclusion?index={10**30}&size=1",
        f"/api/v1/ledger/checkpoints?before={10**30}",
    ):
        problem_of(client.get(path, headers=auth("chu-tich")), 422)


def test_a_deeply_nested_body_is_400(client: FlaskClient, auth: Any) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(
        API, data=body, headers={**auth("can-bo"), "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422), response.get_data(as_text=True)[:200]
    assert response.mimetype == "application/problem+json"
