"""The sealed ledger on SQLite and PostgreSQL: receipts, tampering, triggers, consistency."""

from __future__ import annotations

import base64
import json
import re
from typing import Any
from uuid import UUID

import pytest

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.acts import unwrap
from projections.ledger.check import verify_log
from projections.ledger.guard import LEDGER_TABLES
from projections.ledger.merkle import ProofError, verify_consistency
from projections.ledger.note import Signer, verify_checkpoint
from projections.ledger.receipts import NotYetProvableError, build_receipt
from projections.ledger.sealing import read_nodes
from projections.ledger.store import Checkpointer, LedgerStore
from projections.ledger.verify import TrustedKeys, VerificationError, describe, verify_receipt
from projections.storage import Storage
from projections.worker import Worker
from tests.factories import ACTS, Clock, Life, oid, pid
from web.service import migrate


@pytest.fixture
def sealed(
    stored_app: LedgerApplication, db: Database, clock: Clock, signer: Signer
) -> dict[str, Any]:
    """An approved initiative, sealed and checkpointed."""
    life = Life(stored_app, clock)
    life.to_approval()
    Worker(stored_app, db).catch_up()
    issued = Checkpointer(db, signer, "ledger.example/test", 0).issue()
    assert issued is not None
    return {"id": life.id, "checkpoint": issued}


def trusted(signer: Signer) -> TrustedKeys:
    """What a verifier trusts: the checkpoint key and the test session's act key."""
    return TrustedKeys.of(signer.verifier, ACTS)


def receipt(app: LedgerApplication, db: Database, aggregate_id: Any, version: int) -> Any:
    """A receipt as a cadre would download it: through JSON."""
    return json.loads(json.dumps(build_receipt(app, LedgerStore(db), aggregate_id, version)))


def test_a_receipt_of_an_approval_verifies_with_the_key_alone(
    stored_app: LedgerApplication, db: Database, signer: Signer, sealed: dict[str, Any]
) -> None:
    verified = verify_receipt(receipt(stored_app, db, sealed["id"], 6), trusted(signer))
    assert verified.event_type == "Approved"
    assert verified.checkpoint.size == stored_app.recorder.max_notification_id()
    assert verified.content["actor"]["name"] == "Nguyễn Thị Hồng"
    assert verified.content["basis"] == "majority"
    authority = verified.authority
    assert authority is not None
    assert authority.organisation_id == oid("ben-thanh-ubnd")
    assert authority.position["person_id"] == str(pid("chu-tich"))
    assert authority.position["role"] == "head"
    assert authority.after == "the latest version at the checkpoint"
    words = "\n".join(describe(verified))
    assert "Phê duyệt chủ trương / Approved in principle" in words
    assert f"Căn cứ thẩm quyền / Authority: {authority.position['title']} (head)" in words


def test_an_event_after_the_last_checkpoint_is_not_yet_provable(
    stored_app: LedgerApplication, db: Database, clock: Clock, sealed: dict[str, Any]
) -> None:
    life = Life(stored_app, clock)
    life.id = sealed["id"]
    life.cmd(
        "allocate_resources", "chu-tich", people=[], equipment="", funds_vnd=1, funding_source=""
    )
    with pytest.raises(NotYetProvableError, match="not sealed"):
        build_receipt(stored_app, LedgerStore(db), sealed["id"], 7)
    Worker(stored_app, db).catch_up()
    with pytest.raises(NotYetProvableError, match="no checkpoint covers it"):
        build_receipt(stored_app, LedgerStore(db), sealed["id"], 7)


def flip_b64(value: str, at: int = 5) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[at % len(raw)] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


TAMPERS = {
    "record state": lambda r: r["record"].update(
        state_base64=flip_b64(r["record"]["state_base64"])
    ),
    "record version": lambda r: r["record"].update(version=r["record"]["version"] + 1),
    "leaf input": lambda r: r.update(leaf_input=flip_b64(r["leaf_input"], 40)),
    "proof hash": lambda r: r.update(tlog_proof=_edit_proof_hash(r["tlog_proof"])),
    "proof index": lambda r: r.update(tlog_proof=r["tlog_proof"].replace("index ", "index 1", 1)),
    "checkpoint root": lambda r: r.update(tlog_proof=_edit_root(r["tlog_proof"])),
    "signature": lambda r: r.update(tlog_proof=_edit_signature(r["tlog_proof"])),
    "authority record": lambda r: r["authority"]["events"][-1]["record"].update(
        state_base64=flip_b64(r["authority"]["events"][-1]["record"]["state_base64"])
    ),
    "authority cut short": lambda r: r["authority"].update(events=r["authority"]["events"][:1]),
    "authority removed": lambda r: r.update(authority=None),
    "authority index": lambda r: r["authority"]["latest"]["end"].update(version=1),
}


