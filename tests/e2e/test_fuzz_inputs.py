"""Fuzzing the inputs that are parsed by hand or reach deep: cursors, dates and moments, JSON
nesting depth. Every answer is below 500, and a refusal is a problem+json document.

A fresh seed every run (`FUZZ_SEED` replays one; named in the terminal summary and in every
failure); `FUZZ_EXAMPLES` generated inputs per test and backend.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.conftest import name_in_summary
from tests.factories import NOW, oid

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SEED = int(os.environ.get("FUZZ_SEED") or secrets.randbelow(2**32))
REPLAY = f"FUZZ_SEED={SEED}"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
LIST = "/api/v1/initiatives"


@pytest.fixture(autouse=True)
def named_seed(request: pytest.FixtureRequest) -> None:
    """Name the seed in the terminal summary, even when every test passes."""
    name_in_summary(request, f"random seed of {__name__}: {SEED} (replay: {REPLAY})")


@pytest.fixture
def headers(auth: Any) -> dict[str, str]:
    """The head of the ward's People's Committee, who may read and propose there."""
    headers: dict[str, str] = auth("chu-tich")
    return headers


def draft(client: FlaskClient, headers: dict[str, str], title: str) -> str:
    """A new draft's id."""
    body = {"title": title, "employing_organisation_id": str(oid("ben-thanh-ubnd"))}
    created = client.post(LIST, json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    identifier: str = created.get_json()["id"]
    return identifier


@pytest.fixture
def initiative(client: FlaskClient, headers: dict[str, str]) -> str:
    """Three drafts (so that there are pages to turn); the id of the last."""
    return [draft(client, headers, f"Draft {n}") for n in range(3)][-1]


def answered(response: TestResponse, what: str) -> None:
    """No server error; a refusal as problem+json."""
    body = response.get_data(as_text=True)[:400]
    said = f"seed {SEED} (replay with {REPLAY}): {what} → {response.status_code} {body}"
    assert response.status_code < 500, said
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json", said


# Any text a query string can carry: every code point but lone surrogates (not encodable).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=600)
# Any text JSON can carry: lone surrogates as well (sent as \uXXXX escapes), and often.
JSON_TEXT = st.text(st.characters(exclude_categories=()) | st.sampled_from("\ud800\udfff\x00"))
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and ±Infinity as well, which Python's JSON reads back
    | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _encoded(raw: bytes, alphabet: str, padded: bool) -> str:
    text = (base64.urlsafe_b64encode if alphabet == "url" else base64.b64encode)(raw).decode()
    return text if padded else text.rstrip("=")


CURSORS = TEXT | st.builds(
    _encoded,
    st.one_of(
        JSON.map(lambda value: json.dumps(value).encode()),
        # the shape the service issues: [sort value, id], with odd values in both places
        st.tuples(JSON, JSON | st.uuids().map(str)).map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=300),
    ),
    st.sampled_from(["url", "standard"]),
    st.booleans(),
)
SORTS = st.sampled_from(["updated_at", "-updated_at", "created_at", "-created_at", "title"])
# The shape the service issues, with a lone surrogate as the sort value: a server error found
# by this test.
SURROGATE_CURSOR = _encoded(b'["\\ud800", "00000000-0000-0000-0000-000000000000"]', "url", True)


@seed(SEED)
@FUZZ
@example(cursor=SURROGATE_CURSOR, sort="title", position="1")
@given(cursor=CURSORS, sort=SORTS, position=TEXT | st.integers().map(str))
def test_any_cursor_is_answered_without_server_error(
    client: FlaskClient,
    headers: dict[str, str],
    initiative: str,
    cursor: str,
    sort: str,
    position: str,
) -> None:
    page = {"cursor": cursor, "sort": sort, "limit": "1"}
    answered(client.get(LIST, query_string=page, headers=headers), f"GET {LIST} {page}")
    for path in ("/api/v1/audit", "/api/v1/ledger/checkpoints"):
        answered(
            client.get(path, query_string={"before": position}, headers=headers),
            f"GET {path} before={position!r}",
        )


def _moment(
    year: int, month: int, day: int, hour: int, minute: int, second: int, tail: str, zone: str
) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{tail}{zone}"


OFFSETS = st.one_of(
    st.sampled_from(["", "Z", "z", "+00:00", "-00:00", "+23:59", "-23:59", "+24:00", "-24:00"]),
    st.builds(
        "{}{:02d}:{:02d}".format,
        st.sampled_from("+-"),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    st.builds("{}{:04d}".format, st.sampled_from("+-"), st.integers(0, 9999)),
    st.builds("{}23:59:59.999999".format, st.sampled_from("+-")),
)
# Odd spellings: each part just in or out of range, extreme years, long fractions, odd zones.
SPELLED = st.builds(
    _moment,
    st.integers(0, 9999) | st.sampled_from([1, 1945, 2100, 9999]),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["", ".0", ".999999", ".1234567890123", ",5"]),
    OFFSETS,
)
# Real instants at the ends of what Python holds, under the most extreme offsets it allows.
EXTREME = st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(),
    st.datetimes(min_value=datetime.min, max_value=datetime.max)
    | st.sampled_from([datetime.min, datetime.max, datetime(1945, 9, 2), datetime(2100, 12, 31)]),
    st.timedeltas(
        min_value=-timedelta(hours=23, minutes=59, seconds=59),
        max_value=timedelta(hours=23, minutes=59, seconds=59),
    )
    | st.sampled_from([timedelta(hours=23, minutes=59), -timedelta(hours=23, minutes=59)]),
)
# Instants around the bounds the service records (1945-09-02 to 2100-12-31 in UTC) and up to now,
# under extreme offsets: the ones parsed, converted and (as_of) replayed.
BOUNDARY = st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(),
    st.datetimes(min_value=datetime(1945, 9, 1), max_value=datetime(2101, 1, 1, 23, 59)),
    st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23)),
)
MOMENTS = TEXT | SPELLED | EXTREME | BOUNDARY | st.dates().map(str)


