"""The attack suite: every numbered attack of the fail-closed review (docs/reliability.md),
each a test on SQLite and on PostgreSQL, marked `attack(N)`; `pytest -m attack` runs them all.

Most attacks are tested where their subject lives (the command and read matrices, the
hostile-input, page, token and outage tests) and carry the marker there; the ones below are
the cost ceiling (7) and production mode on each backend (1). The last test checks that every
case has a marked test on both backends (9, a network that drops packets, on PostgreSQL
only: SQLite has no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from domain.application import LedgerApplication
from projections.db import Database
from projections.storage import Storage
from tests.concurrency import AtOnce
from tests.conftest import ORIGIN, SECRET, AppWith, _url, attack_entries, bearer
from tests.e2e.test_pages import csrf_of
from tests.e2e.test_processes import free_port, gunicorn, serving
from tests.factories import Clock, Scenario, history_starts_at, pid
from web.auth import issue_token
from web.config import Settings

ROOT = Path(__file__).parents[2]
API = "/api/v1/initiatives"
CASES = range(1, 12)


@pytest.mark.attack(1)
def test_1_in_production_nobody_signs_in_as_somebody_else(app_with: AppWith) -> None:
    with app_with(LEDGER_ENV="production", SECRET_KEY="k" * 40, LEDGER_ORIGIN=ORIGIN) as app:
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        assert "Nguyễn Văn Thành" not in page, "no person picker"
        assert 'id="development"' not in page
        chairman = str(pid("chu-tich"))
        refused = client.post("/sign-in", data={"person": chairman, "csrf_token": csrf_of(client)})
        assert refused.status_code == 401
        assert client.get("/inbox").status_code == 302, "no session was opened"
        token = issue_token(app.extensions["ledger.settings"], "chu-tich")
        signed = client.post("/sign-in", data={"token": token, "csrf_token": csrf_of(client)})
        assert signed.status_code == 302
        assert "Secure" in signed.headers["Set-Cookie"]


@pytest.mark.attack(7)
def test_7_requests_over_a_persons_rate_limit_are_429(storage: Storage, app_with: AppWith) -> None:
    with app_with(RATE_LIMIT="3 per minute") as app:
        client = app.test_client()
        paths = (API, "/api/v1/people", API, "/api/v1/organisations")  # one window, all routes
        statuses = [
            client.get(path, headers=bearer(app)("chu-tich")).status_code for path in paths
        ]
        assert statuses == [200, 200, 200, 429]
        over = client.get(API, headers=bearer(app)("chu-tich"))
        body = over.get_json()
        assert (over.mimetype, body["status"], body["title"]) == (
            "application/problem+json",
            429,
            "Too Many Requests",
        )
        assert 0 < int(over.headers["Retry-After"]) <= 61, "the window of a minute, rounded up"
        assert client.get(API, headers=bearer(app)("can-bo")).status_code == 200, "per person"
        assert [client.get("/api/health").status_code for _ in "12345"] == [200] * 5
        if storage.kind != "postgresql":
            return
        # Counters live in the database: a second web process counts against the same window.
        with app_with(RATE_LIMIT="3 per minute") as other:
            again = other.test_client().get(API, headers=bearer(other)("chu-tich"))
            assert again.status_code == 429


@pytest.mark.attack(7)
@pytest.mark.parametrize("hops", [0, 1])
def test_7_anonymous_requests_count_per_address_and_a_forged_forward_changes_nothing(
    app_with: AppWith, hops: int
) -> None:
    """Without a token a request counts against its address: the peer's, or with PROXY_HOPS=1
    (behind deploy/nginx.conf) the one the proxy forwards. A client cannot pick a fresh
    address by sending X-Forwarded-For itself when no proxy is trusted."""
    with app_with(RATE_LIMIT="2 per minute", PROXY_HOPS=str(hops)) as app:
        client = app.test_client()

        def anonymous(address: str) -> int:
            return client.get(API, headers={"X-Forwarded-For": address}).status_code

        assert [anonymous("203.0.113.7") for _ in "123"] == [401, 401, 429]
        assert anonymous("198.51.100.9") == (401 if hops else 429)


DIRECTORY = "/api/v1/organisations"


@pytest.mark.attack(7)
def test_7_heavy_reads_are_bounded_in_number_rate_and_span(
    app_with: AppWith, clock: Clock
) -> None:
    with app_with(RATE_LIMIT_HEAVY="2 per minute", HEAVY_WAIT="0") as app:
        client = app.test_client()
        moments = []
        for _ in range(4):
            Scenario(app.extensions["ledger.service"].get(), clock).draft()
            moments.append(clock())
            clock.now += timedelta(minutes=1)
        position = client.get("/api/health").get_json()["log_position"]
        assert client.get(f"{API}?min_position={position}", headers=bearer(app)("can-bo"))
        # As a store upgraded to the views' history after the third draft (migrations r0017):
        # a moment before it is answered by the replay (heavy); the last one by the history.
        history_starts_at(app.extensions["ledger.reads"].db, position)

        def as_of(moment: Any, key: str = "can-bo", path: str = DIRECTORY) -> Any:
            url = f"{path}?as_of={quote(moment.isoformat())}"
            return client.get(url, headers=bearer(app)(key))

        later = as_of(clock() + timedelta(hours=1))
        assert later.status_code == 422
        assert "later than now" in later.get_json()["detail"]
        first = as_of(moments[0])
        assert first.status_code == 200
        # Every heavy-read slot taken: a replay is refused at once, 503 busy with Retry-After;
        # what is cached, the present, the lists as of a moment the views' history holds (no
        # replay) and health still answer.
        with app.extensions["ledger.heavy"].slot("the test"):
            busy = as_of(moments[1])
            assert (busy.status_code, busy.headers["Retry-After"]) == (503, "5")
            assert "heavy read" in busy.get_json()["detail"]
            assert as_of(moments[0]).status_code == 200
            assert client.get(API, headers=bearer(app)("can-bo")).status_code == 200
            listed = as_of(moments[3], path=API)
            assert (listed.status_code, len(listed.get_json()["items"])) == (200, 4)
            assert as_of(moments[3]).status_code == 200
            assert client.get("/api/health").status_code == 200
        assert as_of(moments[1]).status_code == 200
        over = as_of(moments[2])
        assert over.status_code == 429, "the third replay in a minute is over RATE_LIMIT_HEAVY"
        assert "heavy reads per person" in over.get_json()["detail"]
        assert as_of(moments[2], "chu-tich").status_code == 200


def _get(url: str, token: str) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        status = int(error.code)
    return status, time.monotonic() - started


@pytest.mark.attack(7)
def test_7_health_answers_within_a_second_while_eight_heavy_reads_run(
    storage: Storage, db: Database, stored_app: LedgerApplication, clock: Clock, tmp_path: Path
) -> None:
    """The Procfile's server (2 workers, 4 threads each); 8 simultaneous as-of replays of
    distinct moments (before the views' history, which starts after them here): each is
    answered at once (200, or 503 busy when its process's slot is taken: HEAVY_WAIT is 0) and
    health keeps answering within a second. (The bulkhead's refusal itself is shown
    deterministically by the test above.)"""
    scenario = Scenario(stored_app, clock)
    moments = []
    for _ in range(8):
        for _ in range(20):
            scenario.draft()
        moments.append(clock())
        clock.now += timedelta(minutes=1)
    history_starts_at(db, (stored_app.recorder.max_notification_id() or 0) + 1)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "JWT_SECRET": SECRET,
        "PYTHONPATH": str(ROOT),
        "RATE_LIMIT_HEAVY": "off",
    }
    token = issue_token(Settings.load({"JWT_SECRET": SECRET}), "can-bo")
    command = gunicorn(port, "--config", "python:web.gunicorn_conf")
    base = f"http://127.0.0.1:{port}"
    heavy: list[tuple[int, float]] = []
    health: list[tuple[int, float]] = []

    def replay(moment: Any) -> None:
        heavy.append(_get(f"{base}{API}?as_of={quote(moment.isoformat())}", token))

    with serving(command, env, tmp_path, port):
        replays = AtOnce(replay, moments, caller=True)
        replays.gate.wait()
        while replays.running():
            health.append(_get(f"{base}/api/health", token))
        replays.join(timeout=60)
    assert len(heavy) == 8
    statuses = sorted(status for status, _ in heavy)
    assert set(statuses) <= {200, 503}, heavy
    assert statuses.count(200) >= 1, ("the first to find a slot is answered", heavy)
    assert health, "health was asked while the heavy reads ran"
    assert all(status == 200 for status, _ in health), health
    assert max(seconds for _, seconds in health) < 1.0, health


def collected_attacks(session: pytest.Session) -> tuple[list[dict[str, Any]], str]:
    """The attack tests of the whole suite, and what listed them: this session's own
    collection when it collected every test file (the suite's run: each xdist process collects
    all), else a collection of the suite in a subprocess (this file run alone)."""
    files = {str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py")}
    if files <= {item.nodeid.split("::")[0] for item in session.items}:
        return attack_entries(session.items), "this session's collection"
    command = ["-m", "pytest", "-n", "0", "--collect-only", "-q", "-m", "attack", "tests"]
    listed = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={**os.environ, "LIST_ATTACKS": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    entries = [
        json.loads(line[len("ATTACK ") :])
        for line in listed.stdout.splitlines()
        if line.startswith("ATTACK ")
    ]
    return entries, listed.stdout[-3000:]


def test_every_attack_is_tested_on_both_backends(request: pytest.FixtureRequest) -> None:
    entries, source = collected_attacks(request.session)
    seen: dict[int, set[str]] = {case: set() for case in CASES}
    for entry in entries:
        for case in entry["cases"]:
            seen[case].add(entry["backend"])
    needed = {case: {"postgres"} if case == 9 else {"sqlite", "postgres"} for case in CASES}
    missing = {
        case: sorted(needed[case] - seen[case])
        for case in CASES
        if not (needed[case] <= seen[case] or "any" in seen[case])
    }
    assert missing == {}, source
