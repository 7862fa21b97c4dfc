"""`/metrics` (web/metrics.py, docs/operations.md "Metrics"): for the bearer of METRICS_TOKEN
only, everything else a 404; requests by route and status, commands by name and outcome,
rate-limit refusals, the pools, and the figures read from the database at scrape time — which
a database that does not answer turns into `ledger_metrics_scrape_error 1`, never a 500.

In this process (the Flask test client, both backends), then the Procfile's gunicorn with two
workers and the worker process: the workers' counts are added up exactly, a worker that dies
leaves its counts in the sums and its pool gauges out of them."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from projections.ledger import verifications
from projections.ledger.check import LogReport
from projections.ledger.cosignature import WitnessSigner
from projections.storage import Storage
from tests.conftest import (
    ORIGIN,
    SECRET,
    AppWith,
    bearer,
    ready_to_serve,
)
from tests.e2e.test_outage import behind_a_proxy
from tests.e2e.test_pages import csrf_of, drafted, signed_in
from tests.e2e.test_processes import BIN, free_port, procfile_command, serving
from tests.factories import Clock, Scenario, history_starts_at, oid, pid
from tests.waiting import wait_until
from web import create_app
from web.auth import issue_token
from web.config import Settings
from web.key_files import write_new_key

TOKEN = "metrics-" + "m" * 40
API = "/api/v1/initiatives"
PEOPLE = "/api/v1/people"
DRAFT = {"title": "Một cửa điện tử", "employing_organisation_id": str(oid("ben-thanh-ubnd"))}
# The figures read from the database: every family is in every scrape, with or without a sample.
DATABASE_FAMILIES = {
    "ledger_log_head_position",
    "ledger_worker_lag_events",
    "ledger_sealing_lag_events",
    "ledger_sealed_leaves",
    "ledger_refused_events",
    "ledger_checkpoint_size",
    "ledger_checkpoint_age_seconds",
    "ledger_checkpoint_pending_leaves",
    "ledger_cosigned_checkpoint_size",
    "ledger_cosigned_checkpoint_age_seconds",
    "ledger_cosigning_pending_leaves",
    "ledger_verification_ok",
    "ledger_verification_age_seconds",
}


@dataclass(frozen=True)
class Scrape:
    """One scrape, parsed with prometheus_client's own parser."""

    families: dict[str, str]  # name → type
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float]

    @classmethod
    def parse(cls, text: str) -> Scrape:
        families: dict[str, str] = {}
        samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
        for family in text_string_to_metric_families(text):
            families[family.name] = family.type
            for sample in family.samples:
                key = (sample.name, frozenset(sample.labels.items()))
                assert key not in samples, f"{key} twice"
                samples[key] = sample.value
        return cls(families, samples)

    def value(self, name: str, **labels: str) -> float | None:
        """The sample of `name` with exactly these labels, or None."""
        return self.samples.get((name, frozenset(labels.items())))

    def labelled(self, name: str) -> dict[frozenset[tuple[str, str]], float]:
        """Every sample of `name`, by its labels."""
        return {labels: v for (n, labels), v in self.samples.items() if n == name}

    def names(self) -> set[str]:
        """Every family and sample name (a histogram's `_bucket`, `_count`, `_sum` too)."""
        return set(self.families) | {name for name, _ in self.samples}


def within(value: float | None, low: float, high: float) -> bool:
    """A sample there, and in [low, high)."""
    return value is not None and low <= value < high


def scrape(client: FlaskClient, token: str = TOKEN) -> Scrape:
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "text/plain"
    return Scrape.parse(answer.get_data(as_text=True))


def labels(**pairs: str) -> frozenset[tuple[str, str]]:
    return frozenset(pairs.items())


@pytest.fixture
def web_app(app_with: AppWith) -> Iterator[Flask]:
    with app_with(METRICS_TOKEN=TOKEN) as flask_app:
        yield flask_app


# In this process ----------------------------------------------------------------------------


