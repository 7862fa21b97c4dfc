"""Health while heavy reads run: the Procfile's server (2 gunicorn workers, 4 threads each) on a
generated history; 8 simultaneous `as_of` list requests, each at a distinct past moment (each
a replay of the log: the views' history is made to start after the last event, as in a store
upgraded to it and not rebuilt since), while `/api/health` is polled. Once with the bulkhead
as shipped (`HEAVY_READS=1` per process), once without it (`HEAVY_READS=8`: every thread may
replay).

    python -m bench.heavy --events 55000

Reports, for each: the heavy answers (status: count, slowest), and health's slowest and median
latency while they ran (the review saw 20.5 s with no bulkhead).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import click

from bench import application
from bench.generate import generate
from projections.db import Database
from projections.storage import Storage
from projections.worker import Worker
from web.auth import issue_token
from web.config import Settings
from web.service import migrate

SECRET = "bench-secret-" + "x" * 40


def _get(url: str, token: str, timeout: float = 120) -> tuple[int, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        status = int(error.code)
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _round(url: str, env: dict[str, str], token: str, moments: list[str]) -> dict[str, object]:
    port = _port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--config", "python:web.gunicorn_conf", "--workers", "2"]
    command += ["--threads", "4", "--bind", f"127.0.0.1:{port}", "web:create_app()"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(f"{base}/api/health", token, 2)[0] != 200:
            if time.monotonic() > deadline:
                raise click.ClickException("the server did not start")
            time.sleep(0.2)
        heavy: list[tuple[int, float]] = []
        gate = threading.Barrier(len(moments) + 1)

        def replay(moment: str) -> None:
            gate.wait()
            heavy.append(_get(f"{base}/api/v1/initiatives?as_of={quote(moment)}", token))

        threads = [threading.Thread(target=replay, args=(m,)) for m in moments]
        for thread in threads:
            thread.start()
        gate.wait()
        health: list[float] = []
        while any(t.is_alive() for t in threads):
            status, seconds = _get(f"{base}/api/health", token)
            health.append(seconds if status == 200 else float("inf"))
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "answers": dict(Counter(status for status, _ in heavy)),
        "slowest heavy (s)": round(max(s for _, s in heavy), 2),
        "health max (s)": round(max(health), 3),
        "health median (s)": round(statistics.median(health), 3),
        "health polls": len(health),
    }


@click.command()
@click.option("--events", default=55_000, show_default=True)
def main(events: int) -> None:
    """Health latency under 8 heavy reads, with and without the bulkhead (SQLite)."""
    folder = Path(tempfile.mkdtemp())
    storage = Storage.from_url(f"sqlite:///{folder}/heavy.sqlite3")
    migrate(storage)
    app = application(storage.eventsourcing_env())
    live = Database(storage)
    try:
        started = time.perf_counter()
        generate(app, events)
        Worker(app, live, batch_size=2000).catch_up()
        click.echo(f"generated {events:,} events in {time.perf_counter() - started:.0f} s")
        times = [r["recorded_at"] for r in live.query("SELECT recorded_at FROM iv_audit")]
        times.sort()
        step = len(times) // 9
        moments = [datetime.fromisoformat(times[step * (i + 1)]).isoformat() for i in range(8)]
        person = live.query(
            "SELECT id FROM dir_people WHERE to_position IS NULL ORDER BY id LIMIT 1"
        )[0]["id"]
        # A moment the views' history does not cover is replayed (web.api.past_point): the
        # lists' own past is read from the history, which is not a heavy read.
        with live.transaction() as tx:
            tx.execute("DELETE FROM view_history WHERE view = 'directory'")
            tx.execute(
                "INSERT INTO view_history (view, since) VALUES ('directory', ?)",
                ((app.recorder.max_notification_id() or 0) + 1,),
            )
    finally:
        live.close()
        app.close()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/heavy.sqlite3",
        "JWT_SECRET": SECRET,
        "RATE_LIMIT_HEAVY": "off",
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    token = issue_token(Settings.load({"JWT_SECRET": SECRET}), str(person))
    click.echo(
        "| heavy-read slots per process | wait for a slot (s) | answers | slowest heavy (s)"
        " | health max (s) | health median (s) | health polls |"
    )
    click.echo("|---|---|---|---|---|---|---|")
    for slots, wait in (("1", "0"), ("1", "2"), ("8", "0")):
        result = _round("", {**env, "HEAVY_READS": slots, "HEAVY_WAIT": wait}, token, moments)
        click.echo(
            f"| {slots} | {wait} | {result['answers']} | {result['slowest heavy (s)']} "
            f"| {result['health max (s)']} | {result['health median (s)']} "
            f"| {result['health polls']} |"
        )


if __name__ == "__main__":
    main()
