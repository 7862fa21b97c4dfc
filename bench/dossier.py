"""Dossier benchmark: one long initiative in a realistic log, its dossier streamed
(projections/ledger/dossier.py), without and with story.pdf (`?pdf=true`: the summary and the
first events printed by WeasyPrint).

    python -m bench.dossier --events 5000 --total 50000 [--repeats 3] [--builds streamed,pdf]

Builds, in a fresh PostgreSQL schema it drops afterwards (`--schema S` keeps it, and
`--schema S --initiative ID` measures again without building), a log of about `--total`
events: the synthetic directory of 200 wards, initiatives of about ten events each through the
real aggregate, and one initiative of `--events` events spread evenly among them (progress
reports by a ward officer, every tenth a supervision note by the ward's party committee: two
organisations' authority proofs). The worker seals the log and a checkpoint is signed. Then
each build runs `--repeats` times, each in a fresh process (one build's memory cannot hide
another's), after a dossier of a short initiative to warm up, and reports

* the raw baseline measured in the same process just before: reading the initiative's stored
  events (one SELECT through the event store);
* the time to the first byte of the ZIP and to its last; the ZIP is read chunk by chunk, as a
  client would, and dropped;
* the peak resident memory the build added (VmHWM reset before it) and, in a run of its own,
  the peak of Python's allocations (tracemalloc slows the build: that run is not timed).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from bench import application
from bench.generate import Ward, life, synthetic_directory
from domain.application import LedgerApplication
from domain.initiative import Initiative
from domain.values import Context
from projections.db import Database
from projections.ledger.dossier import stream_dossier
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer, LedgerStore
from projections.storage import Storage
from projections.worker import Worker, all_views, analyze
from web.service import migrate
from web.story_pdf import story_pdf

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
WARDS = 200


def say(text: str) -> None:
    click.echo(f"[{datetime.now(tz=UTC):%H:%M:%S}] {text}", err=True)


def build_log(app: LedgerApplication, total: int, events: int, seed: int = 7) -> UUID:
    """The directory, initiatives of about ten events up to `total` events, and one initiative
    of `events` events spread evenly among them (progress reports, a supervision note by the
    ward's party committee every tenth: two organisations' authority proofs); its id."""
    app.import_directory(synthetic_directory(WARDS), "bench")
    rng = random.Random(seed)
    team = [Ward(w, app) for w in range(WARDS)]
    begin = datetime(2025, 8, 1, 3, tzinfo=UTC)
    long, _ = life(team[0], rng, begin, "piloting", 0)
    proposer = next(a for a in team[0].staff if a.person_id == long.proposer_ids[0])
    app.save(long)
    added = max(1, events - long.version)
    background = total - (app.recorder.max_notification_id() or 0) - added
    others = 0
    when = begin + timedelta(days=60)
    for n in range(added):
        pending: list[Initiative] = []
        while others < background * (n + 1) // added:
            ini, count = life(rng.choice(team), rng, begin)
            pending.append(ini)
            others += count
        when += timedelta(minutes=30)
        if n % 10 == 9:
            ctx = Context(person_id=team[0].party.person_id, at=when, request_id="bench")
            long.record_supervision_note(team[0].party, ctx, "supervision", "Ổn", "", "", False)
        else:
            ctx = Context(person_id=proposer.person_id, at=when, request_id="bench")
            long.report_progress(proposer, ctx, f"Kỳ {n}", "Ổn", "")
        app.save(long, *pending)
    return long.id


def setup(storage: Storage, total: int, events: int) -> UUID:
    """A fresh schema with the log built, sealed, indexed and checkpointed."""
    storage.drop_all()
    migrate(storage)
    app = application(storage.eventsourcing_env())
    db = Database(storage)
    try:
        started = time.perf_counter()
        initiative = build_log(app, total, events)
        stored = app.recorder.max_notification_id() or 0
        say(f"generated {stored:,} events in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        Worker(app, db, batch_size=2000).catch_up()
        analyze(db, all_views())
        signer = Signer.generate("bench.example/ledger")
        Checkpointer(db, signer, "bench.example/ledger", 0).issue()
        say(f"sealed and checkpointed in {time.perf_counter() - started:.0f} s")
    finally:
        db.close()
        app.close()
    return initiative


def _status(field: str) -> int:
    """A field of /proc/self/status in bytes (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _consume(chunks: Iterable[bytes], started: float) -> tuple[float, int]:
    """Read a stream as a client would: the time of its first chunk, and its length."""
    first, size = 0.0, 0
    for chunk in chunks:
        if not first:
            first = time.perf_counter() - started
        size += len(chunk)
    return first, size


def measure(storage: Storage, initiative: UUID, build: str) -> dict[str, Any]:
    """One build in this process: raw baseline, first byte, total, memory."""
    app = application(storage.eventsourcing_env())
    db = Database(storage)
    store = LedgerStore(db)

    def run(of: UUID = initiative) -> tuple[float, int]:
        started = time.perf_counter()
        printer = story_pdf if build == "pdf" else None
        return _consume(stream_dossier(app, store, of, printer), started)

    try:
        # Warm: imports, the pools' connections, PostgreSQL's buffers, the code's first runs.
        app.recorder.select_events(initiative)
        short = db.query(
            f"SELECT originator_id AS id FROM {storage.events_table} WHERE topic ="
            " 'domain.initiative:Initiative.Evaluated' ORDER BY originator_id LIMIT 1"
        )
        run(UUID(str(short[0]["id"])))
        started = time.perf_counter()
        events = app.recorder.select_events(initiative)
        raw = time.perf_counter() - started
        del events
        before = _status("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        started = time.perf_counter()
        first, size = run()
        total = time.perf_counter() - started
        rss = _status("VmHWM") - before
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        db.close()
        app.close()
    return {
        "raw_s": raw,
        "first_byte_s": first,
        "total_s": total,
        "bytes": size,
        "rss_mb": rss / 2**20,
        "tracemalloc_mb": peak / 2**20,
    }


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def table(results: dict[str, list[dict[str, Any]]], events: int, stored: int) -> list[str]:
    """The markdown table of the medians."""
    lines = [
        f"Initiative of {events:,} events in a log of {stored:,} (PostgreSQL); medians of"
        f" {len(next(iter(results.values())))} runs, each in a fresh process.",
        "",
        "| build | raw read of its events (s) | first byte (s) | total (s), median (range) |"
        " ÷ raw | ZIP (MB) | peak RSS added (MB) | peak tracemalloc (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for build, runs in results.items():
        raw, total = _median(runs, "raw_s"), _median(runs, "total_s")
        low, high = min(r["total_s"] for r in runs), max(r["total_s"] for r in runs)
        lines.append(
            f"| {build} | {raw:.3f} | {_median(runs, 'first_byte_s'):.3f} |"
            f" {total:.2f} ({low:.2f} to {high:.2f}) | {total / raw:.0f} |"
            f" {_median(runs, 'bytes') / 2**20:.1f} | {_median(runs, 'rss_mb'):.1f} |"
            f" {_median(runs, 'tracemalloc_mb'):.1f} |"
        )
    return lines


def in_fresh_process(schema: str, initiative: UUID, build: str) -> dict[str, Any]:
    """`measure` in a fresh process."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.dossier",
            "--measure",
            build,
            "--schema",
            schema,
            "--initiative",
            str(initiative),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@click.command()
@click.option("--events", default=5000, show_default=True, help="events of the initiative")
@click.option("--total", default=50_000, show_default=True, help="events in the log")
@click.option("--repeats", default=3, show_default=True)
@click.option("--builds", default="streamed,pdf", show_default=True)
@click.option("--schema", default="", help="reuse this schema (kept); default: a fresh one")
@click.option("--initiative", default="", help="with --schema: the long initiative's id")
@click.option("--measure", "one", default="", hidden=True, help="internal: one build, JSON out")
def main(
    events: int,
    total: int,
    repeats: int,
    builds: str,
    schema: str,
    initiative: str,
    one: str,
) -> None:
    """Time the dossier of one long initiative, without and with story.pdf, beside a raw
    read."""
    if one:
        click.echo(json.dumps(measure(Storage.from_url(PG_URL, schema), UUID(initiative), one)))
        return
    keep = bool(schema)
    schema = schema or f"bench_dossier_{uuid.uuid4().hex[:8]}"
    storage = Storage.from_url(PG_URL, schema)
    try:
        if not initiative:
            initiative = str(setup(storage, total, events))
            say(f"schema {schema}, initiative {initiative}")
        db = Database(storage)
        stored = int(db.query("SELECT COUNT(*) AS n FROM ledger_leaves")[0]["n"])
        events = int(
            db.query(
                "SELECT COUNT(*) AS n FROM ledger_leaves WHERE aggregate_id = ?", (initiative,)
            )[0]["n"]
        )
        db.close()
        results: dict[str, list[dict[str, Any]]] = {}
        for build in builds.split(","):
            for n in range(repeats):
                results.setdefault(build, []).append(
                    in_fresh_process(schema, UUID(initiative), build)
                )
                say(f"{build} run {n + 1}: {results[build][-1]}")
        click.echo("\n".join(table(results, events, stored)))
    finally:
        if not keep:
            storage.drop_all()


if __name__ == "__main__":
    main()
