"""The dashboards cold and warm, beside the raw baseline of the same run (issue 18, item 4).

    python -m bench.dashboards --events 500000 [--repeats 100]

On a fresh PostgreSQL schema (BENCH_DATABASE_URL; dropped afterwards) holding a generated
history (bench/generate.py) and its views, for each dashboard question:

- before: the Python reference (`projections.queries`: working days counted per due date in
  Python) — the answer as it was computed before the answer cache;
- cold: the answer computed as a cache miss computes it now (`projections.due` for the inbox
  and the deadlines: working days by SQL over the working-day table); a miss then encodes it
  (`encode`: JSON, in proportion to its size) and queues it for the cache's thread;
- warm: a cache hit as `web/answers.py` serves it — the views' positions read, the stored
  JSON looked up by key and position and sent as it is (with its `as_of` member) — from the
  process's memory, and from the shared table (another process's answer: a fresh cache with
  nothing in memory);
- raw: one view row by primary key.

Not measured here: what every request costs whatever it asks (the JWT, the gate's directory
reads, marshmallow and the JSON response), the same for a cached answer and a small one.
`dashboard_reads` is also run by `bench.run` on its store.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import click

from bench import application
from bench.generate import generate
from bench.reads import timings
from bench.run import PG_URL, say, timed
from domain.calendar import vietnam
from domain.values import local_date
from projections import due, queries, roll_ups, workdays
from projections.answer_cache import AnswerCache, Entry
from projections.db import Database
from projections.queries import ReadScope
from projections.storage import Storage
from projections.worker import Worker, all_views, analyze
from web.answers import positions, with_as_of
from web.service import migrate

Question = tuple[str, Callable[[], Any], Callable[[], Any] | None]


def questions(db: Database, today: date) -> list[Question]:
    """Each dashboard question: its name, its answer now, the Python reference (if any)."""
    cal = vietnam()
    busiest = db.query(
        "SELECT addressee_id AS org, COUNT(*) AS n FROM iv_initiatives WHERE addressee_id IS NOT"
        " NULL AND to_position IS NULL GROUP BY addressee_id ORDER BY n DESC LIMIT 1"
    )[0]["org"]
    page = due.Page(100)
    return [
        (
            "inbox of the busiest ward",
            lambda: due.inbox(db, busiest, today, cal),
            lambda: queries.inbox(db, busiest, today, cal),
        ),
        ("inbox, a page of 100", lambda: due.inbox(db, busiest, today, cal, page), None),
        (
            "deadlines of a ward",
            lambda: due.deadlines(db, today, cal, ReadScope(busiest)),
            lambda: queries.deadlines(db, today, cal, ReadScope(busiest)),
        ),
        (
            "deadlines, whole province",
            lambda: due.deadlines(db, today, cal),
            lambda: queries.deadlines(db, today, cal),
        ),
        (
            "deadlines, whole province, a page of 100",
            lambda: due.deadlines(db, today, cal, page=page),
            None,
        ),
        (
            "supervision coverage of a ward",
            lambda: queries.supervision_coverage(db, today, 30, ReadScope(busiest)),
            None,
        ),
        ("outcomes, rolled up", lambda: roll_ups.outcomes(db), None),
        ("cadre records by year", lambda: queries.cadre_records(db, "year"), None),
        ("protection", lambda: queries.protection(db, False), None),
    ]


def dashboard_reads(db: Database, today: date, repeats: int) -> dict[str, dict[str, Any]]:
    """Per question: before, cold and warm timings (ms), the answer's size; and the raw
    baseline."""
    with db.transaction() as tx:
        workdays.fill(tx, vietnam())
    workdays.forget(db)
    some = db.query("SELECT id FROM iv_initiatives WHERE to_position IS NULL ORDER BY id LIMIT 1")[
        0
    ]["id"]
    found: dict[str, dict[str, Any]] = {
        "raw: one view row by key": {
            "warm": timings(
                lambda: db.query(
                    "SELECT * FROM iv_initiatives WHERE id = ? AND to_position IS NULL", [some]
                ),
                repeats,
            )
        }
    }
    cache = AnswerCache(db, 256 * 1024 * 1024, timedelta(days=1))
    for name, compute, reference in questions(db, today):
        say(f"dashboard: {name}")
        n = repeats if "whole province" not in name or "page" in name else max(5, repeats // 10)
        key = hashlib.sha256(name.encode()).hexdigest()

        computed = compute()

        def encode(value: Any = computed) -> bytes:  # a list is the answer's `items`
            body = {"items": value} if isinstance(value, list) else value
            return json.dumps(body, default=str).encode()

        answer = encode()
        position, head, _ = positions(db)
        cache.put(Entry(key, name, position, head, answer))
        cache.flush()

        def warm(into: AnswerCache = cache, k: str = key) -> list[bytes]:
            return with_as_of(into.get(k, positions(db)[0]) or b"{}", b"null")

        def shared(k: str = key) -> list[bytes]:
            fresh = AnswerCache(db, 256 * 1024 * 1024, timedelta(days=1), writes=False)
            return with_as_of(fresh.get(k, positions(db)[0]) or b"{}", b"null")

        sent = [json.loads(b"".join(chunks)) for chunks in (warm(), shared())]
        assert sent == [{**json.loads(answer), "as_of": None}] * 2
        found[name] = {
            "bytes": len(answer),
            "before": timings(reference, n) if reference else None,
            "cold": timings(compute, n),
            "encode": timings(encode, n),
            "warm": timings(warm, repeats),
            "shared": timings(shared, repeats),
        }
    return found


def table(found: dict[str, dict[str, Any]]) -> list[str]:
    """The figures as a markdown table (p95 ms; p50 in brackets)."""

    def cell(t: dict[str, float] | None) -> str:
        return "—" if t is None else f"{t['p95']:.1f} ({t['p50']:.1f})"

    lines = [
        "| dashboard | answer (KiB) | before | cold (miss) | + encode | warm: memory |"
        " warm: shared table |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in found.items():
        size = f"{r['bytes'] / 1024:,.0f}" if "bytes" in r else ""
        lines.append(
            f"| {name} | {size} | {cell(r.get('before'))} | {cell(r.get('cold'))} |"
            f" {cell(r.get('encode'))} | {cell(r['warm'])} | {cell(r.get('shared'))} |"
        )
    return lines


@click.command()
@click.option("--events", default=500_000, show_default=True)
@click.option("--repeats", default=100, show_default=True)
@click.option("--keep", is_flag=True, help="keep the schema (its name is printed)")
@click.option("--schema", "reuse", default="", help="time a schema kept before")
def main(events: int, repeats: int, keep: bool, reuse: str) -> None:
    """Generate a history, build its views, time every dashboard."""
    schema = reuse or f"bench_{uuid.uuid4().hex[:8]}"
    storage = Storage.from_url(PG_URL, schema)
    if not reuse:
        storage.drop_all()
    migrate(storage)
    app = application({**storage.eventsourcing_env(), "AGGREGATE_CACHE_MAXSIZE": ""})
    db = Database(storage)
    try:
        if not reuse:
            say(f"generating {events:,} events in schema {schema}")
            _, seconds = timed(lambda: generate(app, events))
            say(f"generated in {seconds:.0f} s; building the views")
            _, built = timed(lambda: Worker(app, db, batch_size=2000).catch_up())
            analyze(db, all_views())
            say(f"views built in {built:.0f} s")
        stored = app.recorder.max_notification_id() or 0
        initiatives = db.query(
            "SELECT COUNT(*) AS n FROM iv_initiatives WHERE to_position IS NULL"
        )[0]["n"]
        clocks = db.query(
            "SELECT COUNT(*) AS n FROM iv_clocks WHERE to_position IS NULL"
            " AND (finished_on IS NULL OR finished_on > due_on)"
        )[0]["n"]
        found = dashboard_reads(db, local_date(datetime.now(tz=UTC)), repeats)
        click.echo(
            f"{stored:,} events, {initiatives:,} initiatives, {clocks:,} open or late clocks;"
            f" p95 ms (p50), {repeats} calls each (a tenth for the whole province's whole answer)"
        )
        click.echo("\n".join(table(found)))
    finally:
        db.close()
        app.close()
        if not (keep or reuse):
            storage.drop_all()


if __name__ == "__main__":
    main()
