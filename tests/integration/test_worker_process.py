"""The worker as its own process: killed mid-batch it loses nothing; SIGTERM stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from domain.application import LedgerApplication
from projections.db import Database
from projections.storage import Storage
from projections.worker import Worker, all_views, positions, rebuildable, reset_views
from tests.conftest import PG_URL
from tests.factories import Clock, Life
from tests.integration.test_views import dump
from tests.server_process import script_env

HERE = Path(__file__).parent


def url_of(storage: Storage) -> str:
    return f"sqlite:///{storage.sqlite_path}" if storage.kind == "sqlite" else PG_URL


def test_a_worker_killed_mid_batch_leaves_the_views_exact_after_restart(
    storage: Storage, stored_app: LedgerApplication, clock: Clock, tmp_path: Path
) -> None:
    Life(stored_app, clock).to_evaluated()
    head = stored_app.recorder.max_notification_id()
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1])}
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "crashing_worker.py"),
            url_of(storage),
            storage.schema,
            str(marker),
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, "the worker exited before its second batch"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    db = Database(storage)
    try:
        assert set(positions(db, all_views()).values()) == {10}, "only the first batch landed"
        Worker(stored_app, db, batch_size=10).catch_up()
        assert set(positions(db, all_views()).values()) == {head}
        after_restart = dump(db)
        reset_views(db, rebuildable(all_views()))
        Worker(stored_app, db).catch_up()
        assert dump(db) == after_restart
        assert len(after_restart["iv_audit"]) == head
    finally:
        db.close()


def test_ledger_worker_follows_the_log_and_stops_on_sigterm(
    storage: Storage, stored_app: LedgerApplication, clock: Clock
) -> None:
    env = {**script_env(), "DATABASE_URL": url_of(storage), "DATABASE_SCHEMA": storage.schema}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ledger"), "worker", "--poll", "0.05"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    db = Database(storage)
    try:
        Life(stored_app, clock).to_approval()
        head = stored_app.recorder.max_notification_id()
        deadline = time.monotonic() + 30
        while min(positions(db, all_views()).values()) < head:
            assert time.monotonic() < deadline, "the worker did not catch up"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        db.close()
    assert process.returncode == 0
    assert "worker stopped" in output
