"""The tamper suite: attacks by someone with access to the database, on both backends, each
detected, named, and refused or flagged (docs/reliability.md lists them with their results).

The snapshot edit is in test_snapshots.py; the insider rewrite with every key against a saved
checkpoint in test_ledger.py.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from domain.application import LedgerApplication
from projections.asof import AsOfViews
from projections.db import Database
from projections.ledger.acts import ActError, ActKeys, unwrap
from projections.ledger.check import verify_log
from projections.ledger.integrity import RecordIntegrityError, check_record
from projections.ledger.note import Signer
from projections.ledger.receipts import build_receipt
from projections.ledger.sealing import SealedActError
from projections.ledger.store import Checkpointer, LedgerStore
from projections.ledger.verifications import integrity, record
from projections.ledger.verify import TrustedKeys, VerificationError, verify_receipt
from projections.parallel import RebuildError, rebuild
from projections.storage import Storage
from projections.worker import (
    REBUILD_LOCK,
    REBUILDING,
    Worker,
    all_views,
    positions,
    rebuildable,
    reset_views,
)
from tests.act_checkers import answers, dead_on_arrival
from tests.conftest import PG_URL, _url, running_app
from tests.e2e.test_pages import signed_in
from tests.factories import ACTS, Clock, Life, pid, ward_directory
from tests.integration.test_ledger import tamper_with_event
from tests.integration.test_views import dump
from tests.waiting import wait_until
from web.cli import main

ORIGIN = "ledger.example/test"


@pytest.fixture
def life(stored_app: LedgerApplication, db: Database, clock: Clock, signer: Signer) -> Life:
    """An approved initiative (six events), sealed and checkpointed."""
    approved = Life(stored_app, clock)
    approved.to_approval()
    Worker(stored_app, db).catch_up()
    assert Checkpointer(db, signer, ORIGIN, 0).issue() is not None
    return approved


def forged_archive(app: LedgerApplication, aggregate_id: UUID, sign_with: Signer | None) -> bytes:
    """What a forger writes: an `Archived` act copied from the last real one's envelope,
    unsigned or signed with a key of the forger's own."""
    last = app.recorder.select_events(aggregate_id, desc=True, limit=1)[0]
    unwrapped = unwrap(bytes(last.state))
    assert unwrapped is not None
    real = json.loads(unwrapped[2])
    body = json.dumps(
        {
            "timestamp": real["timestamp"],
            "actor": real["actor"],
            "request_id": "forged",
            "archive_ref": "LT-999",
        },
        separators=(",", ":"),
    ).encode()
    if sign_with is None:
        return body
    return ActKeys.of(sign_with).sign(aggregate_id, 7, ARCHIVED, body)


ARCHIVED = "domain.initiative:Initiative.Archived"
# The initiative's row now (the view keeps the versions before it too).
CURRENT_STATUS = "SELECT status FROM iv_initiatives WHERE id = ? AND to_position IS NULL"


def insert_row(
    storage: Storage, db: Database, aggregate_id: UUID, state: bytes, at: int | None = None
) -> int:
    """INSERT an event row behind the service's back (at a chosen log position, or next)."""
    table = storage.events_table
    ident = aggregate_id.hex if storage.kind == "sqlite" else str(aggregate_id)
    key = "rowid" if storage.kind == "sqlite" else "notification_id"
    with db.transaction() as tx:
        if at is None:
            tx.execute(
                f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
                " VALUES (?, ?, ?, ?)",
                (ident, 7, ARCHIVED, state),
            )
        else:
            tx.execute(
                f"INSERT INTO {table} ({key}, originator_id, originator_version, topic, state)"
                " VALUES (?, ?, ?, ?, ?)",
                (at, ident, 7, ARCHIVED, state),
            )
    return int(
        db.query(
            f"SELECT {key} AS p FROM {table} WHERE originator_id = ? AND originator_version = 7",
            (ident,),
        )[0]["p"]
    )


