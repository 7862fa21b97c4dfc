"""The dossier over HTTP and from the command line is streamed: its refusals are problems
answered before the first byte, its heavy-read slot is held until the last byte is sent (or
the answer is closed unread), and `ledger dossier export` never leaves half a dossier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger import dossier, proving
from projections.ledger.acts import Checked
from projections.ledger.note import Signer
from projections.ledger.store import LedgerStore
from projections.ledger.verify import TrustedKeys, verify_dossier
from projections.storage import Storage
from projections.worker import Worker
from tests.act_checkers import watched
from tests.conftest import running_app
from tests.e2e.conftest import Checkpointed
from tests.e2e.test_cli_ledger import env  # noqa: F401 - the CLI's environment fixture
from tests.factories import ACTS, Clock, Life
from tests.integration.test_ledger import tamper_with_event
from web.cli import main

API = "/api/v1/initiatives"


@pytest.fixture
def web_app(storage: Storage, clock: Clock, ledger_key: Path) -> Any:
    """The service without an in-process worker (the test seals and signs), one heavy read at
    a time, none waiting."""
    with running_app(
        storage, clock, ledger_key, IN_PROCESS_WORKER="0", HEAVY_READS="1", HEAVY_WAIT="0"
    ) as flask_app:
        yield flask_app


def trusted(ledger_key: Path) -> TrustedKeys:
    return TrustedKeys.of(Signer.parse(ledger_key.read_text()).verifier, ACTS)


@pytest.fixture
def grown(checkpointed: Checkpointed, web_app: Flask) -> Life:
    """An approved initiative covered by a checkpoint, with the web app serving it."""
    return checkpointed()[1]


def test_a_dossier_is_streamed_holding_its_slot_until_its_last_byte(
    client: FlaskClient, auth: Any, ledger_key: Path, grown: Life
) -> None:
    life = grown
    url, headers = f"{API}/{life.id}/dossier", auth("chu-tich")
    answer = client.get(url, headers=headers)
    assert (answer.status_code, answer.mimetype) == (200, "application/zip")
    assert "Content-Length" not in answer.headers  # its length is known at its end only
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="dossier-{life.id}.zip"'
    )
    chunks = iter(answer.response)
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04")  # the first member is out…
    busy = client.get(url, headers=headers)  # …while the rest is made: the slot is held
    assert (busy.status_code, busy.mimetype) == (503, "application/problem+json")
    verified = verify_dossier(first + b"".join(chunks), trusted(ledger_key))
    assert [r.event_type for r in verified.receipts][-1] == "Approved"
    unread = client.get(url, headers=headers)  # the last byte was sent: the slot is free
    assert unread.status_code == 200
    unread.close()  # the client went away before reading: closing frees the slot
    again = client.get(url, headers=headers)
    assert again.status_code == 200
    assert verify_dossier(again.get_data(), trusted(ledger_key)).receipts


def test_a_dossier_that_cannot_be_whole_is_a_problem_before_its_first_byte(
    stored_app: LedgerApplication,
    db: Database,
    checkpointed: Checkpointed,
    client: FlaskClient,
    auth: Any,
    ledger_key: Path,
    grown: Life,
) -> None:
    life = grown
    life.start()  # version 7, recorded after the checkpoint
    url, headers = f"{API}/{life.id}/dossier", auth("chu-tich")
    refused = client.get(url, headers=headers)
    assert (refused.status_code, refused.mimetype) == (409, "application/problem+json")
    assert "versions 7 to 7 of the initiative are not covered" in refused.get_json()["detail"]
    Worker(stored_app, db).catch_up()
    checkpointed()  # a later checkpoint covers version 7
    answer = client.get(url, headers=headers)  # the refusal gave its slot back
    assert answer.status_code == 200
    assert len(verify_dossier(answer.get_data(), trusted(ledger_key)).receipts) == 7


def test_ledger_dossier_export_writes_a_whole_dossier_or_none(
    env: dict[str, str],  # noqa: F811 - the `ledger` commands' settings
    storage: Storage,
    checkpointed: Checkpointed,
    ledger_key: Path,
    db: Database,
    tmp_path: Path,
) -> None:
    _, life = checkpointed()
    out = tmp_path / "dossier.zip"
    result = CliRunner().invoke(main, ["dossier", "export", str(life.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} ({out.stat().st_size:,} bytes)" in result.output
    assert len(verify_dossier(out.read_bytes(), trusted(ledger_key)).receipts) == 6
    approval = LedgerStore(db).leaf(life.id, 6)
    assert approval is not None
    tamper_with_event(storage, db, approval["position"], resign=True)
    broken = tmp_path / "broken.zip"
    result = CliRunner().invoke(main, ["dossier", "export", str(life.id), "--out", str(broken)])
    assert result.exit_code != 0
    assert "version 6 no longer matches its leaf" in str(result.exception)
    assert sorted(p.name for p in tmp_path.iterdir() if "zip" in p.name) == ["dossier.zip"]


def test_a_dossier_closed_half_read_ends_the_process_checking_its_acts(
    client: FlaskClient, auth: Any, grown: Life, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long dossier's acts are checked by a process of their own (pages of two here); a
    client that goes away half way leaves no such process behind, and its slot is free."""
    processes = watched(monkeypatch)
    # The web process checked these acts as it read the initiative, and would remember them:
    # here it remembers none, as one that had not read them.
    monkeypatch.setattr(Checked, "__contains__", lambda self, item: False)
    monkeypatch.setattr(proving, "PAGE", 2)
    monkeypatch.setattr(dossier, "CHUNK", 1)  # a chunk for each piece: the stream is slow
    url, headers = f"{API}/{grown.id}/dossier", auth("chu-tich")
    answer = client.get(url, headers=headers)
    chunks = iter(answer.response)
    while not processes:
        next(chunks)
    assert processes[0].poll() is None  # checking while the client reads
    answer.close()
    assert processes[0].poll() == 0  # ended with the answer, not left behind
    again = client.get(url, headers=headers)
    assert again.status_code == 200
    again.close()