@seed(SEED)
@FUZZ
@given(first=MOMENTS, second=MOMENTS | st.just(NOW.isoformat()), which=st.data())
def test_any_date_or_moment_is_answered_without_server_error(
    client: FlaskClient,
    headers: dict[str, str],
    initiative: str,
    first: str,
    second: str,
    which: st.DataObject,
) -> None:
    one = f"{LIST}/{initiative}"
    reads = [
        (LIST, {"as_of": first}),
        (one, {"as_of": first}),
        (f"{one}/history", {"until": first}),
        (f"{one}/changes", {"from": first, "to": second}),
        ("/api/v1/dashboard/inbox/changes", {"from": first, "to": second}),
        ("/api/v1/audit", {"since": first, "until": second}),
    ]
    path, query = which.draw(st.sampled_from(reads))
    answered(client.get(path, query_string=query, headers=headers), f"GET {path} {query}")
    # a command whose body holds a date
    body = {"receipt_date": first, "incoming_number": "CV 1"}
    answered(
        client.post(f"{one}/receive", json=body, headers=headers), f"POST {one}/receive {body}"
    )


def _nested(depth: int, shape: str) -> str:
    """A JSON value `depth` lists or objects deep, written out (no recursion here)."""
    if shape == "list":
        return "[" * depth + "0" + "]" * depth
    if shape == "object":
        return '{"a":' * depth + "0" + "}" * depth
    return '[{"a":' * (depth // 2) + "0" + "}]" * (depth // 2)


DEPTHS = st.integers(1, 2000) | st.sampled_from([31, 32, 33, 499, 500, 900, 980, 5000, 10**5])
SHAPES = st.sampled_from(["list", "object", "mixed"])


@seed(SEED)
@FUZZ
@given(depth=DEPTHS, shape=SHAPES)
def test_any_nesting_depth_is_answered_without_server_error(
    client: FlaskClient, headers: dict[str, str], depth: int, shape: str
) -> None:
    value = _nested(depth, shape)
    # A draft of its own, so that a failure is this example's.
    one = f"{LIST}/{draft(client, headers, f'Nested {depth} deep')}"
    json_headers = {**headers, "Content-Type": "application/json"}
    # The command that stores a value as sent (a correction of the creation, by its author),
    # then the initiative must still be readable.
    correction = (
        f'{{"corrected_version": 1, "reason": "depth {depth}",'
        f' "corrections": {{"title": {value}}}}}'
    )
    sent = client.post(f"{one}/correct", data=correction, headers=json_headers)
    answered(sent, f"POST {one}/correct nested {depth} deep ({shape})")
    answered(client.get(one, headers=headers), f"GET {one} after a correction {depth} deep")
    answered(
        client.get(f"{one}/history", headers=headers),
        f"GET {one}/history after a correction {depth} deep",
    )
    # A whole body nested that deep, and the list read with a cursor and a body nested so.
    answered(
        client.post(LIST, data=value, headers=json_headers), f"POST {LIST} nested {depth} deep"
    )
    cursor = base64.urlsafe_b64encode(value.encode()).decode()[:500]
    answered(
        client.get(LIST, query_string={"cursor": cursor}, data=value, headers=json_headers),
        f"GET {LIST} with a cursor and a body nested {depth} deep",
    )


@seed(SEED)
@FUZZ
@example(name="\ud800", value=0)  # a server error found by this test
@given(name=JSON_TEXT, value=JSON)
def test_any_field_name_or_value_is_answered_without_server_error(
    client: FlaskClient, headers: dict[str, str], initiative: str, name: str, value: Any
) -> None:
    """Names and values as JSON can write them (lone surrogates, NaN, huge numbers): as an
    unknown field of a command, and as a corrected field and its value (which is stored)."""
    one = f"{LIST}/{initiative}"
    for body in (
        {"corrected_version": 1, "reason": "fuzz", "corrections": {name or "x": value}},
        {"corrected_version": 1, "reason": "fuzz", "corrections": {"title": "x"}, name: value},
    ):
        data = json.dumps(body)  # ASCII: lone surrogates travel as escapes
        sent = client.post(
            f"{one}/correct", data=data, headers={**headers, "Content-Type": "application/json"}
        )
        answered(sent, f"POST {one}/correct {data[:300]}")
    answered(client.get(one, headers=headers), f"GET {one} after corrections")
