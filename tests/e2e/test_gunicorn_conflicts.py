"""50 concurrent conflicting commands through gunicorn: exactly one lands, no 500."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from pathlib import Path

from domain.application import LedgerApplication
from projections.storage import Storage
from tests.conftest import SECRET, _url
from tests.e2e.test_processes import free_port, gunicorn, serving
from tests.factories import Clock, Scenario
from web.auth import issue_token
from web.config import Settings


def post(url: str, token: str, body: dict[str, str], headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        return int(error.code)


def test_fifty_concurrent_withdrawals_record_exactly_one(
    storage: Storage, stored_app: LedgerApplication, clock: Clock, tmp_path: Path
) -> None:
    scenario = Scenario(stored_app, clock)
    scenario.draft()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "JWT_SECRET": SECRET,
        "RATE_LIMIT": "off",  # a burst of one person's requests is the point here
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    settings = Settings.load({"JWT_SECRET": SECRET})
    token = issue_token(settings, "can-bo")
    command = gunicorn(port, "--config", "python:web.gunicorn_conf", threads=8)
    statuses: list[int] = []
    with serving(command, env, tmp_path, port):
        url = f"http://127.0.0.1:{port}/api/v1/initiatives/{scenario.id}/withdraw"
        gate = threading.Barrier(50)

        def fire(n: int) -> None:
            gate.wait()
            headers = {"If-Match": '"1"'} if n % 2 else {}
            statuses.append(post(url, token, {"reason": f"Lý do {n}"}, headers))

        threads = [threading.Thread(target=fire, args=(n,)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(statuses) == 50
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 409, 412}, statuses
    history = stored_app.get_history(scenario.id)
    assert [h["version"] for h in history] == [1, 2]
