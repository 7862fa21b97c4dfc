"""Two real witness processes (`ledger witness serve`, each with its own key and SQLite file)
countersign the log's checkpoints: receipts carry their cosignatures and verify only with a
quorum of them; an outage delays cosigning and loses nothing; a restarted witness keeps its
state; a history rewritten with every key of the operator never reaches the quorum."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.cosignature import WitnessKey, WitnessSigner, cosigned_by
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer, LedgerStore
from projections.ledger.witnessing import Cosigning, WitnessEndpoint
from projections.storage import Storage
from projections.worker import Worker
from tests.conftest import running_app
from tests.e2e.test_http_api import Driver
from tests.e2e.test_http_ledger import approved, provable
from tests.e2e.test_processes import BIN, free_port
from tests.factories import Clock, Life
from tests.integration.test_ledger import drop_ledger, tamper_with_event
from tests.server_process import script_env
from web.cli import main
from web.key_files import write_new_key

ORIGIN = "ledger.example/test"


class WitnessProcess:
    """One witness: its key (made by `ledger witness init`), its SQLite file, its process."""

    def __init__(self, folder: Path, name: str, log_key: Path) -> None:
        self.key_file = folder / f"{name}.key"
        self.db = folder / f"{name}.sqlite3"
        self.log_key = log_key
        self.port = free_port()
        made = CliRunner().invoke(
            main, ["witness", "init", "--name", name, "--key-file", str(self.key_file)]
        )
        assert made.exit_code == 0, made.output
        self.key = WitnessKey.parse(made.output.strip())
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process (`wait_ready` waits for it to answer)."""
        self.process = subprocess.Popen(
            [
                str(BIN / "ledger"),
                "witness",
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--key-file",
                str(self.key_file),
                "--db",
                str(self.db),
                "--log",
                f"{self.log_key}.pub",
            ],
            env={**script_env(), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait_ready(self) -> None:
        """Wait until it answers (a 404 on an unknown path), at most 30 s."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/nothing", timeout=1)
            except urllib.error.HTTPError:
                return  # it answers (404)
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"witness did not start: {self.output()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.output()
            self.process = None

    def output(self) -> str:
        if self.process is None or self.process.stdout is None:
            return ""
        text = self.process.stdout.read() if self.process.poll() is not None else ""
        self.process.stdout.close()
        return text

    def cosigned_size(self) -> int | None:
        """The size of the last checkpoint it cosigned for our log (its monitoring URL)."""
        origin_hash = hashlib.sha256(ORIGIN.encode()).hexdigest()
        try:
            with urllib.request.urlopen(f"{self.url}/{origin_hash}/checkpoint", timeout=5) as r:
                return int(r.read().decode().split("\n")[1])
        except urllib.error.HTTPError:
            return None

    @property
    def endpoint(self) -> WitnessEndpoint:
        return WitnessEndpoint(self.key, self.url)


@pytest.fixture
def log_key(tmp_path: Path) -> Path:
    path = tmp_path / "ledger-key"
    write_new_key(path, ORIGIN)
    return path


@pytest.fixture
def witnesses(tmp_path: Path, log_key: Path) -> Iterator[list[WitnessProcess]]:
    pair = [
        WitnessProcess(tmp_path, "ubkt.hcm.example/w1", log_key),
        WitnessProcess(tmp_path, "thanhtra.hcm.example/w2", log_key),
    ]
    for witness in pair:  # both start at once: each takes a second to import
        witness.launch()
    for witness in pair:
        witness.wait_ready()
    yield pair
    for witness in pair:
        if witness.process is not None:
            witness.process.terminate()
    for witness in pair:
        witness.stop()


@pytest.fixture
def web_app(
    storage: Storage, clock: Clock, log_key: Path, witnesses: list[WitnessProcess]
) -> Iterator[Flask]:
    """The service with both witnesses and a quorum of two."""
    with running_app(
        storage,
        clock,
        log_key,
        LEDGER_WITNESSES=";".join(f"{w.key.encode()} {w.url}" for w in witnesses),
        LEDGER_WITNESS_QUORUM="2",
    ) as flask_app:
        yield flask_app


def test_receipts_carry_the_witnesses_cosignatures_and_need_the_quorum(
    http: Driver,
    client: FlaskClient,
    auth: Any,
    tmp_path: Path,
    witnesses: list[WitnessProcess],
) -> None:
    approved(http)
    bundle = provable(client, auth, f"/api/v1/initiatives/{http.id}/events/6/receipt")
    signed = bundle["tlog_proof"].split("\n\n", 1)[1]
    stamps = cosigned_by(signed, [w.key for w in witnesses])
    assert sorted(stamps) == sorted(w.key.name for w in witnesses)
    health = client.get("/api/health").get_json()
    assert (health["witnesses"], health["witness_quorum"]) == (2, 2)
    assert health["cosigned_size"] >= 6
    keys = tmp_path / "keys.txt"
    keys.write_text(client.get("/api/v1/ledger/key").get_data(as_text=True))
    receipt = tmp_path / "receipt.json"
    receipt.write_text(json.dumps(bundle))
    base = ["verify", "receipt", str(receipt), "--key", str(keys)]
    both = [arg for w in witnesses for arg in ("--witness", str(w.key_file) + ".pub")]
    verified = CliRunner().invoke(main, [*base, *both, "--quorum", "2"])
    assert verified.exit_code == 0, verified.output
    for witness in witnesses:
        assert f"Cosigned by witness {witness.key.name} at" in verified.output
    stranger = WitnessSigner.generate("stranger.example/w").key.encode()
    refused = CliRunner().invoke(main, [*base, "--witness", stranger, *both[:2], "--quorum", "2"])
    assert refused.exit_code == 1
    assert "cosigned by 1 of the trusted witnesses (ubkt.hcm.example/w1); the quorum is 2" in (
        refused.output
    )


@dataclass(frozen=True)
class Operator:
    """The log's operator with both witnesses: its application, database and clock, and the
    key it signs checkpoints with."""

    app: LedgerApplication
    db: Database
    clock: Clock
    witnesses: list[WitnessProcess]
    signer: Signer

    def life(self) -> Life:
        """A new initiative's life on the application."""
        return Life(self.app, self.clock)

    def by_both(self) -> Cosigning:
        """A cosigning by both witnesses (a new one: nothing held back by earlier failures)."""
        return Cosigning(self.db, tuple(w.endpoint for w in self.witnesses), timeout=2)

    def cycle(self, cosigning: Cosigning) -> Any:
        """What the worker does: seal, sign a checkpoint, get it cosigned (by the witnesses of
        the cosigning given)."""
        Worker(self.app, self.db).catch_up()
        Checkpointer(self.db, self.signer, ORIGIN, 0).issue()
        return cosigning.run()


@pytest.fixture
def operator(
    stored_app: LedgerApplication,
    db: Database,
    clock: Clock,
    witnesses: list[WitnessProcess],
    log_key: Path,
) -> Operator:
    return Operator(stored_app, db, clock, witnesses, Signer.parse(log_key.read_text()))


def sizes(store: LedgerStore, cosigned: bool = False) -> int | None:
    """The size of the newest checkpoint (cosigned by the quorum, or signed)."""
    checkpoint = store.latest() if cosigned else store.newest()
    return checkpoint.size if checkpoint else None


def test_an_outage_delays_cosigning_and_a_restart_keeps_the_witness_state(
    operator: Operator,
) -> None:
    db, witnesses, cycle = operator.db, operator.witnesses, operator.cycle
    first, second = witnesses
    cosigning = operator.by_both()
    store = LedgerStore(db, tuple(w.key.name for w in witnesses), 2)
    operator.life().to_approval()
    assert cycle(cosigning) == {
        first.key.name: "cosigned",
        second.key.name: "cosigned",
    }
    size = sizes(store)
    assert sizes(store, cosigned=True) == size
    second.stop()
    operator.life().to_review()
    outcome = cycle(cosigning)
    assert outcome[first.key.name] == "cosigned"
    assert outcome[second.key.name].startswith("failed: ")
    grown = sizes(store)
    assert grown > size
    assert sizes(store, cosigned=True) == size  # the quorum waits
    second.start()
    assert second.cosigned_size() == size  # its state survived the restart
    assert operator.by_both().run() == {first.key.name: "already", second.key.name: "cosigned"}
    assert sizes(store, cosigned=True) == grown
    assert second.cosigned_size() == grown


def test_a_history_rewritten_with_every_key_never_reaches_the_quorum(
    storage: Storage, operator: Operator
) -> None:
    db, witnesses, cycle = operator.db, operator.witnesses, operator.cycle
    life = operator.life()
    life.to_approval()
    cycle(operator.by_both())
    witnessed = LedgerStore(db).newest()
    assert witnessed is not None
    # The insider: database owner, act key and checkpoint key. Rewrites the approval, drops
    # every ledger table (cosignatures included), reseals, signs, and asks the witnesses.
    found = LedgerStore(db).leaf(life.id, 6)
    assert found is not None
    tamper_with_event(storage, db, found["position"], resign=True)
    drop_ledger(storage, db)
    operator.life().draft()  # and the log grows, to look alive
    outcome = cycle(operator.by_both())
    for witness in witnesses:
        assert outcome[witness.key.name].startswith("failed: answered 422"), outcome
        assert witness.cosigned_size() == witnessed.size
    assert LedgerStore(db, tuple(w.key.name for w in witnesses), 1).latest() is None


def test_a_log_key_the_witness_cannot_read_is_refused_by_its_option_s_name(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "witness-key"
    made = CliRunner().invoke(
        main, ["witness", "init", "--name", "ubkt.example/w1", "--key-file", str(key_file)]
    )
    assert made.exit_code == 0, made.output
    serve = ["witness", "serve", "--key-file", str(key_file), "--db", str(tmp_path / "w.db")]
    refused = CliRunner().invoke(main, [*serve, "--log", "not a key"])
    assert refused.exit_code == 1, refused.output
    assert refused.output.startswith("Error: --log: "), refused.output
    assert not (tmp_path / "w.db").exists()


def test_a_witness_key_is_written_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "witness-key"
    init = ["witness", "init", "--name", "ubkt.example/w1", "--key-file", str(key_file)]
    made = CliRunner().invoke(main, init)
    assert made.exit_code == 0, made.output
    assert key_file.stat().st_mode & 0o777 == 0o600
    written = key_file.read_text(encoding="ascii")
    assert made.output == Path(f"{key_file}.pub").read_text(encoding="ascii")
    again = CliRunner().invoke(main, init)
    assert again.exit_code == 1
    assert f"{key_file} exists; a witness key is never overwritten" in again.output
    assert key_file.read_text(encoding="ascii") == written
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["witness-key", "witness-key.pub"]
