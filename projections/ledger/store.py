"""The ledger's read side and checkpoint issuance: roots, proofs, checkpoints, leaf lookup."""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from projections.db import Database, Tx
from projections.ledger import index, merkle
from projections.ledger.note import Checkpoint, Signer
from projections.ledger.sealing import read_nodes, tree_size


@dataclass(frozen=True)
class StoredCheckpoint:
    """A signed checkpoint as stored."""

    size: int
    root: bytes
    note: str
    created_at: str


def subtree_reader(db: Database | Tx) -> merkle.Subtree:
    """`subtree(start, end)` answered from the stored complete-subtree hashes."""

    def subtree(start: int, end: int) -> bytes:
        nodes = merkle.complete_nodes(start, end)
        hashes = read_nodes(db, nodes)
        return merkle.fold([hashes[n] for n in nodes])

    return subtree


def _proof(db: Database | Tx, ranges: list[tuple[int, int]]) -> list[bytes]:
    """The hashes of `ranges`, with every stored node they need read in one go."""
    wanted = [n for a, b in ranges for n in merkle.complete_nodes(a, b)]
    hashes = read_nodes(db, wanted)
    return [merkle.fold([hashes[n] for n in merkle.complete_nodes(a, b)]) for a, b in ranges]


class LedgerStore:
    """Queries over the sealed tree.

    With a witness policy (`witnesses` by name, `quorum` of them), the checkpoints it hands
    out for proofs (`latest`, `covering`) are those cosigned by at least `quorum` of the
    witnesses, their cosignature lines added to the note; `newest` is the newest one signed.
    """

    def __init__(self, db: Database, witnesses: tuple[str, ...] = (), quorum: int = 0) -> None:
        self.db = db
        self.witnesses = witnesses
        self.quorum = quorum

    def size(self) -> int:
        """Leaves sealed so far."""
        return tree_size(self.db)

    def root(self, size: int) -> bytes:
        """The root of the first `size` leaves."""
        if size == 0:
            return merkle.root_of([])
        return _proof(self.db, [(0, size)])[0]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        """The inclusion proof of leaf `index` in the tree of `size` leaves."""
        self._within(size)
        return _proof(self.db, merkle.inclusion_ranges(index, size))

    def inclusions(self, indexes: Sequence[int], size: int) -> list[list[bytes]]:
        """The inclusion proofs of many leaves in the tree of `size` leaves, in the order of
        `indexes`. Proofs of leaves near each other share most of their subtrees: every stored
        hash the batch needs is read once, in a few queries, and every subtree composed once,
        instead of two queries per proof."""
        self._within(size)
        ranges = [merkle.inclusion_ranges(index, size) for index in indexes]
        nodes = {r: merkle.complete_nodes(*r) for r in {r for proof in ranges for r in proof}}
        hashes = read_nodes(self.db, list({n for each in nodes.values() for n in each}))
        folded = {r: merkle.fold([hashes[n] for n in each]) for r, each in nodes.items()}
        return [[folded[r] for r in proof] for proof in ranges]

    def consistency(self, old: int, new: int) -> list[bytes]:
        """The consistency proof from `old` to `new` leaves."""
        self._within(new)
        return _proof(self.db, merkle.consistency_ranges(old, new))

    def _within(self, size: int) -> None:
        if size > self.size():
            raise merkle.ProofError(f"the ledger has fewer than {size} leaves")

    def tile(self, level: int, index: int, width: int) -> bytes:
        """The hashes of tile `level`/`index` (c2sp.org/tlog-tiles), its first `width`."""
        first = index * 256
        if level == 0:
            rows = self.db.query(
                "SELECT idx, leaf_hash AS hash FROM ledger_leaves WHERE idx >= ? AND idx < ?"
                " ORDER BY idx",
                (first, first + width),
            )
        else:
            rows = self.db.query(
                "SELECT idx, hash FROM ledger_nodes WHERE level = ? AND idx >= ? AND idx < ?"
                " ORDER BY idx",
                (8 * level, first, first + width),
            )
        if [int(r["idx"]) for r in rows] != list(range(first, first + width)):
            raise LookupError(f"the ledger lacks hashes of tile {level}/{index}")
        return b"".join(bytes(r["hash"]) for r in rows)

    def index_proof(self, aggregate_id: UUID, size: int) -> dict[str, Any]:
        """The proof of an aggregate's latest version in the index of the checkpoint `size`."""
        return index.IndexStore(self.db).prove(aggregate_id, size)

    def leaf(self, aggregate_id: UUID, version: int) -> dict[str, Any] | None:
        """The leaf of one event: index, log position, hash."""
        rows = self.db.query(
            "SELECT idx, position, leaf_hash FROM ledger_leaves WHERE aggregate_id = ?"
            " AND version = ?",
            (str(aggregate_id), version),
        )
        if not rows:
            return None
        return {
            "index": int(rows[0]["idx"]),
            "position": int(rows[0]["position"]),
            "leaf_hash": bytes(rows[0]["leaf_hash"]),
        }

    def leaf_page(self, aggregate_id: UUID, first: int, last: int) -> list[dict[str, Any]]:
        """The leaves of versions `first` to `last` of one aggregate, by version: version,
        index, hash (a version not sealed is missing)."""
        rows = self.db.query(
            "SELECT version, idx, leaf_hash FROM ledger_leaves WHERE aggregate_id = ?"
            " AND version >= ? AND version <= ? ORDER BY version",
            (str(aggregate_id), first, last),
        )
        return [
            {
                "version": int(r["version"]),
                "index": int(r["idx"]),
                "leaf_hash": bytes(r["leaf_hash"]),
            }
            for r in rows
        ]

    def covered_versions(self, aggregate_id: UUID, size: int) -> int:
        """How many events of one aggregate the tree of `size` leaves holds (they are its
        first versions: an aggregate's events are sealed in version order)."""
        rows = self.db.query(
            "SELECT COUNT(*) AS n FROM ledger_leaves WHERE aggregate_id = ? AND idx < ?",
            (str(aggregate_id), size),
        )
        return int(rows[0]["n"])

    def leaves_of(self, aggregate_id: UUID) -> dict[int, int]:
        """Version → leaf index of every sealed event of one aggregate."""
        rows = self.db.query(
            "SELECT version, idx FROM ledger_leaves WHERE aggregate_id = ?", (str(aggregate_id),)
        )
        return {int(r["version"]): int(r["idx"]) for r in rows}

    def newest(self) -> StoredCheckpoint | None:
        """The newest signed checkpoint, cosigned or not (what is submitted to witnesses)."""
        rows = self.db.query(
            "SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size DESC"
            " LIMIT 1"
        )
        return _checkpoint(rows[0]) if rows else None

    def latest(self) -> StoredCheckpoint | None:
        """The newest checkpoint that meets the witness policy, with its cosignatures."""
        if self.quorum <= 0:
            return self.newest()
        rows = self.db.query(
            "SELECT size, root, note, created_at FROM ledger_checkpoints c WHERE"
            f" {self._cosigned()} ORDER BY size DESC LIMIT 1",
            [*self.witnesses, self.quorum],
        )
        return self._with_cosignatures(_checkpoint(rows[0])) if rows else None

    def _cosigned(self) -> str:
        marks = ", ".join("?" for _ in self.witnesses) or "NULL"
        return (
            "(SELECT COUNT(*) FROM ledger_cosignatures s WHERE s.size = c.size AND s.witness"
            f" IN ({marks})) >= ?"
        )

    def _with_cosignatures(self, checkpoint: StoredCheckpoint) -> StoredCheckpoint:
        return self._cosigned_all([checkpoint])[0]

    def _cosigned_all(self, checkpoints: list[StoredCheckpoint]) -> list[StoredCheckpoint]:
        """The checkpoints with their witnesses' cosignature lines added (one query)."""
        lines = self.cosignatures([c.size for c in checkpoints])
        return [
            StoredCheckpoint(
                c.size,
                c.root,
                c.note + "".join(f"{line}\n" for line in lines[c.size]),
                c.created_at,
            )
            if lines.get(c.size)
            else c
            for c in checkpoints
        ]

    def cosignatures(self, sizes: list[int]) -> dict[int, list[str]]:
        """The witnesses' cosignature lines on the checkpoints of `sizes` (the policy's
        witnesses only, when there is a policy), by witness name."""
        found: dict[int, list[str]] = {}
        if not sizes:
            return found
        marks = ", ".join("?" for _ in sizes)
        for r in self.db.query(
            f"SELECT size, witness, line FROM ledger_cosignatures WHERE size IN ({marks})"
            " ORDER BY size, witness",
            sizes,
        ):
            if not self.witnesses or str(r["witness"]) in self.witnesses:
                found.setdefault(int(r["size"]), []).append(str(r["line"]))
        return found

    def last_cosigned(self) -> dict[str, Any] | None:
        """The newest checkpoint meeting the policy: its size and when it was cosigned."""
        latest = self.latest() if self.quorum > 0 else None
        if latest is None:
            return None
        rows = self.db.query(
            "SELECT MIN(signed_at) AS t FROM ledger_cosignatures WHERE size = ?", (latest.size,)
        )
        return {"size": latest.size, "signed_at": int(rows[0]["t"])}

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        """The checkpoint of exactly `size` leaves."""
        rows = self.db.query(
            "SELECT size, root, note, created_at FROM ledger_checkpoints WHERE size = ?", (size,)
        )
        return self._with_cosignatures(_checkpoint(rows[0])) if rows else None

    def covering(self, index: int) -> StoredCheckpoint | None:
        """The first checkpoint that covers leaf `index` (and meets the witness policy)."""
        if self.quorum <= 0:
            rows = self.db.query(
                "SELECT size, root, note, created_at FROM ledger_checkpoints WHERE size > ?"
                " ORDER BY size LIMIT 1",
                (index,),
            )
            return _checkpoint(rows[0]) if rows else None
        rows = self.db.query(
            "SELECT size, root, note, created_at FROM ledger_checkpoints c WHERE size > ? AND"
            f" {self._cosigned()} ORDER BY size LIMIT 1",
            [index, *self.witnesses, self.quorum],
        )
        return self._with_cosignatures(_checkpoint(rows[0])) if rows else None

    def history(self, limit: int, before: int | None) -> list[StoredCheckpoint]:
        """Checkpoints, newest first."""
        where, params = ("WHERE size < ?", [before]) if before else ("", [])
        rows = self.db.query(
            f"SELECT size, root, note, created_at FROM ledger_checkpoints {where}"
            " ORDER BY size DESC LIMIT ?",
            [*params, limit],
        )
        return self._cosigned_all([_checkpoint(r) for r in rows])


