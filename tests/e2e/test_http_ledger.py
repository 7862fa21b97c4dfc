"""The ledger over HTTP and the offline verifier on the command line."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from projections.ledger import merkle
from projections.ledger.note import Verifier, verify_checkpoint
from projections.ledger.verify import TrustedKeys
from tests.conftest import SECRET, _url
from tests.e2e.test_http_api import API, Driver, problem_of
from tests.factories import ACTS, Clock, oid
from tests.unit.test_import_rules import loaded_by_ledger
from web import create_app
from web.cli import main


def approved(http: Driver) -> int:
    return int(http.to_approval()["position"])


def provable(client: FlaskClient, auth: Any, path: str) -> Any:
    """The receipt once the in-process worker has sealed and checkpointed (bounded wait)."""
    deadline = time.monotonic() + 10
    while True:
        response = client.get(path, headers=auth("can-bo"))
        if response.status_code != 409 or time.monotonic() > deadline:
            assert response.status_code == 200, response.get_json()
            return response.get_json()
        time.sleep(0.05)


def test_a_cadre_downloads_a_receipt_and_verifies_it_offline(
    http: Driver, client: FlaskClient, auth: Any, tmp_path: Path
) -> None:
    approved(http)
    bundle = provable(client, auth, f"{API}/{http.id}/events/6/receipt")
    assert bundle["event"]["type"] == "Approved"
    assert bundle["authority"]["organisation_id"] == str(oid("ben-thanh-ubnd"))
    assert [e["record"]["version"] for e in bundle["authority"]["events"]] == list(
        range(1, len(bundle["authority"]["events"]) + 1)
    )
    key = client.get("/api/v1/ledger/key").get_data(as_text=True).strip()
    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(json.dumps(bundle), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", "receipt", str(receipt_file), "--key", key])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("VERIFIED / HỢP LỆ\nSự kiện / Event: Phê duyệt chủ trương")
    assert "Nguyễn Thị Hồng" in result.output
    # An inspector's machine has no service: the verification loads none of it.
    assert loaded_by_ledger(["verify", "receipt", str(receipt_file), "--key", key]) == []
    bundle["record"]["version"] = 5
    receipt_file.write_text(json.dumps(bundle), encoding="utf-8")
    refused = CliRunner().invoke(main, ["verify", "receipt", str(receipt_file), "--key", key])
    assert refused.exit_code == 1
    assert "NOT VERIFIED / KHÔNG HỢP LỆ" in refused.output


def test_checkpoint_key_and_proofs_are_public_and_verify(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    approved(http)
    provable(client, auth, f"{API}/{http.id}/events/6/receipt")
    keys = TrustedKeys.parse(client.get("/api/v1/ledger/key").get_data(as_text=True))
    assert [v.name for v in keys.verifiers] == ["ledger.example/test", ACTS.signer.name]
    key = keys.log_key("ledger.example/test")
    response = client.get("/api/v1/ledger/checkpoint")
    assert response.mimetype == "text/plain"
    checkpoint = verify_checkpoint(response.get_data(as_text=True), key, "ledger.example/test")
    history = client.get("/api/v1/ledger/checkpoints").get_json()
    assert history[0]["size"] == checkpoint.size
    size = checkpoint.size
    proof = client.get(f"/api/v1/ledger/proofs/inclusion?index=3&size={size}").get_json()
    assert proof["index"] == 3
    inclusion = [base64.b64decode(h) for h in proof["hashes"]]
    assert (
        merkle.root_from_inclusion(3, size, merkle.leaf_hash(b"x"), inclusion) != checkpoint.root
    )
    oldest = history[-1]
    consistency = client.get(
        f"/api/v1/ledger/proofs/consistency?from={oldest['size']}&to={size}"
    ).get_json()
    merkle.verify_consistency(
        oldest["size"],
        size,
        [base64.b64decode(h) for h in consistency["hashes"]],
        base64.b64decode(oldest["root"]),
        checkpoint.root,
    )
    problem_of(client.get(f"/api/v1/ledger/proofs/inclusion?index=0&size={size + 100}"), 422)
    problem_of(client.get("/api/v1/ledger/proofs/consistency?from=5&to=2"), 422)


def test_a_receipt_before_the_checkpoint_is_409_with_retry_after(
    storage: Any, clock: Clock, web_app: Flask, auth: Any, ledger_key: Path
) -> None:
    lagging = create_app(
        {
            "DATABASE_URL": _url(storage),
            "DATABASE_SCHEMA": storage.schema,
            "JWT_SECRET": SECRET,
            "LEDGER_KEY_FILE": str(ledger_key),
        },
        clock=clock,
    )
    try:
        client = lagging.test_client()  # no worker runs: nothing gets sealed
        http = Driver(client, auth)
        http.draft()
        response = client.get(f"{API}/{http.id}/events/1/receipt", headers=auth("can-bo"))
        body = problem_of(response, 409)
        assert "not sealed into the ledger yet" in body["detail"]
        assert response.headers["Retry-After"] == "10"
        problem_of(client.get(f"{API}/{http.id}/events/9/receipt", headers=auth("can-bo")), 409)
        problem_of(
            client.get(
                f"{API}/6f1c1a5e-0000-4000-8000-000000000000/events/1/receipt",
                headers=auth("can-bo"),
            ),
            404,
        )
        problem_of(client.get(f"{API}/{http.id}/events/1/receipt"), 401)
        # a version past the request schemas' bound (2**53) is unknown, never a 500 (SQLite
        # cannot hold one past 2**63)
        for version, detail in [
            (0, "versions start at 1"),
            (2**53 + 1, "no initiative has that many versions"),
            (625063727911315859046400, "no initiative has that many versions"),
        ]:
            for what in ("receipt", "certificate"):
                url = f"{API}/{http.id}/events/{version}/{what}"
                assert problem_of(client.get(url, headers=auth("can-bo")), 404)["detail"] == detail
        ok = problem_of(
            client.get(f"{API}/{http.id}/events/{2**53}/receipt", headers=auth("can-bo")), 409
        )
        assert "not sealed into the ledger yet" in ok["detail"]
    finally:
        lagging.extensions["ledger.reads"].stop()
        lagging.extensions["ledger.service"].close()


def test_keys_generate_writes_a_private_file_only_its_owner_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("DEV_SECRET_FILE", str(tmp_path / "secret"))
    out = tmp_path / "keys" / "ledger"
    result = CliRunner().invoke(
        main, ["keys", "generate", "--name", "hcm.example/ledger", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    published = Path(f"{out}.pub").read_text().strip()
    assert result.output.strip() == published
    assert Verifier.parse(published).name == "hcm.example/ledger"
    again = CliRunner().invoke(main, ["keys", "generate", "--out", str(out)])
    assert again.exit_code == 1
    assert "never overwritten" in again.output