@pytest.mark.parametrize("forger_key", [False, True], ids=["unsigned", "own-key"])
def test_a_forged_append_is_refused_by_the_sealer_and_reported(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    clock: Clock,
    signer: Signer,
    forger_key: bool,
    life: Life,
) -> None:
    sealed = LedgerStore(db).size()
    key = Signer.generate(f"{ORIGIN}/acts") if forger_key else None
    position = insert_row(storage, db, life.id, forged_archive(stored_app, life.id, key))
    Worker(stored_app, db).catch_up()
    reason = (
        f"is signed by an unknown act key {key.verifier.id:08x} (forged, or a key not configured)"
        if key
        else "carries no act signature (forged?)"
    )
    # Not sealed, recorded as refused, shown by no view.
    assert LedgerStore(db).size() == sealed
    assert db.query("SELECT position, version, reason FROM ledger_refused") == [
        {"position": position, "version": 7, "reason": reason}
    ]
    assert db.query(CURRENT_STATUS, (str(life.id),)) == [{"status": "approved"}]
    assert db.query("SELECT COUNT(*) AS n FROM iv_audit WHERE position = ?", (position,)) == [
        {"n": 0}
    ]
    # Named by the full verification, the health report and the read check.
    report = verify_log(stored_app, db, signer.verifier)
    assert report.problems == [
        f"event {life.id} version 7 at log position {position} is not an authenticated act"
        f" ({reason}); the sealer refused it"
    ]
    assert integrity(db)["integrity"] == "failed"
    with pytest.raises(RecordIntegrityError) as raised:
        check_record(stored_app, db, life.id, clock(), 60)
    assert (raised.value.version, raised.value.reason) == (7, reason)


def test_a_forged_event_below_the_sealed_head_is_never_served(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    clock: Clock,
    signer: Signer,
    life: Life,
) -> None:
    # A free log position below the head: PostgreSQL's sequence leaves one behind any
    # transaction that rolled back; SQLite allocates densely, so the forger makes one with a
    # first forged row two places ahead (refused, like any forged append).
    if storage.kind == "postgresql":
        with db.transaction() as tx:
            free = int(
                tx.query(
                    f"SELECT nextval(pg_get_serial_sequence('{storage.schema}."
                    f"{storage.events_table}', 'notification_id')) AS n"
                )[0]["n"]
            )
    else:
        other = Life(stored_app, clock)
        other.draft()
        free = int(stored_app.recorder.max_notification_id() or 0) + 1
        with db.transaction() as tx:
            tx.execute(
                "INSERT INTO stored_events (rowid, originator_id, originator_version, topic,"
                " state) VALUES (?, ?, ?, ?, ?)",
                (free + 5, other.id.hex, 2, ARCHIVED, b"{}"),
            )
    Life(stored_app, clock).draft()  # a real act after the free position
    Worker(stored_app, db).catch_up()
    head = stored_app.recorder.max_notification_id() or 0
    assert head > free
    position = insert_row(storage, db, life.id, forged_archive(stored_app, life.id, None), free)
    assert position == free
    Worker(stored_app, db).catch_up()  # the worker is past it and never sees it
    assert db.query(CURRENT_STATUS, (str(life.id),)) == [{"status": "approved"}]
    with pytest.raises(RecordIntegrityError, match="carries no act signature"):
        check_record(stored_app, db, life.id, clock(), 60)
    report = verify_log(stored_app, db, signer.verifier)
    assert (
        f"event {life.id} version 7 at log position {free} is missing from the ledger: it was"
        " never sealed"
    ) in report.problems


