"""Load through gunicorn while web workers and the worker are SIGKILLed: nothing acknowledged
is lost or duplicated, the views equal a rebuild, the ledger has one leaf per event and verifies.

Quick size in CI (CRASH_SECONDS, default 5 s of load); raise it for the documented full run.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.check import verify_log
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer
from projections.storage import Storage
from projections.worker import Worker, all_views, rebuildable, reset_views
from tests.conftest import SECRET, _url
from tests.e2e.test_processes import BIN, free_port, gunicorn, serving
from tests.factories import oid
from tests.integration.test_views import dump
from web.auth import issue_token
from web.config import Settings

SECONDS = float(os.environ.get("CRASH_SECONDS", "5"))
ENOUGH = 20  # acknowledged versions, at least, for the run to say anything


def call(url: str, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), None
    except (OSError, http.client.HTTPException, ValueError):
        return 0, None  # the worker serving us was killed: unknown outcome


def children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


@pytest.mark.long
def test_sigkilled_workers_lose_and_duplicate_nothing(
    storage: Storage, stored_app: LedgerApplication, tmp_path: Path
) -> None:
    port = free_port()
    key = tmp_path / "ledger-key"
    signer = Signer.generate("ledger.example/crash")
    key.write_text(signer.encode())
    env = {
        **os.environ,
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "JWT_SECRET": SECRET,
        "RATE_LIMIT": "off",  # a burst of one person's requests is the point here
        "LEDGER_KEY_FILE": str(key),
        "CHECKPOINT_INTERVAL": "0.5",
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    token = issue_token(Settings.load({"JWT_SECRET": SECRET}), "can-bo")
    acknowledged: list[tuple[str, int]] = []
    lock = threading.Lock()
    stop = threading.Event()
    worker = subprocess.Popen(
        [str(BIN / "ledger"), "worker", "--poll", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    command = gunicorn(port, "--config", "python:web.gunicorn_conf")  # the Procfile's
    kills = {"web": 0, "worker": 0}
    with serving(command, env, tmp_path, port) as master:
        base = f"http://127.0.0.1:{port}/api/v1/initiatives"
        threads = [
            threading.Thread(
                target=keep_submitting, args=(base, token, n, stop, lock, acknowledged)
            )
            for n in range(6)
        ]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        nonlocal_worker = [worker]
        # SECONDS of load, and on until enough was acknowledged to mean something (a busy
        # machine acknowledges less in the same time), within a generous deadline.
        while time.monotonic() - started < SECONDS or (
            len(acknowledged) <= ENOUGH and time.monotonic() - started < 120
        ):
            time.sleep(0.7)
            web = children(master.pid)
            if web:
                os.kill(web[0], signal.SIGKILL)
                kills["web"] += 1
            if kills["web"] % 2 == 0:
                nonlocal_worker[0].kill()
                nonlocal_worker[0].wait()
                kills["worker"] += 1
                nonlocal_worker[0] = subprocess.Popen(
                    [str(BIN / "ledger"), "worker", "--poll", "0.1"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    nonlocal_worker[0].kill()
    nonlocal_worker[0].wait()
    assert kills["web"] >= 3
    assert kills["worker"] >= 1
    assert len(acknowledged) > ENOUGH

    assert_nothing_lost(storage, stored_app, signer, acknowledged)


def keep_submitting(
    base: str,
    token: str,
    n: int,
    stop: threading.Event,
    lock: threading.Lock,
    acknowledged: list[tuple[str, int]],
) -> None:
    """Create and withdraw initiatives until `stop`; note each acknowledged version."""
    while not stop.is_set():
        status, body = call(
            base,
            token,
            {"title": f"Tải {n}", "employing_organisation_id": str(oid("ben-thanh-ubnd"))},
        )
        if status != 201:
            continue
        with lock:
            acknowledged.append((body["id"], 1))
        status, answer = call(f"{base}/{body['id']}/withdraw", token, {"reason": "x"})
        if status == 200:
            with lock:
                acknowledged.append((body["id"], answer["version"]))


def assert_nothing_lost(
    storage: Storage,
    stored_app: LedgerApplication,
    signer: Signer,
    acknowledged: list[tuple[str, int]],
) -> None:
    """Every acknowledged version is stored once, the ledger has one leaf per event and
    verifies, and the views equal a rebuild."""
    db = Database(storage)
    try:
        Worker(stored_app, db).catch_up()
        Checkpointer(db, signer, "ledger.example/crash", 0).issue()
        events = stored_app.recorder.max_notification_id()
        for initiative, version in acknowledged:
            history = stored_app.get_history(UUID(initiative))
            assert [h["version"] for h in history] == list(range(1, len(history) + 1))
            assert version <= len(history), f"acknowledged {initiative} v{version} is missing"
        rows = db.query("SELECT COUNT(*) AS n FROM ledger_leaves")
        stored = len(stored_app.recorder.select_notifications(start=1, limit=10**7))
        assert int(rows[0]["n"]) == stored, "one leaf per event"
        report = verify_log(stored_app, db, signer.verifier)
        assert report.ok, report.problems
        live = dump(db)
        reset_views(db, rebuildable(all_views()))
        Worker(stored_app, db).catch_up()
        assert dump(db) == live
        assert events
    finally:
        db.close()
