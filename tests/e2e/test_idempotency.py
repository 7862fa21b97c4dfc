"""Idempotent retries: same key and body → the first answer, nothing new recorded."""

from __future__ import annotations

from dataclasses import replace
from hashlib import sha256
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from projections.storage import Storage
from tests.conftest import SECRET, _url
from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.factories import Clock, ctx, oid, proposal
from web import create_app

DRAFT = {"title": "Thử nghiệm lặp lại", "employing_organisation_id": str(oid("ben-thanh-ubnd"))}


def log_size(app: Flask) -> int:
    return app.extensions["ledger.service"].get().recorder.max_notification_id() or 0


def test_a_retried_create_returns_the_first_answer_and_records_nothing(
    client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    headers = auth("can-bo", **{"Idempotency-Key": "draft-1"})
    first = client.post(API, json=DRAFT, headers=headers)
    size = log_size(web_app)
    again = client.post(API, json=DRAFT, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert log_size(web_app) == size


def test_the_same_key_with_another_body_is_422(client: FlaskClient, auth: Any) -> None:
    headers = auth("can-bo", **{"Idempotency-Key": "draft-2"})
    assert client.post(API, json=DRAFT, headers=headers).status_code == 201
    other = client.post(API, json={**DRAFT, "title": "Khác"}, headers=headers)
    assert problem_of(other, 422)["detail"] == (
        "this Idempotency-Key was used with a different request"
    )


def test_keys_belong_to_one_person(client: FlaskClient, auth: Any) -> None:
    assert (
        client.post(
            API, json=DRAFT, headers=auth("can-bo", **{"Idempotency-Key": "k"})
        ).status_code
        == 201
    )
    other = client.post(API, json=DRAFT, headers=auth("chu-tich", **{"Idempotency-Key": "k"}))
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers


def test_a_refusal_is_replayed_too(http: Driver, client: FlaskClient, auth: Any) -> None:
    http.draft()
    headers = auth("chu-tich", **{"Idempotency-Key": "submit-1"})
    first = client.post(f"{API}/{http.id}/submit", json=plain(proposal()), headers=headers)
    again = client.post(f"{API}/{http.id}/submit", json=plain(proposal()), headers=headers)
    assert (first.status_code, again.status_code) == (403, 403)
    assert again.get_json() == first.get_json()


def test_keys_survive_a_restart_and_expire(
    storage: Storage, clock: Clock, client: FlaskClient, auth: Any, ledger_key: Any
) -> None:
    headers = auth("can-bo", **{"Idempotency-Key": "draft-3"})
    first = client.post(API, json=DRAFT, headers=headers).get_json()
    config = {
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "JWT_SECRET": SECRET,
        "IDEMPOTENCY_TTL": "3600",
    }
    restarted = create_app(config, clock=clock)
    try:
        replay = restarted.test_client().post(API, json=DRAFT, headers=headers)
        assert replay.get_json() == first
        clock.advance(hours=2)
        fresh = restarted.test_client().post(API, json=DRAFT, headers=headers)
        assert fresh.status_code == 201
        assert fresh.get_json()["id"] != first["id"]
    finally:
        restarted.extensions["ledger.reads"].stop()
        restarted.extensions["ledger.service"].close()


def test_a_request_that_died_after_recording_is_answered_from_its_event(
    client: FlaskClient, auth: Any, web_app: Flask, clock: Clock
) -> None:
    """The claim is left in progress and the command recorded, as if the worker died."""
    app = web_app.extensions["ledger.service"].get()
    store = web_app.extensions["ledger.idempotency"]
    body = client.application.json.dumps(DRAFT).encode()
    fingerprint = sha256(b"POST " + API.encode() + b"\n" + body).hexdigest()
    person = str(ctx("can-bo", clock).person_id)
    assert store.begin(person, "lost-1", fingerprint, clock()).kind == "started"
    crashed = ctx("can-bo", clock)
    created = app.create_initiative(
        replace(crashed, request_id="idem:lost-1"),
        title=DRAFT["title"],
        employing_organisation_id=oid("ben-thanh-ubnd"),
    )
    size = log_size(web_app)
    headers = auth("can-bo", **{"Idempotency-Key": "lost-1", "Content-Type": "application/json"})
    early = client.post(API, data=body, headers=headers)
    assert problem_of(early, 409)["title"] == "Request in progress"
    clock.advance(seconds=31)
    late = client.post(API, data=body, headers=headers)
    assert late.status_code == 201
    assert late.get_json()["id"] == str(created["id"])
    assert log_size(web_app) == size, "nothing recorded twice"