@pytest.mark.usefixtures("life")
def test_a_corrupted_stored_node_is_named(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
) -> None:
    assert verify_log(stored_app, db, signer.verifier).ok
    node = db.query("SELECT level, idx FROM ledger_nodes WHERE level = 2 ORDER BY idx LIMIT 1")[0]
    with db.transaction() as tx:
        if storage.kind == "sqlite":
            tx.execute("DROP TRIGGER ledger_nodes_no_update")
        else:
            tx.execute("ALTER TABLE ledger_nodes DISABLE TRIGGER ALL")
        tx.execute(
            "UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?",
            (bytes(32), node["level"], node["idx"]),
        )
    report = verify_log(stored_app, db, signer.verifier)
    first = node["idx"] * 4
    assert report.problems == [
        f"node at level 2, index {node['idx']} (leaves {first} to {first + 3}) differs from its"
        " recomputation"
    ]


def test_an_unsealed_act_past_the_grace_period_is_an_integrity_failure(
    stored_app: LedgerApplication, db: Database, clock: Clock, life: Life
) -> None:
    life.start()  # recorded, not yet sealed (no worker ran since)
    version = stored_app.get_initiative(life.id)["version"]
    wall = datetime.now(tz=UTC)
    later, idle = clock() + timedelta(seconds=61), wall + timedelta(seconds=61)
    check_record(stored_app, db, life.id, clock() + timedelta(seconds=59), 60, idle)
    check_record(stored_app, db, life.id, later, 60, wall)  # the sealer ran just now: lag
    with pytest.raises(RecordIntegrityError) as raised:
        check_record(stored_app, db, life.id, later, 60, idle)
    assert str(raised.value) == (
        f"event {life.id} version {version} has not been sealed into the ledger within 60 s"
    )


def test_the_api_answers_an_integrity_failure_and_health_reports_it(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    client: FlaskClient,
    auth: Any,
    clock: Clock,
    signer: Signer,
    life: Life,
) -> None:
    assert client.get("/api/health").get_json()["integrity"] == "unverified"
    # An insider holding the act key (not the checkpoint key) changes a sealed approval.
    found = LedgerStore(db).leaf(life.id, 6)
    assert found is not None
    tamper_with_event(storage, db, found["position"], resign=True)
    for path in (
        f"/api/v1/initiatives/{life.id}",
        f"/api/v1/initiatives/{life.id}/history",
        f"/api/v1/initiatives/{life.id}/events/6/receipt",
    ):
        response = client.get(path, headers=auth("chu-tich"))
        assert response.status_code == 409, path
        problem = response.get_json()
        assert problem["type"].endswith("/integrity-failure")
        assert problem["event"] == {"aggregate_id": str(life.id), "version": 6}
        assert problem["detail"].startswith(
            f"event {life.id} version 6 no longer matches its leaf {found['index']}"
        )
    signed_in(client, client.application, "chu-tich")
    page = client.get(f"/initiatives/{life.id}")
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert 'id="integrity-failure"' in text
    assert "Hồ sơ này không khớp với sổ ghi chống sửa đổi." in text
    assert f"event {life.id} version 6 no longer matches its leaf" in text
    record(db, verify_log(stored_app, db, signer.verifier), clock())
    health = client.get("/api/health").get_json()
    assert health["integrity"] == "failed"
    assert health["findings"][0] == (
        f"event {life.id} version 6 at log position {found['position']} (leaf"
        f" {found['index']}) no longer matches its leaf"
    )
    # The receipt builder refuses too, whoever calls it.
    with pytest.raises(RecordIntegrityError):
        build_receipt(stored_app, LedgerStore(db), life.id, 6)


