"""Backups that keep the proof (docs/operations.md, "Backups"), on both backends.

A backup taken by `ledger backup` while commands are recorded, sealed and checkpointed is
restored into a new database, where `ledger verify log` passes and the newest checkpoint is one
the live log signed, root for root. Restoring an older backup is not silent: a monitor that
followed the log reports the rollback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from psycopg import sql

import migrations
from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer, LedgerStore
from projections.storage import Storage
from projections.worker import Worker
from tests.conftest import _url, running_app
from tests.e2e.conftest import grow
from tests.e2e.test_cli_ledger import env, run  # noqa: F401 - the CLI's environment fixture
from tests.e2e.test_monitor import serving
from tests.factories import Clock, Scenario
from tests.waiting import wait_until
from web.cli import main

ORIGIN = "ledger.example/test"
HELD = re.compile(r"it holds the checkpoint of (\d+) leaves, root ([0-9a-f]{64})")


@contextmanager
def load(app: LedgerApplication, db: Database, clock: Clock, key: Path) -> Iterator[list[int]]:
    """Drafts recorded, sealed and checkpointed in a loop while the block runs; the sizes of
    the checkpoints it signed."""
    stop, signed, failures = threading.Event(), [], []
    checkpointer = Checkpointer(db, Signer.parse(key.read_text()), ORIGIN, 0)

    def work() -> None:
        try:
            while not stop.is_set():
                Scenario(app, clock).draft()
                Worker(app, db).catch_up()
                issued = checkpointer.issue()
                if issued is not None:
                    signed.append(issued.size)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        yield signed
    finally:
        stop.set()
        thread.join(timeout=120)
        db.close()  # the thread's connections
    assert failures == []


@contextmanager
def restored(storage: Storage, backup: Path, tmp_path: Path) -> Iterator[Storage]:
    """The backup restored as its procedure says: SQLite, the file copied into place;
    PostgreSQL, pg_restore into a new database."""
    if storage.kind == "sqlite":
        path = tmp_path / "restored.sqlite3"
        shutil.copyfile(backup, path)
        yield replace(storage, sqlite_path=path)
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with replace(storage, schema="").connect() as conn:
        conn.autocommit = True
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    target = replace(storage, dbname=name)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--host", str(storage.host), "--port",
             str(storage.port), "--username", storage.user, "--dbname", name, str(backup)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        yield target
    finally:
        with replace(storage, schema="").connect() as conn:
            conn.autocommit = True
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass
class Live:
    """The service's store, application, clock and keys, with `ledger` configured for it."""

    storage: Storage
    app: LedgerApplication
    clock: Clock
    key: Path
    db: Database
    folder: Path
    monkeypatch: pytest.MonkeyPatch


@pytest.fixture
def live(
    env: dict[str, str],  # noqa: F811 - the `ledger` commands' settings
    storage: Storage,
    stored_app: LedgerApplication,
    clock: Clock,
    ledger_key: Path,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Live:
    return Live(storage, stored_app, clock, ledger_key, db, tmp_path, monkeypatch)


def test_a_backup_under_load_restores_to_a_log_that_proves_itself(live: Live) -> None:
    grow(live.app, live.db, live.clock, live.key)
    backup = live.folder / "backups" / "ledger.backup"
    with load(live.app, Database(live.storage), live.clock, live.key) as signed:
        wait_until(lambda: len(signed) >= 2, "the load under way: it has sealed and signed", 120)
        output = run("backup", str(backup))
        after = len(signed)
        wait_until(lambda: len(signed) >= after + 2, "the load went on after the backup", 120)
    held = HELD.search(output)
    assert held is not None, output
    size, root = int(held[1]), held[2]
    if live.storage.kind == "sqlite":
        assert "verified the copy:" in output
        assert output.endswith("and proves it\n")
    ledger = LedgerStore(live.db)
    checkpoint = ledger.checkpoint(size)
    assert checkpoint is not None
    assert checkpoint.root.hex() == root  # one the live log signed
    assert ledger.size() > size  # the live log went on without it
    run("backup", str(backup), code=1)  # never over an existing file

    with restored(live.storage, backup, live.folder) as copy:
        live.monkeypatch.setenv("DATABASE_URL", _url(copy))
        verified = run("verify", "log")
        assert verified.endswith("the ledger matches the event store\n")
        copied = Database(copy)
        try:
            newest = LedgerStore(copied).newest()
        finally:
            copied.close()
        assert newest is not None
        assert (newest.size, newest.root.hex()) == (size, root)


def test_restoring_an_older_backup_is_reported_as_a_rollback(live: Live) -> None:
    older, _ = grow(live.app, live.db, live.clock, live.key)
    backup = live.folder / "older.backup"
    run("backup", str(backup))
    newer, _ = grow(live.app, live.db, live.clock, live.key)
    key, state = f"{live.key}.pub", live.folder / "seen.txt"
    with (
        running_app(live.storage, live.clock, live.key, IN_PROCESS_WORKER="0") as service,
        serving(service) as url,
    ):
        followed = CliRunner().invoke(
            main, ["monitor", f"{url}/log", "--key", key, "--state", str(state)]
        )
        assert followed.exit_code == 0, followed.output
        assert f"{newer} leaves" in followed.output

    with (
        restored(live.storage, backup, live.folder) as copy,
        running_app(copy, live.clock, live.key, IN_PROCESS_WORKER="0") as rolled_back,
        serving(rolled_back) as url,
    ):
        seen = CliRunner().invoke(
            main, ["monitor", f"{url}/log", "--key", key, "--state", str(state)]
        )
    assert seen.exit_code == 1
    assert f"rollback: {ORIGIN} now shows {older} leaves; it showed {newer}" in seen.output


@pytest.mark.postgres
def test_a_store_of_a_database_without_btree_gist_is_backed_up_and_names_it_once_migrated(
    live: Live,
) -> None:
    """Before revision 0012 the database may have no btree_gist: `ledger backup` names the
    extension to pg_dump only when it is there (pg_dump refuses a name that matches none);
    once migrated, the dump creates it before the indexes that need it."""
    if live.storage.kind != "postgresql":
        return
    name = f"nogist_{uuid.uuid4().hex[:12]}"
    with replace(live.storage, schema="").connect() as conn:
        conn.autocommit = True
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    store = replace(live.storage, dbname=name)
    try:
        migrations.upgrade(store, to="0011")
        live.monkeypatch.setenv("DATABASE_URL", _url(store))
        before = live.folder / "before-0012.backup"
        run("backup", str(before))
        listed = ["pg_restore", "--list", str(before)]
        assert "btree_gist" not in subprocess.run(listed, capture_output=True, text=True).stdout
        migrations.upgrade(store)
        after = live.folder / "after-0012.backup"
        run("backup", str(after))
        listed = ["pg_restore", "--list", str(after)]
        contents = subprocess.run(listed, capture_output=True, text=True, check=True).stdout
        assert "EXTENSION - btree_gist" in contents
        assert contents.index("EXTENSION - btree_gist") < contents.index("iv_clocks_org_span")
    finally:
        with replace(live.storage, schema="").connect() as conn:
            conn.autocommit = True
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
