"""Dashboards and lists as of a past moment against the same reads now, in the same run.

    python -m bench.asof --events 50000 [--backend postgresql] [--repeats 50]

Generates a history, builds the live views (which keep their history: projections/history.py),
then times every converted list and dashboard now and as of 25 %, 50 % and 90 % of the log
(p95 in ms; the worst of the three past positions beside the present), and the peak of
Python's allocations while answering all of them once as of half-way. Beside them, the replay
the as-of answers used before (projections/asof.py, now the test oracle): its cold build
half-way and its peak allocations.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import date, datetime

import click

from bench import application
from bench.generate import generate
from bench.reads import view_reads
from projections.asof import AsOfViews
from projections.db import Database
from projections.storage import Storage
from projections.worker import Worker, all_views, analyze
from web.service import migrate

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
FRACTIONS = (0.25, 0.5, 0.9)


def peak_mib(run: Callable[[], object]) -> float:
    """The peak of Python's allocations (MiB) while `run` runs."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def day_of(db: Database, position: int) -> date:
    """The date of the event at `position` (the day an as-of answer counts working days to)."""
    rows = db.query(
        "SELECT recorded_at FROM iv_audit WHERE position <= ? ORDER BY position DESC LIMIT 1",
        [position],
    )
    return datetime.fromisoformat(rows[0]["recorded_at"]).date()


def readings(
    db: Database, head: int, positions: list[int], repeats: int
) -> tuple[dict[str, dict[str, float]], dict[int, dict[str, dict[str, float]]]]:
    """Each list and dashboard as of each of `positions` (the views' history), and now: timed
    again before each past moment, under the same load, each figure the median of those
    rounds (a single round's p95, set beside the worst of the past moments', made one slow
    burst of the shared machine a miss or a pass)."""
    rounds, past = [], {}
    for at in positions:
        rounds.append(view_reads(db, day_of(db, head), repeats))
        past[at] = view_reads(db, day_of(db, at), repeats, at)
    now = {
        name: {q: statistics.median(r[name][q] for r in rounds) for q in rounds[0][name]}
        for name in rounds[0]
    }
    return now, past


def worst_ratio(now: dict[str, float], past: list[dict[str, float]]) -> tuple[float, float]:
    """The worst past p95 of one query, and its ratio to the present's."""
    worst = max(figures["p95"] for figures in past)
    return worst, worst / now["p95"]


def moments(db: Database, head: int, count: int, repeats: int, seed: int = 18) -> list[str]:
    """The report's lines: each list and dashboard now and as of `count` log positions drawn
    at random (`seed`) from the past (the views' history, the same tables), with the worst
    past p95 beside the present's."""
    positions = sorted(random.Random(seed).sample(range(1, head), count))
    now, past = readings(db, head, positions, repeats)
    lines = [
        f"Lists and dashboards as of {count} random past moments (log positions"
        f" {', '.join(f'{at:,}' for at in positions)}; {repeats} calls each, fewer for the"
        " whole province's every deadline in one answer), from the views' history, beside the"
        " present (ms):",
        "",
        f"| query | now p50 / p95 (medians of {count} rounds, one before each moment) | past p50"
        " (median of the moments) / worst p95 | worst past p95 ÷ now p95 |",
        "|---|---|---|---|",
    ]
    met = 0
    for name, figures in now.items():
        worst, ratio = worst_ratio(figures, [past[at][name] for at in positions])
        middle = statistics.median(past[at][name]["p50"] for at in positions)
        met += ratio < 2
        lines.append(
            f"| {name} | {figures['p50']:.2f} / {figures['p95']:.2f} | {middle:.2f} /"
            f" {worst:.2f} | {ratio:.2f} |"
        )
    lines += ["", f"Target: past p95 under twice the present. Met for {met} of {len(now)}.", ""]
    return lines


@click.command()
@click.option("--events", default=50_000, show_default=True)
@click.option("--backend", type=click.Choice(["sqlite", "postgresql"]), default="postgresql")
@click.option("--repeats", default=50, show_default=True)
def main(events: int, backend: str, repeats: int) -> None:
    """Time as-of lists and dashboards against the present."""
    storage = (
        Storage.from_url(f"sqlite:///{tempfile.mkdtemp()}/a.sqlite3")
        if backend == "sqlite"
        else Storage.from_url(PG_URL, f"bench_{uuid.uuid4().hex[:8]}")
    )
    storage.drop_all()
    migrate(storage)
    app = application(storage.eventsourcing_env())
    live = Database(storage)
    try:
        generate(app, events)
        head = app.recorder.max_notification_id() or 0
        started = time.perf_counter()
        Worker(app, live, batch_size=2000).catch_up()
        build = time.perf_counter() - started
        analyze(live, all_views())
        versions = live.query(
            "SELECT COUNT(*) AS n, COUNT(to_position) AS closed FROM iv_initiatives"
        )[0]
        rows, current = int(versions["n"]), int(versions["n"]) - int(versions["closed"])
        click.echo(
            f"{head:,} events; first build {head / build:,.0f} events/s;"
            f" iv_initiatives {rows:,} rows of which {current:,} current"
        )
        positions = [int(head * f) for f in FRACTIONS]
        now, past = readings(live, head, positions, repeats)
        click.echo(
            "| query | now p50 / p95 | "
            + " | ".join(f"as of {f:.0%} p50 / p95" for f in FRACTIONS)
            + " | worst past p95 ÷ now p95 |"
        )
        click.echo("|---|---|" + "---|" * len(FRACTIONS) + "---|")
        for name, figures in now.items():
            then = [past[at][name] for at in positions]
            cells = [f"{t['p50']:.2f} / {t['p95']:.2f}" for t in then]
            _, ratio = worst_ratio(figures, then)
            click.echo(
                f"| {name} | {figures['p50']:.2f} / {figures['p95']:.2f} | {' | '.join(cells)}"
                f" | {ratio:.2f} |"
            )
        middle = head // 2
        sql_peak = peak_mib(lambda: view_reads(live, day_of(live, middle), 1, middle))
        replay = AsOfViews(lambda: app, live, cache_size=1)
        started = time.perf_counter()
        replay.replay(middle)
        cold = time.perf_counter() - started
        replay_peak = peak_mib(lambda: AsOfViews(lambda: app, live, cache_size=1).replay(middle))
        click.echo(
            f"as of half-way ({middle:,}): every query above once from the history, peak"
            f" {sql_peak:.1f} MiB allocated; the replay: {cold:.1f} s cold, peak"
            f" {replay_peak:.1f} MiB allocated"
        )
    finally:
        live.close()
        app.close()
        storage.drop_all()


if __name__ == "__main__":
    main()
