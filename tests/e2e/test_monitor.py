"""Monitors mirror the log without an account: the service serves its checkpoint and hash
tiles under /log/ (no token), and `ledger monitor` / `ledger verify consistency --url` follow
it over HTTP alone — no database, no JWT secret — and report a rewritten history."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from projections.db import Database
from projections.ledger.store import LedgerStore
from projections.ledger.tiles import tile_path
from projections.storage import Storage
from tests.conftest import running_app
from tests.e2e.conftest import Checkpointed
from tests.factories import Clock
from tests.integration.test_ledger import drop_ledger, tamper_with_event
from tests.unit.test_import_rules import loaded_by_ledger
from web.cli import main

ORIGIN = "ledger.example/test"


@pytest.fixture
def web_app(storage: Storage, clock: Clock, ledger_key: Path) -> Iterator[Flask]:
    """The service without an in-process worker: the test seals and signs, step by step."""
    with running_app(storage, clock, ledger_key, IN_PROCESS_WORKER="0") as flask_app:
        yield flask_app


@contextmanager
def serving(web_app: Flask) -> Iterator[str]:
    """`web_app` on a real loopback port (each request's thread closes its connection); its
    URL."""
    reads = web_app.extensions["ledger.reads"]

    def app(environ: Any, start_response: Any) -> Any:
        try:
            return list(web_app(environ, start_response))
        finally:
            reads.db.close()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def served(web_app: Flask) -> Iterator[str]:
    """The web app on a real loopback port."""
    with serving(web_app) as url:
        yield url


def test_tiles_and_checkpoint_are_public_and_match_the_ledger(
    checkpointed: Checkpointed, client: FlaskClient, db: Database
) -> None:
    size, _ = checkpointed()
    note = client.get("/log/checkpoint")
    assert (note.status_code, note.mimetype) == (200, "text/plain")
    assert note.get_data(as_text=True).split("\n")[:2] == [ORIGIN, str(size)]
    tile = client.get(f"/log/tile/{tile_path(0, 0, size)}")
    assert (tile.status_code, tile.mimetype) == (200, "application/octet-stream")
    assert tile.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert tile.data == b"".join(_leaf(db, i) for i in range(size))
    assert client.get(f"/log/tile/{tile_path(0, 0, size + 1)}").status_code == 404
    assert client.get("/log/tile/0/1234").status_code == 400
    assert client.get("/log/tile/entries/000").status_code == 400  # no entry bundles


def _leaf(db: Database, index: int) -> bytes:
    rows = db.query("SELECT leaf_hash FROM ledger_leaves WHERE idx = ?", (index,))
    return bytes(rows[0]["leaf_hash"])


def test_a_monitor_follows_the_log_over_http_and_reports_a_rewrite(
    checkpointed: Checkpointed,
    storage: Storage,
    served: str,
    ledger_key: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    db: Database,
) -> None:
    # The monitor's machine: no database, no token secret.
    for name in ("DATABASE_URL", "JWT_SECRET", "LEDGER_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    key = f"{ledger_key}.pub"
    state = tmp_path / "seen.txt"
    monitor = ["monitor", f"{served}/log", "--key", key, "--state", str(state)]
    first, life = checkpointed()
    out = CliRunner().invoke(main, monitor)
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"first checkpoint of {ORIGIN}: {first} leaves")
    saved = tmp_path / "saved.txt"
    saved.write_text(state.read_text())
    second, _ = checkpointed()
    out = CliRunner().invoke(main, monitor)
    assert out.exit_code == 0, out.output
    assert f"the log of {second} leaves extends the checkpoint of {first} leaves" in out.output
    check = ["verify", "consistency", str(saved), "--url", f"{served}/log", "--key", key]
    out = CliRunner().invoke(main, check)
    assert out.exit_code == 0, out.output
    # An inspector's machine has no service: following the log loads none of it.
    assert loaded_by_ledger(monitor, check) == []
    # The insider with the database and the checkpoint key rewrites the first approval.
    found = LedgerStore(db).leaf(life.id, 6)
    assert found is not None
    tamper_with_event(storage, db, found["position"], resign=True)
    drop_ledger(storage, db)
    third, _ = checkpointed()
    assert third > second
    out = CliRunner().invoke(main, monitor)
    assert out.exit_code == 1
    assert "EQUIVOCATION / MÂU THUẪN: the tree of" in out.output
    assert f"does not extend the tree of {second} leaves verified before" in out.output
    assert len(list(tmp_path.glob("seen.txt.equivocation-*.txt"))) == 1
    out = CliRunner().invoke(main, check)
    assert out.exit_code == 1
    assert "NOT CONSISTENT / KHÔNG NHẤT QUÁN" in out.output
