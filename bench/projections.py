"""Projection catch-up rate against a raw baseline measured in the same run.

    python -m bench.projections --events 200000 --report docs/bench-projections.md

For each backend: generate the history once, then, three times each, (a) the raw baseline —
read every notification page by page and decode it into a domain event, writing nothing —
and (b) a full rebuild of every view by the worker. Reports events/s (median of the runs)
and the ratio (b)/(a).
"""

from __future__ import annotations

import functools
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import click
import psycopg

from bench import application
from bench.generate import generate
from domain.application import LedgerApplication
from projections import parallel
from projections.db import Database
from projections.storage import Storage
from projections.worker import BATCH, SQLITE_BATCH, Worker, all_views, rebuildable
from web.service import migrate

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def timed(run: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    count = run()
    return count, time.perf_counter() - started


def baseline(app: LedgerApplication, page: int = 1000) -> int:
    """Read and decode every notification; write nothing."""
    start, count = 1, 0
    while True:
        notifications = app.recorder.select_notifications(start=start, limit=page)
        for n in notifications:
            app.mapper.to_domain_event(n)
        count += len(notifications)
        if len(notifications) < page:
            return count
        start = notifications[-1].id + 1


def cold(
    fresh: Callable[[], LedgerApplication], run: Callable[[LedgerApplication], int]
) -> tuple[int, float]:
    """`run` timed on a new application (closed after), as in a new process: it remembers no
    act signature checked before."""
    app = fresh()
    try:
        return timed(lambda: run(app))
    finally:
        app.close()


def rebuild(
    app: LedgerApplication, db: Database, batch: int | None, processes: int | None = None
) -> int:
    """`ledger projections rebuild` of every rebuildable view: in partitions on PostgreSQL
    (projections/parallel.py), the counts derived and the tables vacuumed and analysed after."""
    return parallel.rebuild(app, db, rebuildable(all_views()), processes, batch)


def measure(storage: Storage, events: int, repeats: int, batch: int | None) -> dict[str, float]:
    storage.drop_all()
    migrate(storage)
    app = application(storage.eventsourcing_env())
    db = Database(storage)
    try:
        stored, seconds = timed(lambda: generate(app, events))
        click.echo(f"  generated {stored:,} events in {seconds:.1f} s", err=True)
        count, seconds = timed(lambda: Worker(app, db, batch_size=batch).catch_up())
        with_ledger = count / seconds
        click.echo(f"  first build, ledger sealing included: {with_ledger:,.0f}/s", err=True)
        raw, built = [], []
        fresh = functools.partial(application, storage.eventsourcing_env())
        for n in range(repeats):
            count, seconds = cold(fresh, baseline)
            raw.append(count / seconds)
            count, seconds = cold(fresh, lambda cold_app: rebuild(cold_app, db, batch))
            built.append(count / seconds)
            click.echo(
                f"  run {n + 1}: baseline {raw[-1]:,.0f}/s, rebuild {built[-1]:,.0f}/s", err=True
            )
        return {
            "events": stored,
            "baseline": statistics.median(raw),
            "rebuild": statistics.median(built),
            "rebuild_min": min(built),
            "rebuild_max": max(built),
            "with_ledger": with_ledger,
        }
    finally:
        db.close()
        app.close()
        storage.drop_all()


def postgres_settings() -> str:
    with Storage.from_url(PG_URL).connect() as conn:
        rows = [
            conn.execute(f"SHOW {name}").fetchone()
            for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")
        ]
    return ", ".join(str(r[0]) for r in rows if r)


@click.command()
@click.option("--events", default=200_000, show_default=True)
@click.option("--repeats", default=3, show_default=True)
@click.option(
    "--batch",
    type=int,
    help=f"Events a batch [default: the worker's, {BATCH:,} on PostgreSQL,"
    f" {SQLITE_BATCH:,} on SQLite].",
)
@click.option("--backend", type=click.Choice(["sqlite", "postgresql", "both"]), default="both")
@click.option("--report", type=click.Path(path_type=Path), help="Write the markdown here too.")
def main(events: int, repeats: int, batch: int | None, backend: str, report: Path | None) -> None:
    """Measure projection rebuild against the raw read-and-decode baseline."""
    results = {}
    if backend in ("sqlite", "both"):
        click.echo("SQLite", err=True)
        folder = tempfile.mkdtemp()
        results["SQLite"] = measure(
            Storage.from_url(f"sqlite:///{folder}/bench.sqlite3"), events, repeats, batch
        )
    if backend in ("postgresql", "both"):
        click.echo("PostgreSQL", err=True)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        results["PostgreSQL"] = measure(Storage.from_url(PG_URL, schema), events, repeats, batch)
    lines = [
        "| backend | events | raw read+decode (events/s) | worker rebuild (events/s) |"
        " rebuild ÷ raw | rebuild range | first build with ledger sealing (events/s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['events']:,.0f} | {r['baseline']:,.0f} | {r['rebuild']:,.0f} |"
            f" {r['rebuild'] / r['baseline']:.2f} | {r['rebuild_min']:,.0f} to "
            f"{r['rebuild_max']:,.0f} | {r['with_ledger']:,.0f} |"
        )
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python"
        f" {sys.version.split()[0]}, psycopg {psycopg.__version__}"
    )
    if "PostgreSQL" in results:
        machine += f"; PostgreSQL {postgres_settings()} (version, fsync, synchronous_commit,"
        machine += " shared_buffers)"
    size = batch or f"the worker's ({BATCH:,} on PostgreSQL, {SQLITE_BATCH:,} on SQLite)"
    text = "\n".join(
        [
            f"Machine: {machine}. Batch size {size}; median of {repeats} runs.",
            "",
            *lines,
            "",
        ]
    )
    click.echo(text)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
