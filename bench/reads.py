"""Reads a user waits on, each beside a raw query of the same data in the same run.

- initiative state (the application's `get_initiative`) for initiatives of 10, 1,000 and
  10,000 events, with the aggregate cache and without (no snapshots: docs/ledger.md
  §6); raw: fetch the aggregate's stored events with one SELECT;
- as-of state of the same initiatives (half-way through their history);
- dashboard and list queries over the views; raw: the primary-key lookup of one view row;
- the whole read model as of a past moment: the cold replay and the cached answer.

Run by `bench/run.py` on the store it generated; `timings` is reusable on any store.
"""

from __future__ import annotations

import functools
import gc
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.application import LedgerApplication
from domain.calendar import vietnam
from projections import due, queries, roll_ups, workdays
from projections.asof import AsOfViews
from projections.db import Database
from projections.queries import ReadScope


def timings(run: Callable[[], object], repeats: int) -> dict[str, float]:
    """p50/p95/p99 (ms) of `repeats` calls after one warm-up call."""
    run()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 of `samples` (ms)."""
    ordered = sorted(samples)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": statistics.median(ordered), "p95": pct(0.95), "p99": pct(0.99)}


def paired(
    first: Callable[[], object], second: Callable[[], object], calls: int
) -> tuple[dict[str, float], dict[str, float]]:
    """p50/p95/p99 (ms) of `calls` calls of each of `first` and `second`, made in turns (first
    then second, then second then first) after one warm-up call of each: whatever else the
    shared machine does meanwhile for longer than a pair of calls falls on both alike."""
    first()
    second()
    gc.collect()  # outside the timer: neither side pays for the garbage of what ran before
    runs = (first, second)
    samples: tuple[list[float], list[float]] = ([], [])
    for call in range(calls):
        for side in (0, 1) if call % 2 == 0 else (1, 0):
            started = time.perf_counter()
            runs[side]()
            samples[side].append((time.perf_counter() - started) * 1000)
    return percentiles(samples[0]), percentiles(samples[1])


def raw_events(db: Database, table: str, aggregate_id: UUID) -> Callable[[], object]:
    """One SELECT of an aggregate's stored events (no decoding)."""
    return lambda: db.query(
        f"SELECT originator_version, topic, state FROM {table} WHERE originator_id = ?"
        " ORDER BY originator_version",
        [str(aggregate_id)],
    )


def initiative_reads(
    app: LedgerApplication,
    plain: LedgerApplication,
    db: Database,
    table: str,
    sizes: dict[int, UUID],
    repeats: int,
) -> list[dict[str, Any]]:
    """State now (with and without the aggregate cache) and as of half-way, per size of history."""
    rows = []
    for size, initiative in sizes.items():
        history = app.get_history(initiative)
        middle = datetime.fromisoformat(str(history[len(history) // 2]["recorded_at"]))
        n = max(5, repeats // max(1, size // 100))
        rows.append(
            {
                "events": len(history),
                "raw": timings(raw_events(db, table, initiative), n),
                "cached": timings(functools.partial(app.get_initiative, initiative), n),
                "uncached": timings(functools.partial(plain.get_initiative, initiative), n),
                "as_of": timings(
                    functools.partial(app.get_initiative, initiative, as_of=middle), n
                ),
            }
        )
    return rows


def view_reads(
    db: Database, today: date, repeats: int, at: int | None = None
) -> dict[str, dict[str, float]]:
    """`view_queries`, each timed by `timings`."""
    return {
        name: timings(run, n) for name, (run, n) in view_queries(db, today, repeats, at).items()
    }


# A query of `view_queries`: the call, and how many times to time it.
Timed = tuple[Callable[[], object], int]


# The raw baseline of `view_queries`: one view row by its key, the same statement whatever `at`.
CONTROL = "raw: one view row by key"


def view_queries(
    db: Database, today: date, repeats: int, at: int | None = None
) -> dict[str, Timed]:
    """The dashboard and list queries the API and the pages run: now, or as of log position
    `at` (the views' history, the same tables), each with its number of calls (`repeats`, or a
    tenth of it, at least 5, for the whole province's every deadline in one answer). The inbox
    and the deadlines are the API's (projections/due.py: working days by SQL over the
    working-day table, which the first request of a deployment fills, here filled first), not
    the Python reference (`queries.inbox`, `queries.deadlines`) the tests compare them with."""
    calendar = vietnam()
    with db.transaction() as tx:
        workdays.fill(tx, calendar)
    busiest = db.query(
        "SELECT employing_organisation_id AS org, COUNT(*) AS n FROM iv_initiatives"
        " WHERE to_position IS NULL GROUP BY employing_organisation_id ORDER BY n DESC LIMIT 1"
    )[0]["org"]
    some = db.query("SELECT id FROM iv_initiatives WHERE to_position IS NULL ORDER BY id LIMIT 1")[
        0
    ]["id"]
    orgs = [o["id"] for o in queries.directory_organisations(db)]
    few = max(5, repeats // 10)
    return {
        CONTROL: (
            lambda: db.query(
                "SELECT * FROM iv_initiatives WHERE id = ? AND to_position IS NULL", [some]
            ),
            repeats,
        ),
        "list: newest 50": (
            lambda: queries.list_initiatives(db, {}, "-updated_at", 50, None, at),
            repeats,
        ),
        "list: one ward, in progress": (
            lambda: queries.list_initiatives(
                db,
                {"employing_organisation_id": busiest, "status": "in_progress"},
                "-updated_at",
                50,
                None,
                at,
            ),
            repeats,
        ),
        "list: search 'so hoa'": (
            lambda: queries.list_initiatives(db, {"q": "so hoa"}, "-updated_at", 50, None, at),
            repeats,
        ),
        "list: visible to a ward head": (
            lambda: queries.list_initiatives(
                db, {"visible_to": ([busiest], orgs[0])}, "-updated_at", 50, None, at
            ),
            repeats,
        ),
        "inbox of a ward": (lambda: due.inbox(db, busiest, today, calendar, None, at), repeats),
        "deadlines of a ward": (
            lambda: due.deadlines(db, today, calendar, ReadScope(busiest, at)),
            repeats,
        ),
        "deadlines, whole province": (
            lambda: due.deadlines(db, today, calendar, ReadScope(None, at)),
            few,
        ),
        "deadlines, whole province, a page of 100": (
            lambda: due.deadlines(db, today, calendar, ReadScope(None, at), due.Page(100)),
            repeats,
        ),
        "supervision coverage of a ward": (
            lambda: queries.supervision_coverage(db, today, 30, ReadScope(busiest, at)),
            repeats,
        ),
        "protection": (lambda: queries.protection(db, False, None, at), repeats),
        "outcomes, rolled up": (lambda: roll_ups.outcomes(db, at), repeats),
        "funnel of the city": (lambda: roll_ups.funnel(db, None, at), repeats),
    }


def as_of_dashboard(app: LedgerApplication, db: Database) -> dict[str, float]:
    """The whole read model half-way through the log: cold replay, then the cached answer."""
    moments = db.query(
        "SELECT recorded_at FROM iv_audit WHERE position = ?",
        [max(1, (app.recorder.max_notification_id() or 2) // 2)],
    )
    moment = datetime.fromisoformat(moments[0]["recorded_at"])
    views = AsOfViews(lambda: app, db)
    started = time.perf_counter()
    past = views.at(moment)
    cold = time.perf_counter() - started
    position = int(past.meta["log_position"])
    cached = timings(lambda: roll_ups.outcomes(views.at(moment).db), 20)
    return {"position": position, "cold_s": cold, "rate": position / cold, **cached}