def update_index(tx: Tx, size: int) -> bytes:
    """Bring the verifiable index up to tree size `size` (in the checkpoint's transaction):
    each aggregate with leaves since the last update gets its latest version and leaf."""
    store = index.IndexStore(tx)
    since = store.indexed_size()
    rows = tx.query(
        "SELECT aggregate_id, MAX(version) AS version, MAX(idx) AS idx FROM ledger_leaves"
        " WHERE idx >= ? AND idx < ? GROUP BY aggregate_id",
        (since, size),
    )
    changes = {
        index.key_of(UUID(str(r["aggregate_id"]))): index.Entry(int(r["version"]), int(r["idx"]))
        for r in rows
    }
    return store.update(size, changes)


def _checkpoint(row: dict[str, Any]) -> StoredCheckpoint:
    return StoredCheckpoint(int(row["size"]), bytes(row["root"]), row["note"], row["created_at"])


class Checkpointer:
    """Signs a checkpoint when new leaves exist: at most every `interval` seconds, or now."""

    def __init__(self, db: Database, signer: Signer, origin: str, interval: float) -> None:
        self.db = db
        self.signer = signer
        self.origin = origin
        self.interval = interval
        self._last = 0.0

    def maybe_issue(self) -> StoredCheckpoint | None:
        """Issue a checkpoint if the interval has passed since the last one."""
        if time.monotonic() - self._last < self.interval:
            return None
        return self.issue()

    def issue(self) -> StoredCheckpoint | None:
        """Sign the current tree if it grew since the last checkpoint; None otherwise."""
        self._last = time.monotonic()
        with self.db.transaction() as tx:
            size = tree_size(tx)
            rows = tx.query("SELECT MAX(size) AS size FROM ledger_checkpoints")
            latest = rows[0]["size"] if rows else None
            if size == 0 or (latest is not None and int(latest) >= size):
                return None
            root = subtree_reader(tx)(0, size)
            index_root = update_index(tx, size)
            extension = index.EXTENSION + base64.b64encode(index_root).decode()
            note = self.signer.sign(Checkpoint(self.origin, size, root, (extension,)).text())
            created = datetime.now(tz=UTC).isoformat()
            tx.execute(
                "INSERT INTO ledger_checkpoints (size, root, note, created_at)"
                " VALUES (?, ?, ?, ?)",
                (size, root, note, created),
            )
        return StoredCheckpoint(size, root, note, created)
