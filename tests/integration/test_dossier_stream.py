"""The streamed dossier on both backends: each member byte for byte what the ledger's own
one-at-a-time functions make of the same records (a receipt as `build_receipt` makes it, the
checkpoints, consistency and index proofs as the store gives them, the history and story as
the verifier renders them); accepted by the offline verifier; refused before its first byte
when it cannot be whole; ended without a valid ZIP when an event is found changed on the
way."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Iterable
from typing import Any

import pytest

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger import proving
from projections.ledger.acts import ActError, ActKeys
from projections.ledger.dossier import stream_dossier
from projections.ledger.integrity import RecordIntegrityError
from projections.ledger.note import Signer, Verifier
from projections.ledger.proving import encode
from projections.ledger.receipts import NotYetProvableError, build_receipt
from projections.ledger.store import Checkpointer, LedgerStore
from projections.ledger.verify import MEMBERS, verify_dossier
from projections.storage import Storage
from projections.worker import Worker
from tests.act_checkers import answers, dead_on_arrival, watched
from tests.conftest import ORIGIN
from tests.factories import ACTS, Clock, Life, directory, officer, oid
from tests.integration.test_ledger import tamper_with_event, trusted


def seal(app: LedgerApplication, db: Database, signer: Signer) -> None:
    Worker(app, db).catch_up()
    assert Checkpointer(db, signer, ORIGIN, 0).issue() is not None


@pytest.fixture
def evaluated(stored_app: LedgerApplication, db: Database, clock: Clock, signer: Signer) -> Life:
    """An initiative through approval, its pilot and evaluation, among another's events, with
    a position assigned in its ward between two of its acts (the ward's authority proofs
    differ before and after) and two checkpoints (the consistency proof is not empty)."""
    life, other = Life(stored_app, clock), Life(stored_app, clock)
    life.to_approval()
    other.to_review()
    seal(stored_app, db, signer)
    newcomer = officer("can-bo-moi", "Lê Văn Tâm", "ben-thanh-ubnd", "staff")
    stored_app.import_directory(directory(officers=[newcomer]), "test")
    life.start()
    other.party_opinion()
    life.complete()
    life.report()
    life.evaluate()
    seal(stored_app, db, signer)
    return life


def members(data: bytes) -> dict[str, bytes]:
    """The members of a ZIP, in its order (each checked against its CRC)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_streamed_dossier_holds_each_member_as_made_one_at_a_time(
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
    evaluated: Life,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pages of five events (three pages, the last one short), one authority proof kept at a
    # time (each is evicted and built again).
    monkeypatch.setattr(proving, "PAGE", 5)
    monkeypatch.setattr(proving, "AUTHORITIES", 1)
    store = LedgerStore(db)
    assert evaluated.id is not None
    data = b"".join(stream_dossier(stored_app, store, evaluated.id))
    streamed = members(data)
    latest, versions = store.latest(), 12
    assert latest is not None
    receipts = [f"receipts/event-{v:05d}.json" for v in range(1, versions + 1)]
    # The members in sorted order, but the manifest, written once the others are: every
    # member a dossier has (story.pdf only when asked for) and the receipts of versions 1 … n.
    assert list(streamed) == [*sorted(set(streamed) - {"manifest.json"}), "manifest.json"]
    assert set(streamed) == MEMBERS - {"story.pdf"} | {*receipts, "manifest.json"}
    for version, name in enumerate(receipts, start=1):
        made = build_receipt(stored_app, store, evaluated.id, version, latest)
        assert streamed[name] == encode(made), name
    first_leaf = store.leaf(evaluated.id, 1)
    assert first_leaf is not None
    first = store.covering(first_leaf["index"])
    assert first is not None
    assert first.size < latest.size
    assert streamed["checkpoint.txt"] == latest.note.encode()
    assert streamed["first-checkpoint.txt"] == first.note.encode()
    assert json.loads(streamed["consistency.json"]) == {
        "from": first.size,
        "to": latest.size,
        "hashes": [h.hex() for h in store.consistency(first.size, latest.size)],
    }
    assert streamed["index.json"] == encode(store.index_proof(evaluated.id, latest.size))
    assert (
        streamed["README.md"]
        .decode()
        .startswith(f"# Hồ sơ kiểm tra / Inspection dossier — {evaluated.id}\n")
    )
    manifest = json.loads(streamed["manifest.json"])
    assert manifest["files"] == {
        n: hashlib.sha256(c).hexdigest()
        for n, c in sorted(streamed.items())
        if n != "manifest.json"
    }
    assert (manifest["versions"], manifest["checkpoint_size"]) == (versions, latest.size)
    # history.json and story.html: what the verifier renders from the receipts (it compares)
    verified = verify_dossier(data, trusted(signer))
    assert [r.record.version for r in verified.receipts] == list(range(1, versions + 1))
    # What the comparison covered: many pages, the ward's authority as of two directory
    # versions, the party committee's too.
    proven = [json.loads(streamed[n]) for n in receipts]
    assert len(proven) > 2 * proving.PAGE
    ward = {len(r["authority"]["events"]) for r in proven if _of(r, "ben-thanh-ubnd")}
    assert len(ward) == 2
    assert any(_of(r, "ben-thanh-dang-uy") for r in proven)


def _of(receipt: dict[str, Any], org_key: str) -> bool:
    authority = receipt["authority"]
    return authority is not None and authority["organisation_id"] == str(oid(org_key))


def test_a_dossier_not_covered_yet_is_refused_before_its_first_byte(
    stored_app: LedgerApplication, db: Database, clock: Clock, signer: Signer
) -> None:
    life = Life(stored_app, clock)
    life.to_approval()
    seal(stored_app, db, signer)
    life.start()
    Worker(stored_app, db).catch_up()  # sealed, but under no checkpoint yet
    assert life.id is not None
    with pytest.raises(NotYetProvableError, match="versions 7 to 7 of the initiative are not"):
        stream_dossier(stored_app, LedgerStore(db), life.id)  # raised before any iteration


def test_an_event_found_changed_on_the_way_ends_the_stream_without_a_dossier(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    evaluated: Life,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(proving, "PAGE", 2)
    assert evaluated.id is not None
    approval = LedgerStore(db).leaf(evaluated.id, 6)
    assert approval is not None
    chunks = stream_dossier(stored_app, LedgerStore(db), evaluated.id)
    sent = [next(chunks)]  # the first bytes are out when the event is changed
    tamper_with_event(storage, db, approval["position"], resign=True)
    with pytest.raises(RecordIntegrityError, match="version 6 no longer matches its leaf"):
        sent.extend(chunks)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(b"".join(sent)))


def reading(storage: Storage, verifiers: Iterable[Verifier] = ACTS.verifiers) -> LedgerApplication:
    """The application as a process that recorded none of these acts opens it (a web worker
    of another machine, the command line): the same keys unless `verifiers` says otherwise,
    none of their signatures checked yet (the session's act keys remember every act they
    signed as checked)."""
    return LedgerApplication(
        env=storage.eventsourcing_env(), mapper=ActKeys.of(None, verifiers).mapper
    )


def test_a_long_dossier_has_its_acts_checked_ahead_by_a_process_of_their_own(
    storage: Storage,
    db: Database,
    evaluated: Life,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond one page, every act is checked once, by the checking process, while the page
    before it is written (the history's pass; the receipts' pass finds them checked); the
    process has ended once the last byte is out; and the dossier is the one built a page at a
    time with every act checked in the process that writes it."""
    assert evaluated.id is not None
    app = reading(storage)
    answered, processes = answers(monkeypatch), watched(monkeypatch)
    try:
        monkeypatch.setattr(proving, "PAGE", 1000)  # one page: nothing read ahead
        alone = members(b"".join(stream_dossier(app, LedgerStore(db), evaluated.id)))
        assert (answered, processes) == ([], [])
        monkeypatch.setattr(proving, "PAGE", 5)
        ahead = members(b"".join(stream_dossier(reading(storage), LedgerStore(db), evaluated.id)))
    finally:
        app.close()
    assert [len(a) for a in answered] == [5, 5, 2]  # pages of the history; no act twice
    assert set(b"".join(answered)) == {1}
    assert len(processes) == 1
    assert processes[0].poll() == 0  # ended with the stream
    del alone["manifest.json"], ahead["manifest.json"]  # only its time of making differs
    assert ahead == alone


def test_a_dossier_whose_checking_process_dies_checks_its_acts_itself(
    storage: Storage,
    db: Database,
    signer: Signer,
    evaluated: Life,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Reading ahead only makes a dossier faster: with the checking process killed, the
    dossier is written whole, its acts checked where it is written, and the verifier accepts
    it; the loss is said once."""
    assert evaluated.id is not None
    monkeypatch.setattr(proving, "PAGE", 5)
    dead_on_arrival(monkeypatch)
    app = reading(storage)
    try:
        with caplog.at_level(logging.WARNING, logger="projections.ledger.deferred"):
            data = b"".join(stream_dossier(app, LedgerStore(db), evaluated.id))
    finally:
        app.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "a dossier's acts are checked in the web process: the act checking process stopped"
    )
    verified = verify_dossier(data, trusted(signer))
    assert [r.record.version for r in verified.receipts] == list(range(1, 13))


@pytest.mark.parametrize("page", [5, 1000])
def test_a_dossier_of_acts_this_process_does_not_trust_ends_without_a_dossier(
    storage: Storage,
    db: Database,
    evaluated: Life,
    monkeypatch: pytest.MonkeyPatch,
    page: int,
) -> None:
    """Checked as each is opened (one page), an act signed by a key not trusted here ends
    the stream with ActError at the initiative's first act, the ZIP left without its central
    directory. Checked behind the pages (pages of five), the initiative's acts are judged
    before the ZIP's end: first comes the first act of the ward's directory, which the
    receipts' authority proofs open at once."""
    assert evaluated.id is not None
    monkeypatch.setattr(proving, "PAGE", page)
    stranger = Signer.generate(f"{ORIGIN}/acts")
    app = reading(storage, [stranger.verifier])
    sent: list[bytes] = []
    try:
        with pytest.raises(ActError, match="version 1 is signed by an unknown act key") as refused:
            sent.extend(stream_dossier(app, LedgerStore(db), evaluated.id))
    finally:
        app.close()
    first = evaluated.id if page == 1000 else oid("ben-thanh-ubnd")
    assert refused.value.aggregate_id == str(first)
    assert sent  # the first members had left
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(b"".join(sent)))
