"""Commands through HTTP under gunicorn, beside a raw single-row INSERT + COMMIT loop and the
event store's own saves.

    python -m bench.commands --clients 8 --seconds 15 --repeats 3 [--backend postgresql]

Both sides run in the same process against the same server, with the same number of
concurrent clients: the raw side is `clients` psycopg connections (or sqlite3 ones) each
looping `INSERT` of a 600-byte row + `COMMIT`; the command side is `clients` keep-alive HTTP
connections each posting `report-progress` to initiatives of its own (so no two clients
contend for one initiative) on gunicorn, with a JWT, the read of the initiative, the
directory check of the actor's position and the atomic save, exactly as in production. On
PostgreSQL the store side is `clients` threads of one process each saving one 600-byte event
through the event store's recorder, no HTTP: eventsourcing's (one transaction per save, under
its exclusive lock) and ours (the saves in flight committed together, projections/group_commit.py).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import psycopg
from eventsourcing.persistence import StoredEvent

from bench import application
from bench.generate import Ward, life, synthetic_directory
from domain.application import LedgerApplication
from projections.storage import Storage
from web.auth import issue_token
from web.config import Settings
from web.service import migrate

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret-" + "x" * 32
PAYLOAD = "x" * 600


@dataclass
class Run:
    """One timed run: completed operations, seconds, and each one's latency (ms)."""

    done: int
    seconds: float
    latencies: list[float]
    errors: int = 0

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def hammer(clients: int, seconds: float, make: Callable[[int], Callable[[], bool]]) -> Run:
    """`clients` threads each calling its own operation for `seconds`; latencies in ms."""
    stop = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    ready = threading.Barrier(clients + 1)

    def work(n: int) -> None:
        operation = make(n)
        ready.wait()
        mine = latencies[n]
        while time.perf_counter() < stop:
            started = time.perf_counter()
            ok = operation()
            mine.append((time.perf_counter() - started) * 1000)
            if not ok:
                errors[n] += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    began = time.perf_counter()
    stop = began + seconds
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = [x for per in latencies for x in per]
    return Run(len(flat) - sum(errors), elapsed, flat, sum(errors))


# Raw baselines ---------------------------------------------------------------------------


def raw_postgres(url: str, schema: str, clients: int, seconds: float) -> Run:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.bench_raw (id BIGSERIAL, body TEXT)")

    def make(_n: int) -> Callable[[], bool]:
        conn = psycopg.connect(url)
        statement = f"INSERT INTO {schema}.bench_raw (body) VALUES (%s)"

        def insert() -> bool:
            conn.execute(statement, (PAYLOAD,))
            conn.commit()
            return True

        return insert

    return hammer(clients, seconds, make)


def raw_sqlite(path: Path, clients: int, seconds: float) -> Run:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, body TEXT)")

    def make(_n: int) -> Callable[[], bool]:
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA synchronous=NORMAL")

        def insert() -> bool:
            conn.execute("INSERT INTO bench_raw (body) VALUES (?)", (PAYLOAD,))
            conn.commit()
            return True

        return insert

    return hammer(clients, seconds, make)


def store_saves(storage: Storage, clients: int, seconds: float, recorder: str = "") -> Run:
    """`clients` threads of this process saving one event each time through the recorder
    (`recorder`: a topic in place of ours, e.g. eventsourcing's)."""
    env = storage.eventsourcing_env()
    if recorder:
        env["APPLICATION_RECORDER_TOPIC"] = recorder
    app = LedgerApplication(env=env)
    state = PAYLOAD.encode()

    def make(_n: int) -> Callable[[], bool]:
        def save() -> bool:
            return bool(app.recorder.insert_events([StoredEvent(uuid.uuid4(), 1, "bench", state)]))

        return save

    try:
        return hammer(clients, seconds, make)
    finally:
        app.close()


LIBRARY_RECORDER = "eventsourcing.postgres:PostgresApplicationRecorder"


# The service ----------------------------------------------------------------------------


