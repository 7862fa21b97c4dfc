"""The results of full verifications (`ledger verify log` and the ledger page), kept in order.

Insert-only: each run adds a row; the ledger page shows the last one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from projections.db import Database
from projections.ledger.check import LogReport


def record(db: Database, report: LogReport, at: datetime | None = None) -> None:
    """Keep the result of one full verification (at the wall clock's time by default: when
    it ran, which orders the results)."""
    at = at or datetime.now(tz=UTC)
    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO ledger_verifications (verified_at, ok, events, leaves, checkpoints,"
            " problems) VALUES (?, ?, ?, ?, ?, ?)",
            [
                at.isoformat(),
                report.ok,
                report.events,
                report.leaves,
                report.checkpoints,
                json.dumps(report.problems[:100], ensure_ascii=False),
            ],
        )


def latest(db: Database) -> dict[str, Any] | None:
    """The last verification's result, or None before the first."""
    rows = db.query(
        "SELECT verified_at, ok, events, leaves, checkpoints, problems FROM ledger_verifications"
        " ORDER BY verified_at DESC LIMIT 1"
    )
    if not rows:
        return None
    row = rows[0]
    return {**row, "ok": bool(row["ok"]), "problems": json.loads(row["problems"])}


def integrity(db: Database) -> dict[str, Any]:
    """The ledger's integrity as the service knows it: `failed` when the last full
    verification found anything or the sealer refused a row that is not an act; `ok` after a
    clean verification; `unverified` before the first."""
    last = latest(db)
    refused = db.query(
        "SELECT position, aggregate_id, version, reason FROM ledger_refused ORDER BY position"
        " LIMIT 20"
    )
    findings = [
        f"event {r['aggregate_id']} version {r['version']} at log position {r['position']}"
        f" is not an authenticated act ({r['reason']}); the sealer refused it"
        for r in refused
    ]
    if last is not None:
        findings += list(last["problems"])
    if refused or (last is not None and not last["ok"]):
        status = "failed"
    else:
        status = "ok" if last is not None else "unverified"
    return {
        "integrity": status,
        "last_verification": last["verified_at"] if last else None,
        "findings": findings[:20],
    }
