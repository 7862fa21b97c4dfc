"""The cost of a whole-dashboard answer `as_of` a past moment (cold build, cached answer).

    python -m bench.asof --events 100000 [--backend postgresql]

Generates a history, builds the live views, then asks for the read model as of the middle
and the end of the history: the first answer replays the log into private in-memory views
(cost grows with the log position); asking again hits the cache.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid

import click

from bench import application
from bench.generate import generate
from projections import queries
from projections.asof import AsOfViews
from projections.db import Database
from projections.storage import Storage
from projections.worker import Worker
from web.service import migrate

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@click.command()
@click.option("--events", default=100_000, show_default=True)
@click.option("--backend", type=click.Choice(["sqlite", "postgresql"]), default="sqlite")
def main(events: int, backend: str) -> None:
    """Time as-of dashboards."""
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
        Worker(app, live, batch_size=2000).catch_up()
        times = [
            r["recorded_at"]
            for r in live.query("SELECT recorded_at FROM iv_audit ORDER BY position")
        ]
        asof = AsOfViews(lambda: app, live)
        from datetime import datetime

        click.echo("| as of | log position | first answer (s) | events/s | cached answer (ms) |")
        click.echo("|---|---|---|---|---|")
        for label, moment in (("middle", times[len(times) // 2]), ("end", times[-1])):
            when = datetime.fromisoformat(moment)
            started = time.perf_counter()
            past = asof.at(when)
            queries.outcomes(past.db)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            again = asof.at(when)
            queries.outcomes(again.db)
            warm = (time.perf_counter() - started) * 1000
            position = past.meta["log_position"]
            click.echo(
                f"| {label} | {position:,} | {cold:.1f} | {position / cold:,.0f} | {warm:.1f} |"
            )
    finally:
        live.close()
        app.close()
        storage.drop_all()


if __name__ == "__main__":
    main()
