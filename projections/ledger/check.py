"""Full verification of the stored ledger against the event store (`ledger verify log`).

Recomputes every leaf from the stored events in log order, compares it with the sealed leaf,
recomputes the root at every checkpoint's size and checks its signature; names the first
event that no longer matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.db import Database
from projections.ledger import leaf, merkle
from projections.ledger.note import NoteError, Verifier, verify_checkpoint


@dataclass
class LogReport:
    """What a full verification found."""

    events: int = 0
    leaves: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No event, leaf or checkpoint disagrees."""
        return not self.problems


def verify_log(
    app: Application[UUID],
    db: Database,
    verifier: Verifier | None,
    progress: Callable[[int], None] | None = None,
    page: int = 2000,
) -> LogReport:
    """Compare the ledger with what the event store holds now."""
    report = LogReport()
    checkpoints = {
        int(r["size"]): r for r in db.query("SELECT size, root, note FROM ledger_checkpoints")
    }
    frontier: list[tuple[int, bytes]] = []
    start = 0
    first_bad: str | None = None
    while True:
        leaves = db.query(
            "SELECT idx, position, aggregate_id, version, leaf_hash FROM ledger_leaves"
            " WHERE idx >= ? ORDER BY idx LIMIT ?",
            (start, page),
        )
        if not leaves:
            break
        positions = [int(r["position"]) for r in leaves]
        stored = {
            n.id: n
            for n in app.recorder.select_notifications(
                start=positions[0], limit=page, stop=positions[-1]
            )
        }
        for row in leaves:
            index = int(row["idx"])
            if index != report.leaves:
                report.problems.append(f"leaf {report.leaves} is missing from the ledger")
                return report
            notification = stored.get(int(row["position"]))
            recomputed = None
            if notification is not None:
                recomputed = merkle.leaf_hash(
                    leaf.encode(
                        leaf.StoredRecord(
                            UUID(str(notification.originator_id)),
                            notification.originator_version,
                            notification.topic,
                            _as_bytes(notification.state),
                        )
                    )
                )
            sealed = bytes(row["leaf_hash"])
            if first_bad is None and recomputed != sealed:
                what = "was removed" if notification is None else "no longer matches its leaf"
                first_bad = (
                    f"event {row['aggregate_id']} version {row['version']} at log"
                    f" position {row['position']} (leaf {index}) {what}"
                )
                report.problems.append(first_bad)
            _push(frontier, recomputed or sealed)
            report.leaves += 1
            if report.leaves in checkpoints:
                _check_checkpoint(checkpoints[report.leaves], frontier, verifier, report)
        report.events = report.leaves
        start = report.leaves
        if progress:
            progress(report.leaves)
    missing = sorted(set(checkpoints) - set(range(1, report.leaves + 1)))
    for size in missing:
        report.problems.append(f"checkpoint of size {size} exceeds the {report.leaves} leaves")
    return report


def _as_bytes(state: object) -> bytes:
    """Stored state as bytes, even if someone rewrote the column with another type."""
    return state if isinstance(state, bytes) else str(state).encode("utf-8")


def _push(frontier: list[tuple[int, bytes]], digest: bytes) -> None:
    frontier.append((0, digest))
    while len(frontier) > 1 and frontier[-1][0] == frontier[-2][0]:
        level, right = frontier.pop()
        _, left = frontier.pop()
        frontier.append((level + 1, merkle.node_hash(left, right)))


def _check_checkpoint(
    row: dict[str, Any],
    frontier: list[tuple[int, bytes]],
    verifier: Verifier | None,
    report: LogReport,
) -> None:
    report.checkpoints += 1
    size = int(str(row["size"]))
    root = merkle.fold([h for _, h in frontier])
    if root != bytes(row["root"]):
        report.problems.append(f"checkpoint of size {size}: the events no longer give its root")
    if verifier is not None:
        try:
            checkpoint = verify_checkpoint(str(row["note"]), verifier)
        except NoteError as error:
            report.problems.append(f"checkpoint of size {size}: {error}")
            return
        if checkpoint.size != size or checkpoint.root != root:
            report.problems.append(f"checkpoint of size {size}: the signed note disagrees")