def test_a_substituted_or_shortened_authority_fails(
    stored_app: LedgerApplication, db: Database, clock: Clock, signer: Signer, life: Life
) -> None:
    keys = TrustedKeys.of(signer.verifier, ACTS)
    store = LedgerStore(db)
    approval = json.loads(json.dumps(build_receipt(stored_app, store, life.id, 6)))
    verified = verify_receipt(approval, keys)
    assert verified.authority is not None
    assert verified.authority.position["person_id"] == str(pid("chu-tich"))
    # The party committee's opinion (v4) was given under a position in another organisation.
    opinion = json.loads(json.dumps(build_receipt(stored_app, store, life.id, 4)))
    assert opinion["event"]["type"] == "PartyOpinionGiven"
    substituted = {**approval, "authority": opinion["authority"]}
    with pytest.raises(VerificationError, match="the authority proof is of another organisation"):
        verify_receipt(substituted, keys)
    # The ward's directory events cut short before the head's appointment.
    shortened = json.loads(json.dumps(approval))
    events = shortened["authority"]["events"]
    shortened["authority"]["events"] = events[:1]
    with pytest.raises(VerificationError, match="has version 2 but the proof leaves it out"):
        verify_receipt(shortened, keys)
    shortened["authority"]["next"] = events[1]
    with pytest.raises(
        VerificationError,
        match="version 2 of the organisation was recorded before the act and is hidden",
    ):
        verify_receipt(shortened, keys)
    # A later change of the directory (after the act) is shown, and does not matter.
    ward = ward_directory()
    ward["positions"][0]["valid_to"] = clock().date()
    stored_app.import_directory(ward, "test")
    Worker(stored_app, db).catch_up()
    Checkpointer(db, signer, ORIGIN, 0).issue()
    later = verify_receipt(
        json.loads(json.dumps(build_receipt(stored_app, store, life.id, 6))), keys
    )
    assert later.authority is not None
    assert later.authority.after.endswith("recorded after the act")


def test_the_worker_verifies_the_log_on_its_own_and_health_reports_a_rewrite(
    storage: Storage, clock: Clock, ledger_key: Path, db: Database
) -> None:
    with running_app(storage, clock, ledger_key, LEDGER_VERIFY_INTERVAL="0.5") as web_app:
        client = web_app.test_client()
        app = web_app.extensions["ledger.service"].get()
        life = Life(app, clock)
        life.to_approval()
        health = wait_for(client, lambda h: h["integrity"] == "ok")
        assert health["findings"] == []
        found = LedgerStore(db).leaf(life.id, 6)
        assert found is not None
        tamper_with_event(storage, db, found["position"], resign=True)
        health = wait_for(client, lambda h: h["integrity"] == "failed")
        assert health["findings"][0] == (
            f"event {life.id} version 6 at log position {found['position']} (leaf"
            f" {found['index']}) no longer matches its leaf"
        )


def wait_for(client: FlaskClient, condition: Any, seconds: float = 30) -> Any:
    """The health report once `condition` holds (the worker runs in the background)."""
    deadline = time.monotonic() + seconds
    while True:
        health = client.get("/api/health").get_json()
        if condition(health) or time.monotonic() > deadline:
            assert condition(health), health
            return health
        time.sleep(0.05)


def built_in_one_page(
    storage: Storage, app: LedgerApplication, db: Database, clock: Clock, life: Life, state: bytes
) -> tuple[int, dict[str, list[tuple[Any, ...]]]]:
    """The forged row `state` inserted, acts recorded after it, and the views built in one page
    (its acts checked as they are decoded): the row's position and the views."""
    position = insert_row(storage, db, life.id, state)
    Life(app, clock).to_approval()
    Worker(app, db).catch_up()
    return position, dump(db)


def rebuilt_in_pages_of_two(
    app: LedgerApplication, db: Database, position: int
) -> dict[str, list[tuple[Any, ...]]]:
    """The views rebuilt in pages of two (each read and its acts checked ahead), the forged row
    at `position` in none of them."""
    reset_views(db, rebuildable(all_views()))
    Worker(app, db, batch_size=2).catch_up()
    assert db.query("SELECT COUNT(*) AS n FROM iv_audit WHERE position = ?", (position,)) == [
        {"n": 0}
    ]
    return dump(db)


