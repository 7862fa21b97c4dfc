"""Ledger benchmark: sealing rate against raw SHA-256 in the same run; proof latency.

    python -m bench.ledger --leaves 1000000 --backend postgresql

Seals synthetic stored records (realistic 600-byte states) through the worker's sealing
view into a fresh store, in batches of 5,000 leaves committed like the worker commits them,
then times inclusion and consistency proofs at that size (median, p95, p99 of 300 each).
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import tempfile
import time
import uuid

import click

from projections.db import Database
from projections.ledger import leaf
from projections.ledger.sealing import SealingView
from projections.ledger.store import LedgerStore
from projections.storage import Storage
from projections.view import Change
from web.service import migrate

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
STATE = (
    '{"timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},'
    '"actor":{"person_id":"9f0bc5b7-26ae-513a-9204-f6a5802d2d3a","name":"Nguyễn Thị Hồng",'
    '"role":"head","organisation_id":"1854d6d9-6b0d-596b-aa82-3dd178305019"},'
    '"request_id":"b1c2","basis":"majority","decision_document":"QĐ 215/QĐ-UBND",'
    '"justification":"","approval":{"scope":"Phường Bến Thành","resources":"3 công chức",'
    '"directions":"Báo cáo tiến độ hằng tháng cho Chủ tịch UBND phường"}}'
).encode()


class _Event:
    def __init__(self, originator_id: uuid.UUID, version: int) -> None:
        self.originator_id = originator_id
        self.originator_version = version


def records(n: int) -> list[leaf.StoredRecord]:
    ids = [uuid.uuid4() for _ in range(max(1, n // 25))]
    return [
        leaf.StoredRecord(
            ids[i % len(ids)],
            i // len(ids) + 1,
            "domain.initiative:Initiative.ProgressReported",
            STATE,
        )
        for i in range(n)
    ]


def raw_hash_rate(batch: list[leaf.StoredRecord]) -> float:
    """SHA-256 of the same leaf inputs, nothing else (the raw limit of sealing)."""
    inputs = [leaf.encode(r) for r in batch]
    started = time.perf_counter()
    for data in inputs:
        hashlib.sha256(b"\x00" + data).digest()
    return len(inputs) / (time.perf_counter() - started)


def seal(db: Database, batch: list[leaf.StoredRecord], size: int = 5000) -> float:
    view = SealingView()
    view.sync(db)
    started = time.perf_counter()
    for start in range(0, len(batch), size):
        changes = [
            Change(
                start + i + 1,
                _Event(r.aggregate_id, r.version),  # type: ignore[arg-type]
                None,
                r.state,
                r.topic,
            )
            for i, r in enumerate(batch[start : start + size])
        ]
        with db.transaction() as tx:
            view.apply(tx, changes)
    return len(batch) / (time.perf_counter() - started)


def latency_ms(run: object, samples: int = 300) -> tuple[float, float, float]:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return (statistics.median(times), times[int(len(times) * 0.95)], times[int(len(times) * 0.99)])


@click.command()
@click.option("--leaves", default=1_000_000, show_default=True)
@click.option("--backend", type=click.Choice(["sqlite", "postgresql", "both"]), default="both")
def main(leaves: int, backend: str) -> None:
    """Measure sealing and proofs."""
    batch = records(leaves)
    raw = raw_hash_rate(batch[:100_000])
    click.echo(f"raw SHA-256 of the leaf inputs: {raw:,.0f} leaves/s", err=True)
    rows = []
    stores = []
    if backend in ("sqlite", "both"):
        stores.append(("SQLite", Storage.from_url(f"sqlite:///{tempfile.mkdtemp()}/l.sqlite3")))
    if backend in ("postgresql", "both"):
        stores.append(("PostgreSQL", Storage.from_url(PG_URL, f"bench_{uuid.uuid4().hex[:8]}")))
    rng = random.Random(3)
    for name, storage in stores:
        storage.drop_all()
        migrate(storage)
        db = Database(storage)
        try:
            rate = seal(db, batch)
            click.echo(f"{name}: sealed {leaves:,} leaves at {rate:,.0f}/s", err=True)
            store = LedgerStore(db)
            inclusion = latency_ms(lambda s=store: s.inclusion(rng.randrange(leaves), leaves))
            consistency = latency_ms(
                lambda s=store: s.consistency(rng.randrange(1, leaves), leaves)
            )
            rows.append((name, rate, inclusion, consistency))
        finally:
            db.close()
            storage.drop_all()
    click.echo(f"Raw SHA-256 of the same leaf inputs (first 100,000): {raw:,.0f} leaves/s.\n")
    click.echo(
        "| backend | sealing (leaves/s) | sealing ÷ raw hash | inclusion proof ms"
        " (p50/p95/p99) | consistency proof ms (p50/p95/p99) |"
    )
    click.echo("|---|---|---|---|---|")
    for name, rate, inc, con in rows:
        click.echo(
            f"| {name} | {rate:,.0f} | {rate / raw:.3f} | {inc[0]:.2f} / {inc[1]:.2f} /"
            f" {inc[2]:.2f} | {con[0]:.2f} / {con[1]:.2f} / {con[2]:.2f} |"
        )


if __name__ == "__main__":
    main()
