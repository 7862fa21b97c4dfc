"""The inspection dossier: exported here, verified elsewhere with only the verifier key."""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from hypothesis import given, seed
from hypothesis import strategies as st

from projections.ledger.note import Signer
from projections.ledger.verify import TrustedKeys, VerificationError, describe, verify_dossier
from tests.conftest import name_in_summary
from tests.e2e.test_http_api import API, Driver
from tests.fuzzing import JSON, REPLAY, SEED, changed, forging, paths
from tests.unit.test_import_rules import loaded_by_ledger
from web.cli import main


def dossier(
    http: Driver, client: FlaskClient, auth: Any, who: str = "chu-tich", purpose: str = ""
) -> bytes:
    http.to_approval()
    deadline = time.monotonic() + 10
    headers = auth(who)
    if purpose:  # an inspector opens a reading first
        opened = client.post(
            f"{API}/{http.id}/readings", json={"purpose": purpose}, headers=auth(who)
        )
        assert opened.status_code == 201, opened.get_json()
        headers["X-Reading-Id"] = opened.get_json()["reading_id"]
    while True:
        response = client.get(f"{API}/{http.id}/dossier", headers=headers)
        if response.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/zip"
    return response.data


def rezip(data: bytes, change: Any) -> bytes:
    files = {
        n: zipfile.ZipFile(io.BytesIO(data)).read(n)
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    }
    change(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def reseal(files: dict[str, bytes]) -> None:
    """Recompute the manifest (what a forger would do) so only the proofs can object."""
    manifest = json.loads(files["manifest.json"])
    manifest["files"] = {
        n: hashlib.sha256(c).hexdigest() for n, c in files.items() if n != "manifest.json"
    }
    files["manifest.json"] = json.dumps(manifest).encode()


def test_a_dossier_verifies_on_another_machine_with_the_key_alone(
    http: Driver, client: FlaskClient, auth: Any, tmp_path: Path
) -> None:
    data = dossier(http, client, auth)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert {
        "manifest.json",
        "README.md",
        "history.json",
        "story.html",
        "checkpoint.txt",
        "first-checkpoint.txt",
        "consistency.json",
    } <= set(names)
    assert sorted(n for n in names if n.startswith("receipts/")) == [
        f"receipts/event-{v:05d}.json" for v in range(1, 7)
    ]
    story = zipfile.ZipFile(io.BytesIO(data)).read("story.html").decode()
    assert "<td><b>Chấp thuận chủ trương</b></td>" in story  # the pages' label
    key = client.get("/api/v1/ledger/key").get_data(as_text=True).strip()
    verified = verify_dossier(data, TrustedKeys.parse(key))
    assert [r.event_type for r in verified.receipts][-1] == "Approved"
    assert verified.receipts[-1].authority is not None
    file = tmp_path / "dossier.zip"
    file.write_bytes(data)
    result = CliRunner().invoke(main, ["verify", "dossier", str(file), "--key", key])
    assert result.exit_code == 0, result.output
    assert "VERIFIED / HỢP LỆ" in result.output
    assert "6 sự kiện / events" in result.output
    # An inspector's machine has no service: the verification loads none of it.
    assert loaded_by_ledger(["verify", "dossier", str(file), "--key", key]) == []


TAMPERS = {
    "a changed history": lambda f: f.update(
        {"history.json": f["history.json"].replace(b"Approved", b"Rejected")}
    ),
    "a changed history, manifest recomputed": lambda f: (
        f.update({"history.json": f["history.json"].replace(b'"Approved"', b'"Rejected"')}),
        reseal(f),
    ),
    "a swapped receipt, manifest recomputed": lambda f: (
        f.update({"receipts/event-00006.json": f["receipts/event-00005.json"]}),
        reseal(f),
    ),
    "a dropped receipt, manifest recomputed": lambda f: (
        f.pop("receipts/event-00003.json"),
        reseal(f),
    ),
    "a renamed approver in history and story, manifest recomputed": lambda f: (
        f.update(
            {
                name: f[name].replace("Nguyễn Thị Hồng".encode(), "Trần Văn Bình".encode())
                for name in ("history.json", "story.html")
            }
        ),
        reseal(f),
    ),
    "the last event cut off, manifest recomputed": lambda f: (
        f.pop("receipts/event-00006.json"),
        f.update(
            {"manifest.json": f["manifest.json"].replace(b'"versions": 6', b'"versions": 5')}
        ),
        reseal(f),
    ),
    "a forged checkpoint, manifest recomputed": lambda f: (
        f.update(
            {
                "checkpoint.txt": Signer.generate("ledger.example/test")
                .sign(f["checkpoint.txt"].decode().split("\n\n")[0] + "\n")
                .encode()
            }
        ),
        reseal(f),
    ),
}


REASONS = {
    "a changed history": "history.json was changed after the dossier was made",
    "a changed history, manifest recomputed": "history.json is not the history the receipts",
    "a swapped receipt, manifest recomputed": "receipts/event-00006.json proves another event",
    "a dropped receipt, manifest recomputed": "no receipt for version 3",
    "a forged checkpoint, manifest recomputed": "no valid signature by ledger.example/test",
    "a renamed approver in history and story, manifest recomputed": (
        "history.json is not the history the receipts prove"
    ),
    "the last event cut off, manifest recomputed": (
        "the dossier is incomplete: it proves versions 1 to 5, and the checkpoint's index"
        " says the initiative has 6"
    ),
}


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_a_tampered_dossier_is_rejected(
    http: Driver, client: FlaskClient, auth: Any, tamper: str
) -> None:
    data = dossier(http, client, auth)
    key = TrustedKeys.parse(client.get("/api/v1/ledger/key").get_data(as_text=True))
    with pytest.raises(VerificationError, match=REASONS[tamper]):
        verify_dossier(rezip(data, TAMPERS[tamper]), key)


@pytest.mark.usefixtures("oversight")
def test_an_inspector_downloading_a_dossier_is_logged(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    dossier(http, client, auth, who="kiem-tra", purpose="Thanh tra chuyên đề")
    log = client.get(f"{API}/{http.id}/access-log", headers=auth("chu-tich")).get_json()
    assert [(e["what"], e["purpose"]) for e in log] == [("record", "Thanh tra chuyên đề")]


def proves(verified: Any) -> tuple[Any, ...]:
    """What a verified dossier shows: the initiative, each receipt's facts, both checkpoints."""
    return (
        verified.initiative_id,
        [describe(receipt) for receipt in verified.receipts],
        (verified.first_checkpoint.size, verified.first_checkpoint.root),
        (verified.checkpoint.size, verified.checkpoint.root),
    )


@pytest.mark.long
def test_a_dossier_changed_anywhere_is_refused_or_proves_the_same(
    request: pytest.FixtureRequest, http: Driver, client: FlaskClient, auth: Any
) -> None:
    """Any JSON file of the dossier (manifest, consistency proof, index entry, receipts) with a
    value replaced or removed at random, the manifest's digests recomputed as a forger would:
    a VerificationError, never another exception, or the same facts proven."""
    name_in_summary(request, f"random seed of {__name__}: {SEED} (replay: {REPLAY})")
    data = dossier(http, client, auth)
    key = TrustedKeys.parse(client.get("/api/v1/ledger/key").get_data(as_text=True).strip())
    proven = proves(verify_dossier(data, key))
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {name: archive.read(name) for name in archive.namelist()}
    documents = {name: json.loads(files[name]) for name in files if name.endswith(".json")}
    places = [(name, path) for name, document in documents.items() for path in paths(document)]

    @seed(SEED)
    @forging(200)
    @given(place=st.sampled_from(places), new=JSON, remove=st.booleans())
    def check(place: tuple[str, tuple[Any, ...]], new: Any, remove: bool) -> None:
        name, path = place
        forged = {**files, name: json.dumps(changed(documents[name], path, new, remove)).encode()}
        if name != "manifest.json" or path[0] != "files":
            reseal(forged)
        try:
            verified = verify_dossier(rezip(data, lambda zipped: zipped.update(forged)), key)
        except VerificationError:
            return
        assert proves(verified) == proven, (name, path, new, remove)

    check()