def _edit_proof_hash(proof: str) -> str:
    lines = proof.split("\n")
    lines[2] = flip_b64(lines[2])
    return "\n".join(lines)


def _edit_root(proof: str) -> str:
    head, _, note = proof.partition("\n\n")
    lines = note.split("\n")
    lines[2] = flip_b64(lines[2])
    return head + "\n\n" + "\n".join(lines)


def _edit_signature(proof: str) -> str:
    head, _, rest = proof.rpartition(" ")
    return head + " " + flip_b64(rest.strip(), 20) + "\n"


@pytest.mark.parametrize("part", sorted(TAMPERS))
def test_a_receipt_with_one_changed_byte_is_rejected(
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
    sealed: dict[str, Any],
    part: str,
) -> None:
    bundle = receipt(stored_app, db, sealed["id"], 6)
    TAMPERS[part](bundle)
    with pytest.raises(VerificationError):
        verify_receipt(bundle, trusted(signer))


def test_a_receipt_under_another_key_is_rejected(
    stored_app: LedgerApplication, db: Database, sealed: dict[str, Any]
) -> None:
    other = Signer.generate("ledger.example/test")
    with pytest.raises(VerificationError, match="no valid signature"):
        verify_receipt(receipt(stored_app, db, sealed["id"], 6), trusted(other))


