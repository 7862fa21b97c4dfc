"""Full verification of the stored ledger against the event store (`ledger verify log`).

It proves completeness, not only leaf equality, walking the event store and the ledger side by
side in log order:

* every stored event is exactly one leaf, in log order, with no leaf index skipped; an event
  the sealer refused (not an authenticated act) or skipped is named;
* every leaf is one stored event: a leaf whose event was removed is named;
* every stored event is an act signed with a known act key, and encodes to its sealed leaf;
* every stored interior node equals its recomputation from the sealed leaves, and there is no
  stored node the tree does not have;
* every signed checkpoint's root equals the tree of the sealed leaves at its size and the tree
  the events as stored now give, and its signature verifies.

Each finding names the event, leaf, node or checkpoint; `ok` is False on any finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from projections.db import Database
from projections.ledger import leaf, merkle
from projections.ledger.act_mapper import keys_of
from projections.ledger.acts import ActError, ActKeys, record_of
from projections.ledger.note import NoteError, Verifier, verify_checkpoint
from projections.ledger.sealing import tree_size

MAX_PROBLEMS = 1000


@dataclass
class LogReport:
    """What a full verification found."""

    events: int = 0
    leaves: int = 0
    checkpoints: int = 0
    nodes: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No event, leaf, node or checkpoint disagrees."""
        return not self.problems

    def problem(self, text: str) -> None:
        """Note one finding (the first MAX_PROBLEMS are kept, then a count)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("… and more findings (only the first 1000 are listed)")


class _Tree:
    """The right edge of a tree being rebuilt leaf by leaf; reports the nodes it completes."""

    def __init__(self) -> None:
        self.frontier: list[merkle.Node] = []

    def push(self, index: int, digest: bytes, completed: list[merkle.Node]) -> None:
        merkle.push(self.frontier, index, digest, completed)

    def root(self) -> bytes:
        return merkle.fold([h for _, _, h in self.frontier])


def _event_name(n: Notification) -> str:
    return (
        f"event {UUID(str(n.originator_id))} version {n.originator_version} at log position {n.id}"
    )


def verify_log(
    app: Application[UUID],
    db: Database,
    verifier: Verifier | None,
    progress: Callable[[int], None] | None = None,
    page: int = 2000,
) -> LogReport:
    """Compare the ledger with what the event store holds now (see the module's text)."""
    keys = keys_of(app.mapper)
    if keys is None:
        raise ValueError("verifying the log needs the act verifier keys")
    # The tree as it stands now; a sealer running meanwhile adds leaves this check leaves out.
    size = tree_size(db)
    walk = _Walk(db, keys, verifier, size, _checkpoints(db, size), _head_position(db, size))
    report = walk.report
    position = 0
    while True:
        notifications = app.recorder.select_notifications(start=position + 1, limit=page)
        if not notifications:
            break
        walk.page(notifications)
        position = notifications[-1].id
        if progress:
            progress(report.events)
    _check_removed_after(db, position, size, report)
    if size != report.leaves:
        report.problem(
            f"the ledger has {size} leaves but {report.leaves} stored events are sealed"
        )
    _check_node_count(db, size, report)
    for extra in sorted(set(walk.checkpoints) - set(range(1, report.leaves + 1))):
        report.problem(f"checkpoint of size {extra} exceeds the {report.leaves} leaves")
    return report


def _checkpoints(db: Database, size: int) -> dict[int, dict[str, Any]]:
    """The stored checkpoints of the tree up to `size`, by size."""
    return {
        int(r["size"]): r
        for r in db.query(
            "SELECT size, root, note FROM ledger_checkpoints WHERE size <= ?", (size,)
        )
    }


def _head_position(db: Database, size: int) -> int:
    """The log position of the last sealed event (0 for an empty tree)."""
    if not size:
        return 0
    rows = db.query("SELECT position FROM ledger_leaves WHERE idx = ?", (size - 1,))
    return int(rows[0]["position"]) if rows else 0


class _Walk:
    """The event store and the ledger walked side by side, one page of the log at a time."""

    def __init__(
        self,
        db: Database,
        keys: ActKeys,
        verifier: Verifier | None,
        size: int,
        checkpoints: dict[int, dict[str, Any]],
        head_position: int,
    ) -> None:
        self.db = db
        self.keys = keys
        self.verifier = verifier
        self.size = size
        self.checkpoints = checkpoints
        self.head_position = head_position
        self.report = LogReport()
        self.sealed_tree = _Tree()
        self.events_tree = _Tree()

    def page(self, notifications: Sequence[Notification]) -> None:
        """Check one page of stored events against the leaves, nodes and checkpoints."""
        low, high = notifications[0].id, notifications[-1].id
        leaves = {
            p: r
            for p, r in _by_position(self.db, "ledger_leaves", low, high).items()
            if r["idx"] < self.size
        }
        refused = _by_position(self.db, "ledger_refused", low, high)
        completed: list[tuple[int, int, bytes]] = []
        for notification in notifications:
            self.report.events += 1
            row = leaves.pop(notification.id, None)
            if row is None:
                _check_unsealed(notification, refused, self.head_position, self.report)
            else:
                self._sealed(notification, row, completed)
        for row in leaves.values():
            self.report.problem(f"{_leaf_name(row)}: its event was removed from the event store")
        _check_nodes(self.db, completed, self.report)

    def _sealed(
        self, notification: Notification, row: dict[str, Any], completed: list[merkle.Node]
    ) -> None:
        """A stored event with its leaf: check it, add it to both trees, check a checkpoint
        of this size."""
        report = self.report
        record = record_of(notification)
        recomputed = merkle.leaf_hash(leaf.encode(record))
        _check_sealed(notification, record, recomputed, row, self.keys, report)
        sealed = bytes(row["leaf_hash"])
        self.sealed_tree.push(report.leaves, sealed, completed)
        self.events_tree.push(report.leaves, recomputed, [])
        report.leaves += 1
        if report.leaves in self.checkpoints:
            _check_checkpoint(
                self.checkpoints[report.leaves],
                self.sealed_tree,
                self.events_tree,
                self.verifier,
                report,
            )


def _check_removed_after(db: Database, position: int, size: int, report: LogReport) -> None:
    """Leaves of the tree past the last stored event: their events were removed."""
    for row in db.query(
        "SELECT idx, position, aggregate_id, version FROM ledger_leaves WHERE position > ?"
        " AND idx < ? ORDER BY idx",
        (position, size),
    ):
        report.problem(f"{_leaf_name(row)}: its event was removed from the event store")


def _check_node_count(db: Database, size: int, report: LogReport) -> None:
    """The ledger stores exactly the interior nodes a tree of `size` leaves has."""
    stored_nodes = sum(
        int(
            db.query(
                "SELECT COUNT(*) AS n FROM ledger_nodes WHERE level = ? AND idx < ?",
                (level, size >> level),
            )[0]["n"]
        )
        for level in range(1, max(size, 1).bit_length() + 1)
    )
    if stored_nodes != report.nodes:
        report.problem(
            f"the ledger stores {stored_nodes} interior nodes; a tree of {size} leaves has"
            f" {report.nodes}"
        )


def _by_position(db: Database, table: str, low: int, high: int) -> dict[int, dict[str, Any]]:
    columns = (
        "idx, position, aggregate_id, version, leaf_hash" if table == "ledger_leaves" else "*"
    )
    return {
        int(r["position"]): r
        for r in db.query(
            f"SELECT {columns} FROM {table} WHERE position BETWEEN ? AND ?", (low, high)
        )
    }


def _leaf_name(row: dict[str, Any]) -> str:
    return (
        f"leaf {row['idx']} (event {row['aggregate_id']} version {row['version']} at log"
        f" position {row['position']})"
    )


def _check_unsealed(
    notification: Notification,
    refused: dict[int, dict[str, Any]],
    head_position: int,
    report: LogReport,
) -> None:
    """A stored event without a leaf: refused by the sealer, skipped, or not sealed yet."""
    name = _event_name(notification)
    if notification.id in refused:
        reason = refused[notification.id]["reason"]
        report.problem(f"{name} is not an authenticated act ({reason}); the sealer refused it")
    elif notification.id < head_position:
        report.problem(f"{name} is missing from the ledger: it was never sealed")
    else:
        report.unsealed += 1


def _check_sealed(
    notification: Notification,
    record: leaf.StoredRecord,
    recomputed: bytes,
    row: dict[str, Any],
    keys: ActKeys,
    report: LogReport,
) -> None:
    """A sealed event: an authenticated act, sealed in log order, matching its leaf."""
    name = _event_name(notification)
    if int(row["idx"]) != report.leaves:
        report.problem(f"{name} is leaf {row['idx']}; in log order it is leaf {report.leaves}")
    if (str(row["aggregate_id"]), int(row["version"])) != (
        str(record.aggregate_id),
        record.version,
    ):
        report.problem(f"{name}: its leaf names event {row['aggregate_id']} v{row['version']}")
    if recomputed != bytes(row["leaf_hash"]):
        report.problem(f"{name} (leaf {row['idx']}) no longer matches its leaf")
    try:
        keys.open(record)
    except ActError as error:
        report.problem(f"{name} (leaf {row['idx']}) {error.reason}")


def _check_nodes(db: Database, completed: list[tuple[int, int, bytes]], report: LogReport) -> None:
    """Every interior node completed in this page equals the stored one."""
    report.nodes += len(completed)
    wanted = sorted((level, idx) for level, idx, _ in completed)
    stored: dict[tuple[int, int], bytes] = {}
    for start in range(0, len(wanted), 250):
        chunk = wanted[start : start + 250]
        marks = " OR ".join("(level = ? AND idx = ?)" for _ in chunk)
        params = [v for pair in chunk for v in pair]
        for r in db.query(f"SELECT level, idx, hash FROM ledger_nodes WHERE {marks}", params):
            stored[(int(r["level"]), int(r["idx"]))] = bytes(r["hash"])
    for level, idx, digest in completed:
        found = stored.get((level, idx))
        span = f"leaves {idx << level} to {((idx + 1) << level) - 1}"
        if found is None:
            report.problem(f"node at level {level}, index {idx} ({span}) is missing")
        elif found != digest:
            report.problem(
                f"node at level {level}, index {idx} ({span}) differs from its recomputation"
            )


def _check_checkpoint(
    row: dict[str, Any],
    sealed: _Tree,
    events: _Tree,
    verifier: Verifier | None,
    report: LogReport,
) -> None:
    report.checkpoints += 1
    size = int(str(row["size"]))
    root = sealed.root()
    if root != bytes(row["root"]):
        report.problem(f"checkpoint of size {size}: the sealed leaves no longer give its root")
    if events.root() != bytes(row["root"]):
        report.problem(f"checkpoint of size {size}: the events no longer give its root")
    if verifier is None:
        report.problem(f"checkpoint of size {size}: its signature was not checked (no key)")
        return
    try:
        checkpoint = verify_checkpoint(str(row["note"]), verifier)
    except NoteError as error:
        report.problem(f"checkpoint of size {size}: {error}")
        return
    if checkpoint.size != size or checkpoint.root != bytes(row["root"]):
        report.problem(f"checkpoint of size {size}: the signed note disagrees")