def test_metrics_are_the_404_of_an_unknown_path_but_for_the_bearer_of_the_token(
    client: FlaskClient, app_with: AppWith
) -> None:
    unknown = client.get("/no-such-path").get_json()
    for headers in (
        {},
        {"Authorization": "Bearer " + "x" * len(TOKEN)},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
    ):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 404, headers
        assert answer.get_json() == {**unknown, "instance": "/metrics"}
    assert scrape(client).value("ledger_metrics_scrape_error") == 0
    assert client.post("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405
    with app_with() as without:  # METRICS_TOKEN unset
        answer = without.test_client().get(
            "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status_code == 404
    assert "/metrics" not in client.get("/api/openapi.json").get_json()["paths"]


def test_a_token_shorter_than_32_characters_stops_the_start() -> None:
    with pytest.raises(ValueError, match=r"^METRICS_TOKEN must be 32 or more visible ASCII"):
        Settings.load({"JWT_SECRET": SECRET, "METRICS_TOKEN": "short"})


def test_requests_are_counted_by_method_route_and_status_and_scrapes_are_not(
    client: FlaskClient, auth: Any
) -> None:
    for _ in range(3):
        assert client.get(PEOPLE, headers=auth("can-bo")).status_code == 200
    assert [client.get(PEOPLE).status_code for _ in range(2)] == [401, 401]
    assert client.get(f"{PEOPLE}/{pid('can-bo')}", headers=auth("can-bo")).status_code == 200
    assert client.get(f"{PEOPLE}/by-key/chu-tich", headers=auth("can-bo")).status_code == 200
    assert client.get("/no/such/path").status_code == 404
    assert client.delete(PEOPLE, headers=auth("can-bo")).status_code == 405
    first = scrape(client)
    second = scrape(client)
    requests = {
        labels(method="GET", route=PEOPLE, status="200"): 3.0,
        labels(method="GET", route=PEOPLE, status="401"): 2.0,
        labels(method="GET", route=f"{PEOPLE}/<uuid:person_id>", status="200"): 1.0,
        labels(method="GET", route=f"{PEOPLE}/by-key/<string:key>", status="200"): 1.0,
        labels(method="GET", route="unmatched", status="404"): 1.0,
        labels(method="DELETE", route="unmatched", status="405"): 1.0,
    }
    assert first.labelled("ledger_http_requests_total") == requests
    assert second.labelled("ledger_http_requests_total") == requests, "scrapes are not counted"
    assert first.families["ledger_http_request_duration_seconds"] == "histogram"
    latency = "ledger_http_request_duration_seconds"
    assert first.value(f"{latency}_count", method="GET", route=PEOPLE) == 5
    assert first.value(f"{latency}_bucket", method="GET", route=PEOPLE, le="+Inf") == 5
    assert within(first.value(f"{latency}_sum", method="GET", route=PEOPLE), 1e-9, 30)
    assert first.labelled("ledger_commands_total") == {}
    assert first.labelled("ledger_rate_limited_total") == {}


def test_commands_are_counted_by_name_and_outcome_from_the_api_and_the_pages(
    client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    def post(path: str, who: str | None, body: dict[str, Any], **headers: str) -> int:
        sent = {**(auth(who) if who else {}), **headers}
        return client.post(f"{API}{path}", json=body, headers=sent).status_code

    keyed = {**auth("can-bo"), "Idempotency-Key": "k1"}
    first = client.post(API, json=DRAFT, headers=keyed)
    again = client.post(API, json=DRAFT, headers=keyed)  # the stored answer
    assert (first.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
    initiative = first.get_json()["id"]
    assert post(f"/{initiative}/submit", "can-bo", {}) == 422
    assert post(f"/{initiative}/submit", None, {}) == 401
    assert post(f"/{initiative}/withdraw", "chu-tich", {"reason": "Rút"}) == 403
    assert (
        post(f"/{initiative}/withdraw", "can-bo", {"reason": "Rút"}, **{"If-Match": '"9"'}) == 412
    )
    assert post(f"/{initiative}/no-such-command", "can-bo", {}) == 404
    signed_in(client, web_app, "can-bo")
    token = csrf_of(client, "/initiatives/new")
    page = drafted(client, token)  # a draft through the page: 302
    received = client.post(
        f"{page}/do/receive",
        data={"csrf_token": token, "receipt_date": "2026-03-02", "incoming_number": "1/VP"},
    )
    assert received.status_code == 409
    assert client.post(f"{page}/do/no-such", data={"csrf_token": token}).status_code == 404
    withdrawn = client.post(f"{page}/do/withdraw", data={"csrf_token": token, "reason": "Rút"})
    assert withdrawn.status_code == 302
    commands = scrape(client).labelled("ledger_commands_total")
    assert commands == {
        labels(command="create_initiative", outcome="recorded"): 2,
        labels(command="create_initiative", outcome="replayed"): 1,
        labels(command="submit", outcome="invalid"): 1,
        labels(command="submit", outcome="unauthenticated"): 1,
        labels(command="withdraw", outcome="forbidden"): 1,
        labels(command="withdraw", outcome="stale"): 1,
        labels(command="withdraw", outcome="recorded"): 1,
        labels(command="receive", outcome="conflict"): 1,
    }


def test_rate_limit_refusals_are_counted_by_limit_and_scrapes_are_never_limited(
    app_with: AppWith, clock: Clock
) -> None:
    with app_with(
        METRICS_TOKEN=TOKEN,
        RATE_LIMIT="6 per minute",  # per person, one window for every route
        RATE_LIMIT_HEAVY="1 per minute",
    ) as app:
        client = app.test_client()
        service = app.extensions["ledger.service"].get()
        moments = []
        for _ in range(2):
            Scenario(service, clock).draft()
            moments.append(clock())
            clock.now += timedelta(minutes=1)
        headers = bearer(app)("can-bo")
        position = service.last_position()  # the past is found in the views: let them catch up
        assert client.get(f"{API}?min_position={position}", headers=headers).status_code == 200
        history_starts_at(app.extensions["ledger.reads"].db, position + 1)

        def as_of(moment: datetime) -> int:  # replayed: before the views' history starts
            url = f"/api/v1/organisations?as_of={quote(moment.isoformat())}"
            return client.get(url, headers=headers).status_code

        assert [as_of(moments[0]), as_of(moments[1])] == [200, 429]  # heavy: 1 a minute
        # 3 requests so far; 3 more to another route fill the person's window of 6.
        assert [client.get(PEOPLE, headers=headers).status_code for _ in "1234"] == [
            200,
            200,
            200,
            429,
        ]
        for _ in range(6):
            scraped = scrape(client)
        assert scraped.labelled("ledger_rate_limited_total") == {
            labels(limit="heavy"): 1,
            labels(limit="request"): 1,
        }
        assert (
            scraped.value("ledger_http_requests_total", method="GET", route=PEOPLE, status="429")
            == 1
        )


def test_the_database_figures_follow_the_log_checkpoints_cosignatures_and_verifications(
    app_with: AppWith,
) -> None:
    witness = WitnessSigner.generate("w1.example/witness")
    # A witness that never answers (nothing listens on port 9): cosignatures are added below.
    policy = f"{witness.key.encode()} http://127.0.0.1:9"
    with app_with(METRICS_TOKEN=TOKEN, LEDGER_WITNESSES=policy) as app:
        client = app.test_client()
        headers = bearer(app)("can-bo")
        created = client.post(API, json=DRAFT, headers=headers).get_json()
        position = created["position"]
        assert client.get(f"{API}?min_position={position}", headers=headers).status_code == 200
        now = scrape(client)
        assert now.names() >= DATABASE_FAMILIES
        assert now.value("ledger_log_head_position") == position
        assert now.value("ledger_worker_lag_events") == 0
        assert now.value("ledger_sealing_lag_events") == 0
        assert now.value("ledger_sealed_leaves") == position  # one leaf per event, from 1
        assert now.value("ledger_refused_events") == 0
        assert now.value("ledger_verification_ok") is None, "no verification yet"
        assert now.value("ledger_verification_age_seconds") is None
        signed = wait_until(
            lambda: (s := scrape(client)).value("ledger_checkpoint_size") == position and s,
            "a checkpoint of every leaf",
        )
        assert signed.value("ledger_checkpoint_pending_leaves") == 0
        assert within(signed.value("ledger_checkpoint_age_seconds"), 0, 60)
        assert signed.value("ledger_cosigned_checkpoint_size") == 0
        assert signed.value("ledger_cosigned_checkpoint_age_seconds") is None
        assert signed.value("ledger_cosigning_pending_leaves") == position

        db = app.extensions["ledger.reads"].db
        with db.transaction() as tx:
            tx.execute(
                "INSERT INTO ledger_cosignatures (size, witness, line, signed_at, received_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (position, witness.key.name, "— w1", int(time.time()) - 100, "now"),
            )
        moment = datetime.now(tz=UTC)
        verifications.record(db, LogReport(events=position), moment - timedelta(seconds=300))
        cosigned = scrape(client)
        assert cosigned.value("ledger_cosigned_checkpoint_size") == position
        assert cosigned.value("ledger_cosigning_pending_leaves") == 0
        assert within(cosigned.value("ledger_cosigned_checkpoint_age_seconds"), 100, 160)
        assert cosigned.value("ledger_verification_ok") == 1
        assert within(cosigned.value("ledger_verification_age_seconds"), 300, 360)

        verifications.record(db, LogReport(problems=["leaf 0 differs"]), moment)
        with db.transaction() as tx:
            tx.execute(
                "INSERT INTO ledger_refused (position, aggregate_id, version, reason, found_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (10**9, "x", 1, "not an act", "now"),
            )
        failed = scrape(client)
        assert failed.value("ledger_verification_ok") == 0
        assert within(failed.value("ledger_verification_age_seconds"), 0, 60)
        assert failed.value("ledger_refused_events") == 1
        assert failed.value("ledger_metrics_scrape_error") == 0


@pytest.mark.postgres
@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
def test_the_pools_are_reported_with_their_bounds(client: FlaskClient, auth: Any) -> None:
    for _ in range(3):
        assert client.get(PEOPLE, headers=auth("can-bo")).status_code == 200
        assert client.post(API, json=DRAFT, headers=auth("can-bo")).status_code == 201
    scraped = scrape(client)
    for pool, most in (("views", 4), ("events", 11)):  # DATABASE_POOL_SIZE; 1 + overflow 10
        assert scraped.value("ledger_db_pool_max", pool=pool) == most
        size = scraped.value("ledger_db_pool_size", pool=pool)
        assert within(size, 1, most + 1)
        assert size is not None
        assert within(scraped.value("ledger_db_pool_available", pool=pool), 0, size + 1)
        assert scraped.value("ledger_db_pool_waiting", pool=pool) == 0


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_sqlite_has_no_pools(client: FlaskClient, auth: Any) -> None:
    assert client.get(PEOPLE, headers=auth("can-bo")).status_code == 200
    scraped = scrape(client)
    assert scraped.families["ledger_db_pool_size"] == "gauge"
    assert scraped.labelled("ledger_db_pool_size") == {}


@contextlib.contextmanager
def unreachable_database(kind: str, tmp_path: Path) -> Iterator[tuple[Flask, Any]]:
    """An app whose database does not answer, and a function that brings it back (or None):
    SQLite in a folder that does not exist; PostgreSQL behind a TCP proxy, cut after a first
    good scrape."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'missing' / 'ledger.sqlite3'}"
        app = create_app(
            {"DATABASE_URL": url, "JWT_SECRET": SECRET, "METRICS_TOKEN": TOKEN}, clock=Clock()
        )
        try:
            yield app, None
        finally:
            app.extensions["ledger.reads"].stop()
        return
    with behind_a_proxy("metrics") as (proxy, url, schema):
        config = {"DATABASE_URL": url, "DATABASE_SCHEMA": schema, "JWT_SECRET": SECRET}
        app = create_app({**config, "METRICS_TOKEN": TOKEN, "DATABASE_STATEMENT_TIMEOUT": "1"})
        try:
            assert scrape(app.test_client()).value("ledger_metrics_scrape_error") == 0
            proxy.cut()
            yield app, proxy.restore
        finally:
            proxy.restore()
            app.extensions["ledger.reads"].stop()
            app.extensions["ledger.service"].close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_database_that_does_not_answer_is_a_scrape_error_never_a_500(
    kind: str, tmp_path: Path
) -> None:
    with unreachable_database(kind, tmp_path) as (app, restore):
        client = app.test_client()
        assert client.get("/api/health").status_code == 503  # and the breaker is open
        down = scrape(client)
        assert down.value("ledger_metrics_scrape_error") == 1
        assert down.names() >= DATABASE_FAMILIES
        assert not any(down.labelled(name) for name in DATABASE_FAMILIES), "no figure is made up"
        assert (
            down.value(
                "ledger_http_requests_total", method="GET", route="/api/health", status="503"
            )
            == 1
        )
        if restore is not None:
            restore()
            wait_until(
                lambda: scrape(client).value("ledger_metrics_scrape_error") == 0,
                "the figures once the database is back",
            )


# Real processes: gunicorn's two workers and the worker ------------------------------------


@dataclass(frozen=True)
class Served:
    base: str
    token: str
    folder: Path
    master: subprocess.Popen[str]
    kind: str

    def get(self, path: str, token: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode()

    def scrape(self) -> Scrape:
        status, text = self.get("/metrics", TOKEN)
        assert status == 200, text
        return Scrape.parse(text)

    def per_worker(self) -> dict[int, float]:
        """Each worker's own count of `GET /api/v1/people` answered 200, read from its file."""
        counts: dict[int, float] = {}
        for path in self.folder.glob("counter_*.db"):
            worker = int(path.stem.split("_")[1])
            for metric in MultiProcessCollector.merge([str(path)], accumulate=False):
                for sample in metric.samples:
                    if sample.name == "ledger_http_requests_total" and sample.labels == {
                        "method": "GET",
                        "route": PEOPLE,
                        "status": "200",
                    }:
                        counts[worker] = counts.get(worker, 0) + sample.value
        return counts


@pytest.fixture
def served(storage: Storage, tmp_path: Path) -> Iterator[Served]:
    """The Procfile's web line (production settings, two workers of four threads) with the
    metrics token and a configured metrics folder holding a stale file of an earlier run, and
    the worker process (checkpoints at once, a full verification every second)."""
    key = tmp_path / "ledger-key"
    write_new_key(key, ORIGIN)
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"not a metrics file")
    port = free_port()
    env = ready_to_serve(
        storage,
        port,
        LEDGER_ORIGIN=ORIGIN,
        LEDGER_KEY_FILE=str(key),
        CHECKPOINT_INTERVAL="0",
        LEDGER_VERIFY_INTERVAL="1",
        RATE_LIMIT="off",
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(folder),
    )
    token = issue_token(Settings.load({"JWT_SECRET": SECRET}), "can-bo")
    worker = subprocess.Popen(
        [str(BIN / "ledger"), "worker", "--poll", "0.1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with serving(procfile_command("web", port), env, tmp_path, port) as master:
            yield Served(f"http://127.0.0.1:{port}", token, folder, master, storage.kind)
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_two_gunicorn_workers_add_up_their_metrics_and_the_worker_s_figures_follow(
    served: Served,
) -> None:
    assert not (served.folder / "counter_999999.db").exists(), "the last run's files go"
    assert served.get("/metrics")[0] == 404
    assert served.get("/metrics", "y" * len(TOKEN))[0] == 404
    assert served.get("/metrics", served.token)[0] == 404, "a person's token is not the token"

    # Requests in parallel until each worker has answered some: the scrape adds up both.
    made = [0]  # requests of GET /api/v1/people made (all answered 200)

    def people() -> int:
        return served.get(PEOPLE, served.token)[0]

    with ThreadPoolExecutor(8) as pool:
        deadline = time.monotonic() + 60
        while len(served.per_worker()) < 2:
            assert time.monotonic() < deadline, f"one worker answered all: {served.per_worker()}"
            assert list(pool.map(lambda _: people(), range(8))) == [200] * 8
            made[0] += 8
    assert sum(served.per_worker().values()) == made[0]
    status, body = served.get(API, served.token)  # a list, then a command
    assert status == 200, body
    request = urllib.request.Request(
        served.base + API,
        data=json.dumps(DRAFT).encode(),
        headers={"Authorization": f"Bearer {served.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as created:
        assert created.status == 201

    def settled() -> Scrape | None:
        scraped = served.scrape()
        head = scraped.value("ledger_log_head_position") or 0
        done = (
            head > 0
            and scraped.value("ledger_worker_lag_events") == 0
            and scraped.value("ledger_sealing_lag_events") == 0
            and scraped.value("ledger_checkpoint_size") == head
            and scraped.value("ledger_verification_ok") == 1
            and (served.kind == "sqlite" or scraped.value("ledger_db_pool_max", pool="views") == 8)
        )
        if not done:
            assert people() == 200  # each worker notes its pools as it answers
            made[0] += 1
        return scraped if done else None

    scraped = wait_until(settled, "the worker caught up, signed and verified", within=60)
    head = scraped.value("ledger_log_head_position") or 0
    assert (
        scraped.value("ledger_http_requests_total", method="GET", route=PEOPLE, status="200")
        == made[0]
    )
    assert sum(served.per_worker().values()) == made[0]
    assert scraped.labelled("ledger_commands_total") == {
        labels(command="create_initiative", outcome="recorded"): 1
    }
    assert scraped.value("ledger_http_requests_total", method="GET", route=API, status="200") == 1
    assert scraped.value("ledger_http_requests_total", method="POST", route=API, status="201") == 1
    assert not [k for k in scraped.samples if ("route", "/metrics") in k[1]], "scrapes uncounted"
    assert scraped.value("ledger_sealed_leaves") == head
    assert scraped.value("ledger_checkpoint_pending_leaves") == 0
    assert within(scraped.value("ledger_checkpoint_age_seconds"), 0, 60)
    assert within(scraped.value("ledger_verification_age_seconds"), 0, 60)
    assert scraped.value("ledger_refused_events") == 0
    assert scraped.value("ledger_metrics_scrape_error") == 0
    assert scraped.labelled("ledger_cosigned_checkpoint_size") == {}, "no witnesses"

    # A worker killed: gunicorn starts another; the dead one's counts stay in the sums, its
    # pools leave them.
    victim = max(served.per_worker())
    assert victim in children(served.master.pid)
    os.kill(victim, signal.SIGKILL)
    wait_until(
        lambda: (
            not (served.folder / f"gauge_livesum_{victim}.db").exists()
            and len(children(served.master.pid)) == 2
        ),
        "the dead worker marked dead and replaced",
    )
    after = served.scrape()
    assert (
        after.value("ledger_http_requests_total", method="GET", route=PEOPLE, status="200")
        == made[0]
    ), "a dead worker's counts stay in the sums"
    if served.kind == "postgresql":
        assert (after.value("ledger_db_pool_max", pool="views") or 0) in (4, 8)


def children(master: int) -> list[int]:
    """The processes `master` started (gunicorn's workers)."""
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=True
    ).stdout
    return [int(p) for p in out.split()]