@pytest.mark.parametrize("forgery", ["unsigned", "own-key", "moved"])
def test_a_catch_up_that_reads_ahead_refuses_and_builds_as_one_that_does_not(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    clock: Clock,
    life: Life,
    forgery: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rebuild in pages of two, each page read and its acts checked ahead by a process of
    their own (`ActChecker`), refuses the forged row and builds the very views that the
    catch-up in one page (its acts checked as it decoded them) built."""
    if forgery == "moved":  # a real act's signed state, stored as another version and kind
        last = stored_app.recorder.select_events(life.id, desc=True, limit=1)[0]
        state = bytes(last.state)
    else:
        key = Signer.generate(f"{ORIGIN}/acts") if forgery == "own-key" else None
        state = forged_archive(stored_app, life.id, key)
    position, one_page = built_in_one_page(storage, stored_app, db, clock, life, state)
    answered = answers(monkeypatch)
    assert rebuilt_in_pages_of_two(stored_app, db, position) == one_page
    assert db.query(CURRENT_STATUS, (str(life.id),)) == [{"status": "approved"}]
    # Every page after the first was checked ahead: all its acts but the forged row verified.
    count = stored_app.recorder.max_notification_id() or 0
    assert sum(len(a) for a in answered) == count - 2
    assert b"".join(answered).count(0) == 1


@pytest.mark.parametrize("failure", ["killed", "cannot-start"])
def test_a_catch_up_whose_checking_process_dies_checks_the_acts_itself(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    clock: Clock,
    life: Life,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    failure: str,
) -> None:
    """Reading ahead only makes a catch-up faster: when the checking process is gone (killed,
    or it could not start), the worker checks every act as it decodes it, refuses the forged
    row, and builds the same views."""
    forged = forged_archive(stored_app, life.id, None)
    position, one_page = built_in_one_page(storage, stored_app, db, clock, life, forged)
    if failure == "killed":
        dead_on_arrival(monkeypatch)
    else:
        monkeypatch.setattr(sys, "executable", "/nonexistent/python3")
    with caplog.at_level(logging.WARNING, logger="projections.worker"):
        assert rebuilt_in_pages_of_two(stored_app, db, position) == one_page
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # said once: the rest of the catch-up goes without it
    assert warnings[0].startswith(
        "acts are checked in the worker from now on: the act checking process stopped"
    )


def rebuild_refused(app: LedgerApplication, db: Database) -> str:
    """The error that stops a rebuild of every view (`ledger projections rebuild`): in
    partitions on PostgreSQL, one batch after another on SQLite."""
    with pytest.raises((RebuildError, SealedActError)) as raised:
        rebuild(app, db, rebuildable(all_views()))
    return str(raised.value)


def left_as_emptied(storage: Storage, db: Database) -> None:
    """No view was moved: on PostgreSQL they are still being rebuilt (REBUILDING: reads
    answer 503, the next worker builds them again); on SQLite emptied, at the log's start."""
    expected = REBUILDING if storage.kind == "postgresql" else 0
    views = rebuildable(all_views())
    assert positions(db, views) == dict.fromkeys((v.name for v in views), expected)


def rebuild_lock_free(storage: Storage) -> None:
    """On PostgreSQL, once the sessions of the stopped rebuild's killed processes have ended
    on the server (another rebuild is refused until then)."""
    if storage.kind != "postgresql":
        return

    def free() -> bool:
        with psycopg.connect(PG_URL, autocommit=True) as conn:  # its lock ends with it
            row = conn.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (REBUILD_LOCK, storage.schema)
            ).fetchone()
        return bool(row and row[0])

    wait_until(free, "the stopped rebuild's lock is free")