def prepare(storage: Storage, initiatives: int, wards: int) -> list[tuple[str, str]]:
    """A directory and `initiatives` pilots in progress: (initiative id, assignee key)."""
    storage.drop_all()
    migrate(storage)
    app = application(storage.eventsourcing_env())
    try:
        app.import_directory(synthetic_directory(wards), "bench")
        rng = random.Random(5)
        team = [Ward(w, app) for w in range(wards)]
        now = datetime.now(tz=UTC).replace(year=datetime.now(tz=UTC).year - 1)
        targets, pending = [], []
        for _ in range(initiatives):
            ward = rng.choice(team)
            ini, _n = life(ward, rng, now, "piloting", 0)
            pending.append(ini)
            assignee = ini.approval.assignees[0] if ini.approval else None
            staff = next(s for s in ward.staff if s.person_id == assignee)
            key = f"w{team.index(ward)}-staff-{ward.staff.index(staff)}"
            targets.append((str(ini.id), key))
            if len(pending) == 200:
                app.save(*pending)
                pending = []
        if pending:
            app.save(*pending)
        return targets
    finally:
        app.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """gunicorn serving the app on a free port (no in-process worker)."""

    def __init__(
        self, env: dict[str, str], workers: int, threads: int, log: Path, cpus: str = ""
    ) -> None:
        self.port = free_port()
        self.log = log.open("w")
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        pinned = ["taskset", "--cpu-list", cpus] if cpus else []
        self.process = subprocess.Popen(
            [
                *pinned,
                gunicorn,
                "--config",
                "python:web.gunicorn_conf",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "web:create_app()",
            ],
            env={**os.environ, **env},
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status in (200, 503):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.2)

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def commands(
    port: int, settings: Settings, targets: list[tuple[str, str]], clients: int, seconds: float
) -> Run:
    """Each client posts report-progress to its own share of the initiatives."""
    tokens = {key: issue_token(settings, key, ttl=3600) for _, key in targets}
    shares = [targets[n::clients] for n in range(clients)]

    def make(n: int) -> Callable[[], bool]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = shares[n]
        counter = [0]

        def post() -> bool:
            initiative, key = mine[counter[0] % len(mine)]
            counter[0] += 1
            body = json.dumps(
                {"period": f"Kỳ {counter[0]}", "progress": "Đúng tiến độ", "issues": ""}
            )
            conn.request(
                "POST",
                f"/api/v1/initiatives/{initiative}/report-progress",
                body=body.encode(),
                headers={
                    "Authorization": f"Bearer {tokens[key]}",
                    "Content-Type": "application/json",
                },
            )
            answer = conn.getresponse()
            answer.read()
            return answer.status == 200

        return post

    return hammer(clients, seconds, make)


def measure(
    backend: str,
    clients: int,
    seconds: float,
    repeats: int,
    workers: int,
    threads: int,
    server_cpus: str = "",
) -> dict[str, Any]:
    """Raw and command runs, alternated, `repeats` times each."""
    folder = Path(tempfile.mkdtemp())
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    if backend == "postgresql":
        storage = Storage.from_url(PG_URL, schema)
        env = {"DATABASE_URL": PG_URL, "DATABASE_SCHEMA": schema}
    else:
        url = f"sqlite:///{folder}/ledger.sqlite3"
        storage = Storage.from_url(url)
        env = {"DATABASE_URL": url, "DATABASE_SCHEMA": ""}
    env |= {"JWT_SECRET": SECRET, "IN_PROCESS_WORKER": "0", "ACT_KEY_FILE": "var/act-key"}
    targets = prepare(storage, max(clients * 20, 200), 20)
    settings = Settings.load(env)
    server = Server(env, workers, threads, folder / "gunicorn.log", server_cpus)
    raws, runs, library, grouped = [], [], [], []
    try:
        commands(server.port, settings, targets, clients, 2)  # warm up every worker
        for n in range(repeats):
            if backend == "postgresql":
                raws.append(raw_postgres(PG_URL, schema, clients, seconds))
            else:
                raws.append(raw_sqlite(folder / "raw.sqlite3", clients, seconds))
            runs.append(commands(server.port, settings, targets, clients, seconds))
            saves = ""
            if backend == "postgresql":
                library.append(store_saves(storage, clients, seconds, LIBRARY_RECORDER))
                grouped.append(store_saves(storage, clients, seconds))
                saves = (
                    f", store saves {library[-1].rate:,.0f}/s eventsourcing's,"
                    f" {grouped[-1].rate:,.0f}/s grouped (p99 {library[-1].pct(0.99):.1f},"
                    f" {grouped[-1].pct(0.99):.1f} ms)"
                )
            click.echo(
                f"  {backend} run {n + 1}: raw {raws[-1].rate:,.0f}/s,"
                f" commands {runs[-1].rate:,.0f}/s (p99 {runs[-1].pct(0.99):.1f} ms,"
                f" errors {runs[-1].errors}){saves}",
                err=True,
            )
    finally:
        server.close()
        if backend == "postgresql":
            storage.drop_all()
        shutil.rmtree(folder, ignore_errors=True)
    return summary(raws, runs, library, grouped)


