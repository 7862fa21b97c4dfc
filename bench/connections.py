"""PostgreSQL connections held by the Procfile's processes, counted in pg_stat_activity.

    python -m bench.connections [--workers 2] [--threads 4] [--clients 8] [--seconds 5]

Starts the Procfile's setup against a fresh schema — gunicorn (`--workers` by `--threads`) and
`ledger worker` — drives it with `clients` concurrent HTTP clients (each alternating a command
and a list read) for `seconds`, and counts the sessions each process holds: after the start,
during the load, just after it and `--idle` seconds later. Sessions are told apart by libpq's
`application_name` (PGAPPNAME) and by the process at the other end of each socket.
docs/performance.md "Connections" has the figures.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import click

from bench.commands import PG_URL, SECRET, Server, prepare
from projections.storage import Storage
from web.auth import issue_token
from web.config import Settings

APP_NAME = "ledger-connections-"


def sessions(storage: Storage) -> list[dict[str, Any]]:
    """The sessions of the measured processes (their application_name), but this one."""
    with storage.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, state, client_port, query FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name LIKE %s"
            " AND pid <> pg_backend_pid()",
            (f"{APP_NAME}%",),
        )
        return [
            {"app": app, "state": state, "port": port, "pool": pool_of(query)}
            for app, state, port, query in cursor.fetchall()
        ]


def pool_of(query: str) -> str:
    """Whose session it is, told by the last statement it ran."""
    if query.startswith("LISTEN"):
        return "listener"
    if "ledger_events" in query or "ledger_snapshots" in query or "idle_in_transaction" in query:
        return "event store"
    return "views"


def owners() -> dict[int, int]:
    """Local TCP port → pid of the process owning the socket (from `ss -tnp`)."""
    found: dict[int, int] = {}
    listing = subprocess.run(["ss", "-tnp"], capture_output=True, text=True, check=False)
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) < 6 or "pid=" not in line:
            continue
        port = fields[3].rsplit(":", 1)[-1]
        pid = re.search(r"pid=(\d+)", line)
        if port.isdigit() and pid:
            found[int(port)] = int(pid.group(1))
    return found


def count(storage: Storage, names: dict[int, str]) -> dict[str, Any]:
    """Sessions per process (named by `names`, pid → name) and per state."""
    rows = sessions(storage)
    ports = owners()
    per_process = Counter(
        names.get(ports.get(row["port"] or -1, -1), row["app"].removeprefix(APP_NAME))
        + f" ({row['pool']})"
        for row in rows
    )
    return {
        "total": len(rows),
        "idle": sum(1 for row in rows if row["state"] == "idle"),
        "per_process": dict(sorted(per_process.items())),
        "per_state": dict(Counter(row["state"] or "?" for row in rows)),
    }


def load(
    port: int, settings: Settings, targets: list[tuple[str, str]], clients: int, seconds: float
) -> int:
    """`clients` clients alternating a command and a list read; answers given."""
    tokens = {key: issue_token(settings, key, ttl=3600) for _, key in targets}
    shares = [targets[n::clients] for n in range(clients)]
    answered = [0] * clients
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        step = 0
        while time.monotonic() < deadline:
            # A new connection each time, so that gunicorn's workers share the load.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            initiative, key = shares[n][step % len(shares[n])]
            headers = {"Authorization": f"Bearer {tokens[key]}"}
            if step % 2:
                conn.request("GET", "/api/v1/initiatives?limit=5", headers=headers)
            else:
                body = {"period": f"Kỳ {step}", "progress": "Đúng tiến độ", "issues": ""}
                conn.request(
                    "POST",
                    f"/api/v1/initiatives/{initiative}/report-progress",
                    body=json.dumps(body).encode(),
                    headers={**headers, "Content-Type": "application/json"},
                )
            answer = conn.getresponse()
            answer.read()
            answered[n] += answer.status < 500
            conn.close()
            step += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(answered)


def children(pid: int) -> list[int]:
    """The child processes of `pid` (gunicorn's workers)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@click.command()
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes")
@click.option("--threads", default=4, show_default=True, help="threads per gunicorn worker")
@click.option("--clients", default=8, show_default=True, help="concurrent HTTP clients")
@click.option("--seconds", default=5.0, show_default=True, help="seconds of load")
@click.option(
    "--idle", default=130.0, show_default=True, help="seconds idle before the last count"
)
def main(workers: int, threads: int, clients: int, seconds: float, idle: float) -> None:
    """Count the connections of gunicorn and the worker, under load and idle."""
    folder = Path(tempfile.mkdtemp())
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    storage = Storage.from_url(PG_URL, schema)
    env = {
        "DATABASE_URL": PG_URL,
        "DATABASE_SCHEMA": schema,
        "JWT_SECRET": SECRET,
        "IN_PROCESS_WORKER": "0",
        "ACT_KEY_FILE": str(folder / "act-key"),
    }
    os.environ["ACT_KEY_FILE"] = env["ACT_KEY_FILE"]  # bench.application signs with it
    targets = prepare(storage, 200, 20)
    settings = Settings.load(env)
    worker_log = (folder / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "ledger"), "worker"],
        env={**os.environ, **env, "PGAPPNAME": f"{APP_NAME}worker"},
        stdout=worker_log,
        stderr=worker_log,
    )
    server = Server(
        {**env, "PGAPPNAME": f"{APP_NAME}web"}, workers, threads, folder / "gunicorn.log"
    )
    try:
        names = {worker.pid: "worker"}
        for n, pid in enumerate(sorted(children(server.process.pid)), 1):
            names[pid] = f"web {n}"
        started = count(storage, names)
        busy: dict[str, Any] = {}

        def sample() -> None:
            time.sleep(seconds * 0.8)
            busy.update(count(storage, names))

        sampler = threading.Thread(target=sample)
        sampler.start()
        answered = load(server.port, settings, targets, clients, seconds)
        sampler.join()
        time.sleep(2)
        after = count(storage, names)
        time.sleep(max(0.0, idle - 2))
        report = {
            "workers": workers,
            "threads": threads,
            "clients": clients,
            "answered": answered,
            "after start": started,
            "under load": busy,
            "2 s after the load": after,
            f"{idle:g} s after the load": count(storage, names),
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    finally:
        server.close()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        worker_log.close()
        storage.drop_all()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
