"""`Idempotency-Key` on every POST: a retry returns the first answer and records nothing new.

The key is claimed before the command runs and the answer stored after it, in a durable table
shared by all workers. Events recorded under a key carry `idem:<key>` as their request id, so a
request that died after recording but before answering is recognised on retry (its claim is
older than the lease) and answered from the event it recorded: nothing is done twice.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from flask import Response, current_app, g, request
from werkzeug.exceptions import BadRequest

from domain.messages import msg
from projections.idempotency import IdempotencyStore, recorded_by
from web.api import service
from web.problems import problem

LEASE = timedelta(seconds=30)
KEPT_HEADERS = ("Content-Type", "ETag")


def _store() -> IdempotencyStore:
    store: IdempotencyStore = current_app.extensions["ledger.idempotency"]
    return store


def claim() -> Response | None:
    """Before a POST: answer a retry from the stored answer, or claim the key."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or key is None:
        return None
    if not 1 <= len(key) <= 64 or not key.isascii() or not key.isprintable() or " " in key:
        raise BadRequest(description=msg("Idempotency-Key is 1 to 64 visible ASCII characters"))
    person = str(g.person_id)
    g.request_id = f"idem:{key}"
    body = request.get_data(cache=True)
    fingerprint = hashlib.sha256(
        request.method.encode() + b" " + request.path.encode() + b"\n" + body
    ).hexdigest()
    outcome = _store().begin(person, key, fingerprint, service().clock())
    if outcome.kind == "mismatch":
        return problem(
            422,
            msg("Idempotency key reused"),
            msg("this Idempotency-Key was used with a different request"),
            "idempotency",
        )
    if outcome.kind == "stored":
        headers = json.loads(outcome.headers or "{}")
        headers["Idempotent-Replayed"] = "true"
        return Response(outcome.body, status=outcome.status, headers=headers)
    if outcome.kind == "in_progress":
        started = datetime.fromisoformat(str(outcome.started_at))
        if service().clock() - started < LEASE:
            return problem(
                409,
                msg("Request in progress"),
                msg("a request with this Idempotency-Key is still in progress; retry"),
                "idempotency-in-progress",
                retry_after=1,
            )
        recovered = _recover(person, key)
        if recovered is not None:
            return recovered
        _store().restart(person, key, service().clock())
    g.idempotency = (person, key)
    return None


def _recover(person: str, key: str) -> Response | None:
    """Answer from the event an abandoned request recorded, if it recorded one."""
    reads = current_app.extensions["ledger.reads"]
    head = service().recorder.max_notification_id()
    reads.wait_for(head)
    found = recorded_by(reads.db, person, f"idem:{key}")
    if found is None:
        return None
    body: dict[str, object] = {
        "version": int(found["version"]),
        "position": int(found["position"]),
    }
    status = 200
    if found["event_type"] == "Drafted":
        body, status = {"id": found["aggregate_id"], **body}, 201
    text = json.dumps(body)
    headers = {"Content-Type": "application/json", "ETag": f'"{body["version"]}"'}
    _store().finish(person, key, status, text, json.dumps(headers))
    return Response(text, status=status, headers={**headers, "Idempotent-Replayed": "true"})


def remember(response: Response) -> Response:
    """After a POST: keep its answer for retries (or release the key on a server error)."""
    claimed = g.pop("idempotency", None)
    if claimed is None:
        return response
    person, key = claimed
    if response.status_code >= 500:
        _store().abandon(person, key)
        return response
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    _store().finish(
        person, key, response.status_code, response.get_data(as_text=True), json.dumps(headers)
    )
    return response