def test_a_rebuild_stops_at_a_sealed_act_changed_since(
    storage: Storage,
    stored_app: LedgerApplication,
    db: Database,
    life: Life,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row changed after the ledger sealed it, by someone without the act signing key: a
    rebuild does not leave it out of the views as a row the service never recorded (the
    views would lack an act the ledger holds, and say nothing); it stops, naming it, and no
    view is moved past it. `ledger projections rebuild` says so and exits 1."""
    found = LedgerStore(db).leaf(life.id, 6)
    assert found is not None
    tamper_with_event(storage, db, found["position"])
    named = (
        f"event {life.id} version 6 at log position {found['position']} was sealed in the"
        " ledger, its act verified then, and now it has an invalid act signature (altered?)."
        " Either the act keys configured (ACT_KEY_FILE, ACT_VERIFIER_KEYS) lack the key that"
        " signed it, or the row was changed after it was sealed (`ledger verify` names which)."
        " No view was moved past it"
    )
    # A replay of the past (a moment before the views' history) stops there too; an ActError,
    # it is answered 409 integrity-failure (web/problems.py), not an answer without the act.
    with pytest.raises(SealedActError) as replayed:
        AsOfViews(lambda: stored_app, db, cache_size=1).replay(found["position"])
    assert isinstance(replayed.value, ActError)
    assert str(replayed.value) == named
    assert named in rebuild_refused(stored_app, db)
    left_as_emptied(storage, db)
    assert db.query(CURRENT_STATUS, (str(life.id),)) == []
    rebuild_lock_free(storage)
    monkeypatch.setenv("DATABASE_URL", _url(storage))
    monkeypatch.setenv("DATABASE_SCHEMA", storage.schema)
    monkeypatch.setenv("DEV_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv("JWT_SECRET", raising=False)
    result = CliRunner().invoke(main, ["projections", "rebuild"])
    assert result.exit_code == 1, result.output
    assert named in " ".join(result.output.split())
    left_as_emptied(storage, db)
    # The live worker, which also seals every new act, does not stop there: it builds the
    # views again without the row (an error in its log) and seals what comes next.
    rebuild_lock_free(storage)
    sealed = LedgerStore(db).size()
    Life(stored_app, clock).draft()
    Worker(stored_app, db).catch_up()
    assert LedgerStore(db).size() == sealed + 1
    versions = db.query(
        "SELECT version FROM iv_audit WHERE aggregate_id = ? ORDER BY version", (str(life.id),)
    )
    assert [row["version"] for row in versions] == [1, 2, 3, 4, 5]


def test_a_rebuild_with_act_keys_that_lack_the_signer_stops_rather_than_show_nothing(
    storage: Storage, stored_app: LedgerApplication, db: Database, life: Life
) -> None:
    """A rebuild by a process configured with other act keys (a key not carried over when it
    was retired) refuses every act: it stops at the first it meets, naming the key the act
    is signed by, where it built empty views and moved them to the head."""
    stranger = ActKeys.of(None, [Signer.generate(f"{ORIGIN}/acts").verifier])
    other = LedgerApplication(env=storage.eventsourcing_env(), mapper=stranger.mapper)
    try:
        message = rebuild_refused(other, db)
    finally:
        other.close()
    signer = ACTS.signer
    assert signer is not None
    named = re.search(
        r"event (\S+) version (\d+) at log position (\d+) was sealed in the ledger, its act"
        r" verified then, and now it is signed by an unknown act key ([0-9a-f]{8}) \(forged,"
        r" or a key not configured\)( \((\d+) more in the same batch\))?\.",
        message,
    )
    assert named is not None, message
    aggregate, version, position, key = named[1], named[2], named[3], named[4]
    # Every fact printed is the store's: the act at that position, and the key that signed it.
    assert db.query(
        "SELECT aggregate_id, version FROM ledger_leaves WHERE position = ?", (int(position),)
    ) == [{"aggregate_id": aggregate, "version": int(version)}]
    assert key == f"{signer.verifier.id:08x}"
    if storage.kind == "sqlite":  # one batch from the first event: all of them, the first named
        head = stored_app.recorder.max_notification_id() or 0
        assert (position, named[6]) == ("1", str(head - 1))
    left_as_emptied(storage, db)
    assert db.query("SELECT COUNT(*) AS n FROM iv_audit") == [{"n": 0}]