def summary(
    raws: list[Run], runs: list[Run], library: Sequence[Run] = (), grouped: Sequence[Run] = ()
) -> dict[str, Any]:
    def med(values: list[float]) -> float:
        return statistics.median(values) if values else 0.0

    return {
        "library_rate": med([r.rate for r in library]),
        "library_p99": med([r.pct(0.99) for r in library]),
        "grouped_rate": med([r.rate for r in grouped]),
        "grouped_p99": med([r.pct(0.99) for r in grouped]),
        "raw_rate": med([r.rate for r in raws]),
        "raw_p50": med([r.pct(0.5) for r in raws]),
        "raw_p99": med([r.pct(0.99) for r in raws]),
        "rate": med([r.rate for r in runs]),
        "rate_range": (min(r.rate for r in runs), max(r.rate for r in runs)),
        "p50": med([r.pct(0.5) for r in runs]),
        "p95": med([r.pct(0.95) for r in runs]),
        "p99": med([r.pct(0.99) for r in runs]),
        "errors": sum(r.errors for r in runs),
        "runs": len(runs),
    }


def table(results: dict[str, dict[str, Any]], clients: int) -> list[str]:
    lines = [
        "| backend | clients | raw INSERT+COMMIT/s (p50/p99 ms) | commands/s | commands ÷ raw"
        " | command latency ms p50/p95/p99 | range of commands/s | errors"
        " | store saves/s, eventsourcing's → grouped (p99 ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {clients} | {r['raw_rate']:,.0f} ({r['raw_p50']:.1f}/{r['raw_p99']:.1f})"
            f" | {r['rate']:,.0f} | {r['rate'] / r['raw_rate']:.2f} |"
            f" {r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f} |"
            f" {r['rate_range'][0]:,.0f} to {r['rate_range'][1]:,.0f} | {r['errors']} |"
            f" {store_saves_cell(r)} |"
        )
    return lines


def store_saves_cell(r: dict[str, Any]) -> str:
    if not r["library_rate"]:
        return "—"
    return (
        f"{r['library_rate']:,.0f} ({r['library_p99']:.1f}) →"
        f" {r['grouped_rate']:,.0f} ({r['grouped_p99']:.1f})"
    )


@click.command()
@click.option("--clients", default=8, show_default=True)
@click.option("--seconds", default=15.0, show_default=True)
@click.option("--repeats", default=3, show_default=True)
@click.option("--workers", default=4, show_default=True, help="gunicorn worker processes")
@click.option("--threads", default=4, show_default=True, help="threads per gunicorn worker")
@click.option("--backend", type=click.Choice(["sqlite", "postgresql", "both"]), default="both")
@click.option(
    "--server-cpus",
    default="",
    help="run gunicorn on these CPUs only (taskset's list, e.g. 0); start the load generator"
    " itself under `taskset --cpu-list 1` to give it its own",
)
def main(
    clients: int,
    seconds: float,
    repeats: int,
    workers: int,
    threads: int,
    backend: str,
    server_cpus: str,
) -> None:
    """Measure commands over HTTP against the raw commit ceiling."""
    chosen = ["postgresql", "sqlite"] if backend == "both" else [backend]
    results = {
        name: measure(name, clients, seconds, repeats, workers, threads, server_cpus)
        for name in chosen
    }
    click.echo("\n".join(table(results, clients)))


if __name__ == "__main__":
    main()
