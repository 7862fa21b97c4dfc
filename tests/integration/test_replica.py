"""Read replicas, run for real: a PostgreSQL streaming replica of the test server (a second
cluster made with `pg_basebackup -R`, on a port of its own) and a reader web node on it
(LEDGER_NODE=reader), beside a writer web node and a `ledger worker` process on the primary.

Lists and dashboards are answered from the replica; `min_position` waits for the replica to
replay a command made on the primary (read-your-writes); a replica whose replay is paused
answers 503, never the stale list; commands and the pages are refused on the reader with a
problem naming the writer nodes; and the reader attempts no write (the replica's own log shows
no error at all).

The replica runs as the `postgres` user when the tests run as root (PostgreSQL refuses root),
from a temporary folder removed afterwards, with the test server's own programs
(/usr/lib/postgresql/<major>/bin, or PG_BIN). The test server must accept replication
connections from 127.0.0.1 (`.ci/run` sees to it); without that these tests fail in CI and are
skipped elsewhere, saying how to allow it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from psycopg import sql
from psycopg.rows import dict_row

from projections.sessions import Sessions
from projections.storage import Storage
from tests.conftest import ORIGIN, PG_URL, SECRET, _url, bearer
from tests.e2e.test_http_api import API, plain, problem_of
from tests.e2e.test_processes import free_port, get, procfile_command, serving
from tests.factories import ACT_KEY_FILE, Clock, oid, proposal, ward_directory
from tests.replica import WAIT, Replica, primary, running_replica
from tests.waiting import wait_until
from web import create_app
from web.key_files import write_new_key
from web.service import migrate

pytestmark = pytest.mark.postgres

WRITER_URL = "https://ledger.hcm.example"
READ_WAIT = 2.0  # the reader's READ_WAIT_SECONDS
METRICS_TOKEN = "m" * 32
PROBLEMS = "https://initiative-ledger.example/problems/"


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    """A hot standby of the test server (tests/replica.py), removed afterwards."""
    with running_replica() as started:
        yield started


@pytest.fixture(scope="module")
def primary_store(replica: Replica) -> Iterator[Storage]:
    """A database of its own on the primary, migrated (`ledger migrate`); dropped afterwards
    (the replica replays the drop)."""
    name = f"ledger_replica_{uuid.uuid4().hex[:10]}"
    with primary(dbname="postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        storage = Storage.from_url(f"{PG_URL.rsplit('/', 1)[0]}/{name}")
        migrate(storage)
        yield storage
    finally:
        with primary(dbname="postgres") as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass
class Nodes:
    """A writer web node and a `ledger worker` on the primary, a reader node on the replica."""

    writer: Flask
    reader: Flask
    worker: subprocess.Popen[str]
    dbname: str
    verifier: str  # the checkpoint verifier key

    def auth(self, key: str, **extra: str) -> dict[str, str]:
        headers: dict[str, str] = bearer(self.writer)(key, **extra)
        return headers

    @property
    def head(self) -> int:
        """The end of the log on the primary."""
        return int(self.writer.extensions["ledger.service"].get().recorder.max_notification_id())


def reader_settings(
    replica: Replica, dbname: str, verifier: str, folder: Path, **settings: str
) -> dict[str, str]:
    """A reader node's settings: the replica's URL, and only the verifier keys of acts and
    checkpoints (a reader records no act and signs no checkpoint)."""
    return {
        "LEDGER_VERIFIER_KEY": verifier,
        "DATABASE_URL": replica.url(dbname),
        "LEDGER_NODE": "reader",
        "WRITER_URL": WRITER_URL,
        "JWT_SECRET": SECRET,
        "LEDGER_ORIGIN": ORIGIN,
        "ACT_KEY_FILE": str(folder / "no-act-key"),
        "ACT_VERIFIER_KEYS": Path(f"{ACT_KEY_FILE}.pub").read_text(encoding="ascii").strip(),
        "READ_WAIT_SECONDS": str(READ_WAIT),
        "METRICS_TOKEN": METRICS_TOKEN,
        "RATE_LIMIT": "off",
        "RATE_LIMIT_HEAVY": "off",
        **settings,
    }


def _closed(app: Flask) -> None:
    app.extensions["ledger.reads"].stop()
    app.extensions["ledger.service"].close()


@pytest.fixture(scope="module")
def nodes(
    replica: Replica, primary_store: Storage, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Nodes]:
    folder = tmp_path_factory.mktemp("nodes")
    key = folder / "ledger-key"
    verifier = write_new_key(key, ORIGIN).verifier.encode()
    clock = Clock()
    writer = create_app(
        {
            "DATABASE_URL": _url(primary_store),
            "JWT_SECRET": SECRET,
            "LEDGER_ORIGIN": ORIGIN,
            "LEDGER_KEY_FILE": str(key),
            "READ_WAIT_SECONDS": str(WAIT),  # a bound on the worker, not the subject here
            "RATE_LIMIT": "off",
            "RATE_LIMIT_HEAVY": "off",
        },
        clock=clock,
    )
    writer.extensions["ledger.service"].get().import_directory(ward_directory(), "test")
    head = writer.extensions["ledger.service"].get().recorder.max_notification_id()
    worker_log = folder / "worker.log"
    with worker_log.open("w", encoding="utf-8") as log:  # a file: a full pipe would stop it
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "ledger"), "worker", "--poll", "0.05"],
            env={
                **os.environ,
                "DATABASE_URL": _url(primary_store),
                "LEDGER_KEY_FILE": str(key),
                "LEDGER_ORIGIN": ORIGIN,
                "CHECKPOINT_INTERVAL": "0",
                "PYTHONPATH": str(Path(__file__).parents[2]),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    reader = create_app(
        reader_settings(replica, primary_store.dbname, verifier, folder), clock=clock
    )

    def started() -> bool:
        if worker.poll() is not None:
            pytest.fail(f"the worker exited:\n{worker_log.read_text(encoding='utf-8')}")
        return bool(writer.extensions["ledger.reads"].lowest_position() >= head)

    try:
        wait_until(started, "the worker has applied the directory", WAIT)
        yield Nodes(writer, reader, worker, primary_store.dbname, verifier)
    finally:
        _closed(reader)
        _closed(writer)
        worker.terminate()
        worker.wait(timeout=WAIT)
        output = worker_log.read_text(encoding="utf-8")
        assert "worker stopped" in output, output


def _created(nodes: Nodes, title: str) -> dict[str, Any]:
    """A draft recorded through the writer node: its id, version and log position."""
    response = nodes.writer.test_client().post(
        API,
        json={"title": title, "employing_organisation_id": str(oid("ben-thanh-ubnd"))},
        headers=nodes.auth("can-bo"),
    )
    assert response.status_code == 201, response.get_json()
    created: dict[str, Any] = response.get_json()
    return created


def _on_primary(nodes: Nodes, position: int) -> None:
    """Wait until the worker has applied `position` on the primary (what the reader then
    waits for is the replica alone)."""
    answer = nodes.writer.test_client().get(
        f"{API}?limit=1&min_position={position}", headers=nodes.auth("can-bo")
    )
    assert answer.status_code == 200, answer.get_json()


def _listed(client: FlaskClient, nodes: Nodes, query: str) -> Any:
    return client.get(f"{API}?{query}", headers=nodes.auth("can-bo"))


def test_lists_and_dashboards_are_answered_from_the_replica(
    nodes: Nodes, replica: Replica
) -> None:
    reader = nodes.reader.test_client()
    created = _created(nodes, "Sổ tay số cho tổ dân phố")
    _on_primary(nodes, created["position"])
    listed = _listed(reader, nodes, f"q=so tay so&min_position={created['position']}")
    assert listed.status_code == 200
    assert [(i["id"], i["title"], i["status"]) for i in listed.get_json()["items"]] == [
        (created["id"], "Sổ tay số cho tổ dân phố", "draft")
    ]
    submitted = nodes.writer.test_client().post(
        f"{API}/{created['id']}/submit", json=plain(proposal()), headers=nodes.auth("can-bo")
    )
    assert submitted.get_json() == {"version": 2, "position": created["position"] + 1}
    _on_primary(nodes, created["position"] + 1)
    inbox = reader.get(
        f"/api/v1/dashboard/inbox?organisation_id={oid('ben-thanh-ubnd')}"
        f"&min_position={submitted.get_json()['position']}",
        headers=nodes.auth("chu-tich"),
    )
    assert inbox.status_code == 200
    assert [(r["id"], r["status"], r["waiting_for"]) for r in inbox.get_json()["items"]] == [
        (created["id"], "submitted", "receive")
    ]
    outcomes = reader.get(
        f"/api/v1/dashboard/outcomes?organisation_id={oid('ben-thanh-ubnd')}",
        headers=nodes.auth("chu-tich"),
    ).get_json()["items"]
    assert [o["own"]["by_status"] for o in outcomes] == [{"submitted": 1}]
    state = reader.get(f"{API}/{created['id']}", headers=nodes.auth("can-bo"))
    assert (state.status_code, state.headers["ETag"]) == (200, '"2"')
    # Answered there: the reader's sessions, the views' and the event store's, are on the
    # replica, and read-only.
    where = (
        "SELECT pg_is_in_recovery() AS standby, inet_server_port() AS port,"
        " current_setting('default_transaction_read_only') AS read_only"
    )
    expected = {"standby": True, "port": replica.port, "read_only": "on"}
    assert nodes.reader.extensions["ledger.reads"].db.query(where) == [expected]
    events = nodes.reader.extensions["ledger.service"].get().recorder.datastore.pool
    with events.connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
        assert cursor.execute(where).fetchall() == [expected]
    health = reader.get("/api/health").get_json()
    assert (health["node"], health["storage"], health["views_lag"]) == (
        "reader",
        "postgresql",
        0,
    )


def test_a_lagging_replica_answers_503_rather_than_stale_data(
    nodes: Nodes, replica: Replica
) -> None:
    reader, writer = nodes.reader.test_client(), nodes.writer.test_client()
    replica.catch_up()
    replica.pause()
    try:
        created = _created(nodes, "Bản đồ số chợ Bến Thành")
        position = created["position"]
        query = f"q=ban do so&min_position={position}"
        on_primary = _listed(writer, nodes, query).get_json()["items"]
        assert [i["id"] for i in on_primary] == [created["id"]]  # the worker has applied it
        started = time.monotonic()
        late = _listed(reader, nodes, query)
        waited = time.monotonic() - started
        assert problem_of(late, 503) == {
            "type": f"{PROBLEMS}views-behind",
            "title": "Views not caught up",
            "status": 503,
            "detail": "the views of the replica this node reads (it lags the primary) have not"
            f" yet applied log position {position}; retry shortly",
            "instance": API,
        }
        assert late.headers["Retry-After"] == "1"
        assert READ_WAIT <= waited < READ_WAIT + 5
        dashboard = reader.get(
            f"/api/v1/dashboard/deadlines?organisation_id={oid('ben-thanh-ubnd')}"
            f"&min_position={position}",
            headers=nodes.auth("chu-tich"),
        )
        assert problem_of(dashboard, 503)["type"] == f"{PROBLEMS}views-behind"
        # Without min_position the replica answers what it has: the draft is not there yet.
        assert _listed(reader, nodes, "q=ban do so").get_json()["items"] == []
        health = reader.get("/api/health").get_json()
        assert health["log_position"] == position - 1
    finally:
        replica.resume()
    caught_up = _listed(reader, nodes, query)
    assert [i["id"] for i in caught_up.get_json()["items"]] == [created["id"]]


def test_commands_and_pages_on_the_reader_are_refused_naming_the_writer(nodes: Nodes) -> None:
    reader = nodes.reader.test_client()
    created = _created(nodes, "Phiếu khảo sát điện tử")
    head = nodes.head
    refusals = [
        ("POST", API, {"title": "Không được ghi", "employing_organisation_id": str(oid("x"))}),
        ("POST", f"{API}/{created['id']}/submit", plain(proposal())),
        ("POST", f"{API}/{created['id']}/readings", {"purpose": "Thanh tra"}),
        ("PUT", f"{API}/{created['id']}", {}),
        ("DELETE", f"{API}/{created['id']}", None),
        ("PATCH", "/api/v1/people", {}),
    ]
    for method, path, body in refusals:
        response = reader.open(
            path,
            method=method,
            json=body,
            headers=nodes.auth("can-bo", **{"Idempotency-Key": f"replica-{method}"}),
        )
        assert problem_of(response, 503) == {
            "type": f"{PROBLEMS}read-only-node",
            "title": "Read-only node",
            "status": 503,
            "detail": "this web node answers reads from a replica of the database and records"
            f" nothing: send {method} requests to the writer web nodes ({WRITER_URL});"
            " nothing was recorded",
            "instance": path,
            "writer": WRITER_URL,
        }, path
        assert "Retry-After" not in response.headers  # retrying here would not help
    for path in ("/", "/sign-in", f"/initiatives/{created['id']}"):
        page = reader.get(path)
        assert problem_of(page, 503)["detail"] == (
            "this web node answers reads from a replica of the database and records nothing:"
            f" the pages are served by the writer web nodes ({WRITER_URL})"
        ), path
    assert problem_of(reader.post("/sign-in", data={"person": "x"}), 503)["instance"] == (
        "/sign-in"
    )
    assert nodes.head == head
    with primary(dbname=nodes.dbname) as conn:
        keys = conn.execute("SELECT count(*) FROM idempotency_keys").fetchone()
    assert keys == (0,)


def test_a_write_the_reader_would_attempt_is_refused_by_its_sessions(
    nodes: Nodes, replica: Replica, tmp_path: Path
) -> None:
    db = nodes.reader.extensions["ledger.reads"].db
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        Sessions(db).open("someone", "positions")
    # A reader pointed at the primary by mistake writes nothing either (its sessions are
    # read-only whatever the server), and a route that attempts a write answers the
    # read-only problem, not a 500.
    settings = reader_settings(replica, nodes.dbname, nodes.verifier, tmp_path)
    settings["DATABASE_URL"] = f"{PG_URL.rsplit('/', 1)[0]}/{nodes.dbname}"
    on_primary = create_app(settings)

    @on_primary.get("/api/test-writes")
    def writes() -> str:
        Sessions(on_primary.extensions["ledger.reads"].db).open("someone", "positions")
        return "written"

    try:
        response = on_primary.test_client().get("/api/test-writes")
        assert problem_of(response, 503) == {
            "type": f"{PROBLEMS}read-only-node",
            "title": "Read-only node",
            "status": 503,
            "detail": "this web node answers reads from a replica of the database and records"
            " nothing: this request needed a write: send it to the writer web nodes"
            f" ({WRITER_URL}); nothing was recorded",
            "instance": "/api/test-writes",
            "writer": WRITER_URL,
        }
    finally:
        _closed(on_primary)
    with primary(dbname=nodes.dbname) as conn:
        assert conn.execute("SELECT count(*) FROM page_sessions").fetchone() == (0,)


def test_every_read_of_the_reader_answers_and_it_writes_nothing(
    nodes: Nodes, replica: Replica
) -> None:
    reader, writer = nodes.reader.test_client(), nodes.writer.test_client()
    mark = len(replica.log())
    created = _created(nodes, "Cổng phản ánh trực tuyến")
    receipt = f"{API}/{created['id']}/events/1/receipt"
    wait_until(  # the worker has sealed the draft and signed a checkpoint covering it
        lambda: writer.get(receipt, headers=nodes.auth("can-bo")).status_code == 200,
        "a receipt of the draft on the writer",
        WAIT,
    )
    replica.catch_up()
    wait = f"min_position={created['position']}"
    ward = f"organisation_id={oid('ben-thanh-ubnd')}"
    reads = [
        ("/api/health", None),
        ("/metrics", "metrics"),
        ("/api/openapi.json", None),
        ("/api/docs", None),
        ("/static/api-docs.js", None),
        (f"{API}?{wait}", "can-bo"),
        (f"{API}/{created['id']}", "can-bo"),
        (f"{API}/{created['id']}/history", "can-bo"),
        (f"{API}/{created['id']}/access-log", "can-bo"),
        (f"{API}?as_of=2026-03-02T03:00:00Z", "can-bo"),
        (f"/api/v1/dashboard/inbox?{ward}&{wait}", "chu-tich"),
        (f"/api/v1/dashboard/deadlines?{wait}", "tp-chu-tich"),
        (f"/api/v1/dashboard/supervision?{wait}", "tp-chu-tich"),
        (f"/api/v1/dashboard/outcomes?{ward}&{wait}", "chu-tich"),
        (f"/api/v1/dashboard/cadre-records?{wait}", "tp-chu-tich"),
        (f"/api/v1/dashboard/protection?{wait}", "tp-chu-tich"),
        (f"/api/v1/dashboard/outcomes/export?format=csv&{ward}", "chu-tich"),
        (f"/api/v1/audit?aggregate_id={created['id']}&{wait}", "can-bo"),
        ("/api/v1/people", "can-bo"),
        ("/api/v1/organisations", "can-bo"),
        ("/api/v1/ledger/checkpoints", None),
        ("/api/v1/ledger/checkpoint", None),
        (receipt, "can-bo"),
        (f"{API}/{created['id']}/events/1/certificate", "can-bo"),
        (f"{API}/{created['id']}/dossier", "can-bo"),
    ]
    answers = []
    for path, who in reads:
        headers = {"Authorization": f"Bearer {METRICS_TOKEN}"} if who == "metrics" else {}
        with reader.get(
            path, headers=nodes.auth(who) if who and not headers else headers
        ) as response:
            answers.append((path, response.status_code))
    assert answers == [(path, 200) for path, _ in reads]
    # its dashboards' answers are kept in its memory, never in the shared table
    again = reader.get(f"/api/v1/dashboard/deadlines?{wait}", headers=nodes.auth("tp-chu-tich"))
    assert (again.status_code, again.headers["Answer-Cache"]) == (200, "hit")
    assert nodes.reader.extensions["ledger.answers"].stats()["memory_entries"] == 6
    assert replica.errors_after(mark) == []  # not one write attempted


def test_rate_limits_on_a_reader_are_counted_in_memory(
    nodes: Nodes, replica: Replica, tmp_path: Path
) -> None:
    mark = len(replica.log())
    limited = create_app(
        reader_settings(replica, nodes.dbname, nodes.verifier, tmp_path, RATE_LIMIT="2 per minute")
    )
    try:
        client = limited.test_client()
        statuses = [
            client.get("/api/v1/people", headers=nodes.auth("can-bo")).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
    finally:
        _closed(limited)
    assert replica.errors_after(mark) == []  # no counter written (or attempted) in the replica


def test_the_procfile_web_line_runs_a_reader_in_production(
    nodes: Nodes, replica: Replica, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        **reader_settings(replica, nodes.dbname, nodes.verifier, tmp_path),
        "SECRET_KEY": "k" * 40,
        "PORT": str(port),
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    with serving(procfile_command("web", port), env, tmp_path, port):
        status, body = get(f"http://127.0.0.1:{port}/api/health")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{API}",
            data=b"{}",
            method="POST",
            headers=nodes.auth("can-bo"),
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
    assert status == 200
    assert json.loads(body)["node"] == "reader"
    assert refused.value.code == 503
    assert json.loads(refused.value.read())["type"] == f"{PROBLEMS}read-only-node"
