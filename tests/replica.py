"""A PostgreSQL streaming replica of the test server for the read-replica tests
(tests/integration/test_replica.py): a base backup (`pg_basebackup -R`) started as a cluster of
its own on a free port, as the `postgres` user when the tests run as root."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from projections.storage import Storage
from tests.conftest import IN_CI, PG_URL, require_postgres
from tests.ports import free_port
from tests.waiting import wait_until

PRIMARY = Storage.from_url(PG_URL)
WAIT = 60.0  # seconds any condition of these tests may take before the test fails
ENABLE = (
    "allow replication connections from 127.0.0.1 on the test server: add"
    " `host replication all 127.0.0.1/32 trust` to its pg_hba.conf (SHOW hba_file) and run"
    " SELECT pg_reload_conf() (as .ci/run does)"
)


def primary(**options: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=PRIMARY.host,
        port=PRIMARY.port,
        user=PRIMARY.user,
        password=PRIMARY.password or None,
        autocommit=True,
        **options,
    )


def primary_value(query: str) -> str:
    """One value the primary answers, as text."""
    with primary(dbname="postgres") as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return str(row[0])


def _cannot_replicate() -> tuple[str | None, Path]:
    """Why a replica of the test server cannot be made here (None: it can), and the folder
    of the server's programs."""
    major = int(primary_value("SHOW server_version_num")) // 10000
    wal_level = primary_value("SHOW wal_level")
    programs = Path(os.environ.get("PG_BIN") or f"/usr/lib/postgresql/{major}/bin")
    if wal_level not in ("replica", "logical"):
        return f"the test server has wal_level={wal_level}: a replica needs replica", programs
    if not (programs / "pg_basebackup").exists() or not (programs / "postgres").exists():
        return f"no pg_basebackup and postgres in {programs} (set PG_BIN)", programs
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and no `postgres` user to run the replica as", programs
    try:
        primary(replication="true").close()
    except psycopg.OperationalError as error:
        return f"{str(error).strip()}; {ENABLE}", programs
    return None, programs


@dataclass
class Replica:
    """A streaming replica of the test server, on `port`."""

    port: int
    folder: Path
    process: subprocess.Popen[bytes]

    def url(self, dbname: str) -> str:
        return f"postgresql://{PRIMARY.user}@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=PRIMARY.user, dbname=dbname, autocommit=True
        )

    def value(self, query: str, *params: Any) -> Any:
        with self.connect() as conn:
            row = conn.execute(query, params).fetchone()
        assert row is not None
        return row[0]

    def catch_up(self) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        lsn = primary_value("SELECT pg_current_wal_lsn()")
        wait_until(
            lambda: bool(self.value("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)),
            f"the replica replays up to {lsn}",
            WAIT,
        )

    def pause(self) -> None:
        """Stop replaying the primary's changes (they are still received). Once the pause is
        requested no record read after it is applied (the startup process looks before each
        one); "paused" itself comes only with the next record."""
        self.value("SELECT pg_wal_replay_pause()::text")
        state = self.value("SELECT pg_get_wal_replay_pause_state()")
        assert state in ("pause requested", "paused")

    def resume(self) -> None:
        self.value("SELECT pg_wal_replay_resume()::text")

    def accepting(self) -> bool:
        """Whether the replica answers, as a standby (fails the test if it has exited)."""
        if self.process.poll() is not None:
            pytest.fail(f"the replica exited:\n{self.log()}")
        try:
            return bool(self.value("SELECT pg_is_in_recovery()"))
        except psycopg.OperationalError:
            return False

    def log(self) -> str:
        return (self.folder / "replica.log").read_text(encoding="utf-8", errors="replace")

    def errors_after(self, mark: int) -> list[str]:
        """The errors the replica logged after the first `mark` characters of its log."""
        return [line for line in self.log()[mark:].splitlines() if "ERROR" in line]


def _base_backup(programs: Path, as_postgres: list[str], folder: Path) -> tuple[Path, int]:
    """The primary copied into `folder`/data with its WAL (`pg_basebackup -R`: it starts as a
    standby following the primary), configured for a free port; the data folder and port."""
    data = folder / "data"
    conninfo = (
        f"host={PRIMARY.host} port={PRIMARY.port} user={PRIMARY.user}"
        " application_name=ledger_test_replica"
    )
    backup = [str(programs / "pg_basebackup"), "--dbname", conninfo, "--pgdata", str(data)]
    options = ["--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast", "--no-sync"]
    done = subprocess.run(
        [*as_postgres, *backup, *options], capture_output=True, text=True, timeout=WAIT
    )
    if done.returncode != 0:
        pytest.fail(f"pg_basebackup failed ({done.returncode}):\n{done.stderr}")
    port = free_port()
    # Appended: a postgresql.conf copied with the data (where the server keeps it there) is
    # overridden by the later lines.
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder}'\nhot_standby = on\n"
            f"hba_file = '{data / 'pg_hba.conf'}'\nident_file = '{data / 'pg_ident.conf'}'\n"
            "shared_buffers = 16MB\nfsync = off\nmax_connections = 100\n"
            "logging_collector = off\n"
        )
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n", encoding="ascii"
    )
    (data / "pg_ident.conf").write_text("", encoding="ascii")
    if as_postgres:
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(data / name, "postgres", "postgres")
    return data, port


@contextmanager
def running_replica() -> Iterator[Replica]:
    """A hot standby of the test server: a base backup streamed with its WAL, started as its
    own cluster on a free port; stopped (fast shutdown) and removed afterwards."""
    require_postgres()
    reason, programs = _cannot_replicate()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"the replica tests are mandatory in CI: {reason}")
        pytest.skip(f"SKIPPED REPLICA TESTS (not in CI): {reason}")
    as_postgres: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="ledger-replica-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
    process: subprocess.Popen[bytes] | None = None
    try:
        data, port = _base_backup(programs, as_postgres, folder)
        with (folder / "replica.log").open("wb") as log:
            # Our own child (setpriv execs postgres): stopped and reaped here, no daemon left.
            process = subprocess.Popen(
                [*as_postgres, str(programs / "postgres"), "-D", str(data)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started = Replica(port, folder, process)
        wait_until(started.accepting, "the replica accepts connections", WAIT)
        yield started
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=WAIT)
        shutil.rmtree(folder, ignore_errors=True)