@pytest.mark.parametrize("table", ["events", "ledger_leaves", "ledger_checkpoints"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"])
def test_the_database_refuses_to_change_the_record(
    storage: Storage, db: Database, sealed: dict[str, Any], table: str, statement: str
) -> None:
    name = storage.events_table if table == "events" else table
    column = {
        "events": "originator_version",
        "ledger_leaves": "idx",
        "ledger_checkpoints": "size",
    }[table]
    with pytest.raises(Exception, match="append-only") as raised, db.transaction() as tx:
        tx.execute(statement.format(t=name, c=column))
    assert f"{name} is append-only" in str(raised.value)


def tamper_with_event(storage: Storage, db: Database, position: int, resign: bool = False) -> None:
    """Change one stored event as a database owner could, triggers switched off; `resign`:
    an insider who also holds the web processes' act signing key signs the change."""
    table = storage.events_table
    key = "rowid" if storage.kind == "sqlite" else "notification_id"
    row = db.query(
        f"SELECT originator_id, originator_version, topic, state FROM {table} WHERE {key} = ?",
        (position,),
    )[0]
    state = bytes(row["state"]).replace(b"majority", b"tie_head_side")
    if resign:
        unwrapped = unwrap(bytes(row["state"]))
        assert unwrapped is not None
        body = unwrapped[2].replace(b"majority", b"tie_head_side")
        state = ACTS.sign(
            UUID(str(row["originator_id"])), row["originator_version"], row["topic"], body
        )
    with db.transaction() as tx:
        if storage.kind == "sqlite":
            tx.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        else:
            tx.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        tx.execute(f"UPDATE {table} SET state = ? WHERE {key} = ?", (state, position))
        if storage.kind != "sqlite":
            tx.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")


def test_verify_log_names_an_event_changed_behind_the_services_back(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
    sealed: dict[str, Any],
) -> None:
    assert verify_log(stored_app, db, signer.verifier).ok
    leaf = LedgerStore(db).leaf(sealed["id"], 6)
    assert leaf is not None
    tamper_with_event(storage, db, leaf["position"])
    report = verify_log(stored_app, db, signer.verifier)
    assert report.problems[0] == (
        f"event {sealed['id']} version 6 at log position {leaf['position']}"
        f" (leaf {leaf['index']}) no longer matches its leaf"
    )
    assert report.problems[1] == (
        f"event {sealed['id']} version 6 at log position {leaf['position']}"
        f" (leaf {leaf['index']}) has an invalid act signature (altered?)"
    )
    assert "the events no longer give its root" in report.problems[2]


def drop_ledger(storage: Storage, db: Database) -> None:
    """What an insider with the database does: drop every ledger table (cosignatures and index
    included) and let `migrate` recreate them empty."""
    with db.transaction() as tx:
        for table in LEDGER_TABLES:
            tx.execute(f"DROP TABLE {table}")
        tx.execute("DELETE FROM projection_tracking WHERE view = 'ledger'")
    migrate(storage)


def _reseal(storage: Storage, stored_app: LedgerApplication, db: Database) -> None:
    """The insider drops the ledger and lets the worker seal the log again."""
    drop_ledger(storage, db)
    Worker(stored_app, db).catch_up()


@pytest.mark.parametrize("with_act_key", [False, True])
def test_a_rewritten_history_fails_consistency_with_a_saved_checkpoint(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
    clock: Clock,
    sealed: dict[str, Any],
    with_act_key: bool,
) -> None:
    saved = sealed["checkpoint"].note
    more = Life(stored_app, clock)
    more.to_review()
    Worker(stored_app, db).catch_up()
    grown = Checkpointer(db, signer, "ledger.example/test", 0).issue()
    assert grown is not None
    old = verify_checkpoint(saved, signer.verifier)
    store = LedgerStore(db)
    verify_consistency(
        old.size, grown.size, store.consistency(old.size, grown.size), old.root, grown.root
    )
    # An operator rewrites history: drops the ledger, changes an old event, reseals, re-signs.
    leaf = store.leaf(sealed["id"], 6)
    assert leaf is not None
    tamper_with_event(storage, db, leaf["position"], resign=with_act_key)
    _reseal(storage, stored_app, db)
    forged = Checkpointer(db, signer, "ledger.example/test", 0).issue()
    assert forged is not None
    refused = db.query("SELECT position, aggregate_id, version, reason FROM ledger_refused")
    if with_act_key:
        # Only a checkpoint saved outside (a witness's) exposes an insider with every key.
        assert (forged.size, refused) == (grown.size, [])
    else:
        # Without the act key the changed row is not an act: the sealer leaves it out.
        assert forged.size == grown.size - 1
        assert refused == [
            {
                "position": leaf["position"],
                "aggregate_id": str(sealed["id"]),
                "version": 6,
                "reason": "has an invalid act signature (altered?)",
            }
        ]
    with pytest.raises(ProofError):
        verify_consistency(
            old.size, forged.size, store.consistency(old.size, forged.size), old.root, forged.root
        )


@pytest.mark.usefixtures("sealed")
def test_stored_hashes_are_read_as_stored_and_a_missing_one_is_named(
    storage: Storage, db: Database
) -> None:
    """`read_nodes` gives each hash asked for exactly as its row holds it (on PostgreSQL in
    one value, cut into hashes); a hash that is not 32 bytes is given as stored, and one
    missing is named."""
    leaves = [(0, int(r["idx"])) for r in db.query("SELECT idx FROM ledger_leaves")]
    inner = [(int(r["level"]), int(r["idx"])) for r in db.query("SELECT * FROM ledger_nodes")]
    wanted = [*leaves[::-1], *inner]
    rows = {
        **{
            (0, int(r["idx"])): bytes(r["leaf_hash"])
            for r in db.query("SELECT * FROM ledger_leaves")
        },
        **{
            (int(r["level"]), int(r["idx"])): bytes(r["hash"])
            for r in db.query("SELECT * FROM ledger_nodes")
        },
    }
    assert read_nodes(db, wanted) == rows
    (level, idx), short = inner[3], bytes(range(31))
    with db.transaction() as tx:
        if storage.kind == "sqlite":
            tx.execute("DROP TRIGGER ledger_nodes_no_update")
            tx.execute("DROP TRIGGER IF EXISTS ledger_nodes_no_delete")
        else:
            tx.execute("ALTER TABLE ledger_nodes DISABLE TRIGGER ALL")
        tx.execute(
            "UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?", (short, level, idx)
        )
        tx.execute("DELETE FROM ledger_nodes WHERE level = ? AND idx = ?", inner[5])
        if storage.kind != "sqlite":
            tx.execute("ALTER TABLE ledger_nodes ENABLE TRIGGER ALL")
    assert read_nodes(db, inner[:5]) == {**{n: rows[n] for n in inner[:5]}, inner[3]: short}
    with pytest.raises(LookupError, match=re.escape(f"subtree hashes [{inner[5]}]")):
        read_nodes(db, wanted)
