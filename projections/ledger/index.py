"""The verifiable index: a sparse Merkle map from each aggregate (an initiative, an
organisation) to its latest version and that version's leaf, as of every checkpoint. Its
root is a checkpoint extension line, so the log's key and the witnesses sign it too; a proof
shows what the latest version of an aggregate was at a checkpoint — so a dossier cut short,
or an authority proof that hides a later change, fails.

The map (docs/ledger.md §4.2), over keys k = SHA-256(aggregate id, 16 bytes), read as 256
bits from the most significant:

    H(∅)                = 32 zero bytes
    H({k: (v, i)})      = SHA-256(0x02 || k || uint64 v || uint64 i)       (one entry)
    H(S), |S| ≥ 2       = SHA-256(0x03 || H(S₀) || H(S₁))                   (S₀, S₁: next bit)

A proof for k at depth d lists the sibling hashes from the root down to d (root first) and
ends in the subtree k falls in at depth d: empty, k's own entry, or another key's entry.

Storage: every node the map has had, with the tree size from which it holds
(`ledger_index_nodes`), so the map as of any checkpoint can be read and proven.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

EMPTY = bytes(32)
EXTENSION = "initiative-ledger/index "

DDL = (
    "CREATE TABLE IF NOT EXISTS ledger_index_nodes (depth INTEGER NOT NULL,"
    " prefix BLOB NOT NULL, size BIGINT NOT NULL, hash BLOB NOT NULL, entry_key BLOB,"
    " version BIGINT, idx BIGINT, PRIMARY KEY (depth, prefix, size))",
)


class IndexProofError(ValueError):
    """An index proof that does not prove what it claims."""


def key_of(aggregate_id: UUID) -> bytes:
    """The map key of an aggregate."""
    return hashlib.sha256(aggregate_id.bytes).digest()


def bit(key: bytes, depth: int) -> int:
    """Bit `depth` of a key, most significant first."""
    return (key[depth // 8] >> (7 - depth % 8)) & 1


def prefix(key: bytes, depth: int) -> bytes:
    """The first `depth` bits of a key, the rest of the last byte zero."""
    whole, rest = divmod(depth, 8)
    head = key[:whole]
    if rest:
        head += bytes([key[whole] & (0xFF << (8 - rest)) & 0xFF])
    return head


def entry_hash(key: bytes, version: int, index: int) -> bytes:
    """The hash of a one-entry subtree."""
    return hashlib.sha256(b"\x02" + key + struct.pack(">QQ", version, index)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of a subtree of two or more entries."""
    return hashlib.sha256(b"\x03" + left + right).digest()


@dataclass(frozen=True)
class Entry:
    """An aggregate's latest version and the leaf index of that version."""

    version: int
    index: int


def root_of(entries: Mapping[bytes, Entry], depth: int = 0) -> bytes:
    """The map root of a set of entries (for tests and small maps; the store is incremental)."""
    if not entries:
        return EMPTY
    if len(entries) == 1:
        ((key, entry),) = entries.items()
        return entry_hash(key, entry.version, entry.index)
    left = {k: e for k, e in entries.items() if bit(k, depth) == 0}
    right = {k: e for k, e in entries.items() if bit(k, depth) == 1}
    return node_hash(root_of(left, depth + 1), root_of(right, depth + 1))


def unsigned(value: Any) -> int:
    """`value` if it is an integer a leaf or an entry can hold (unsigned, 64 bits); ValueError
    if not."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**64:
        raise ValueError(f"{value!r} is not an unsigned 64-bit integer")
    return value


def verify(root: bytes, key: bytes, proof: Mapping[str, Any]) -> Entry | None:
    """What the proof shows for `key` under `root`: its entry, or None (no such key).

    `proof` = {"siblings": [hex, …] root first, "end": {"kind": "empty"} |
    {"kind": "entry", "key": hex, "version": v, "index": i}}.
    """
    try:
        siblings = [bytes.fromhex(h) for h in proof["siblings"]]
        end = proof["end"]
        kind = end["kind"]
        if kind == "entry":
            other = bytes.fromhex(end["key"])
            entry = Entry(unsigned(end["version"]), unsigned(end["index"]))
    except (KeyError, TypeError, ValueError) as error:  # a proof that is not of the format
        raise IndexProofError(f"malformed index proof: {error}") from error
    if kind == "empty":
        current, found = EMPTY, None
    elif kind == "entry":
        current = entry_hash(other, entry.version, entry.index)
        if len(other) != 32 or prefix(other, len(siblings)) != prefix(key, len(siblings)):
            raise IndexProofError("the entry the proof ends in is not on the key's path")
        found = entry if other == key else None
    else:
        raise IndexProofError(f"unknown end of proof {kind!r}")
    if any(len(s) != 32 for s in siblings) or len(siblings) > 256:
        raise IndexProofError("malformed index proof: sibling hashes are 32 bytes")
    for depth in range(len(siblings) - 1, -1, -1):
        sibling = siblings[depth]
        current = (
            node_hash(current, sibling) if bit(key, depth) == 0 else node_hash(sibling, current)
        )
    if current != root:
        raise IndexProofError("the index proof does not lead to the checkpoint's index root")
    return found


def child_prefix(parent: bytes, depth: int, side: int) -> bytes:
    """The prefix of a child at depth `depth + 1`: the parent's prefix with bit `depth` set."""
    whole = depth // 8
    head = bytearray(parent.ljust(whole + 1, b"\x00")[: whole + 1])
    if side:
        head[whole] |= 0x80 >> (depth % 8)
    return bytes(head)


_NODE = (
    "SELECT hash, entry_key, version, idx FROM ledger_index_nodes WHERE depth = ? AND"
    " prefix = ? AND size <= ? ORDER BY size DESC LIMIT 1"
)
_FOREVER = 2**62


class IndexStore:
    """The map's nodes in `ledger_index_nodes`; `update` adds a tree size's changes,
    `prove` reads the map as of any size. `db` is a Database or a transaction."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def _node(self, depth: int, pfx: bytes, size: int) -> dict[str, Any] | None:
        rows = self.db.query(_NODE, (depth, pfx, size))
        return rows[0] if rows else None

    def root(self, size: int) -> bytes:
        """The map's root as of tree size `size`."""
        row = self._node(0, b"", size)
        return bytes(row["hash"]) if row else EMPTY

    def indexed_size(self) -> int:
        """The tree size the map was last updated for (0: never)."""
        rows = self.db.query("SELECT MAX(size) AS size FROM ledger_index_nodes")
        return int(rows[0]["size"]) if rows and rows[0]["size"] is not None else 0

    def update(self, size: int, changes: Mapping[bytes, Entry]) -> bytes:
        """Apply the latest entries of the aggregates changed up to tree size `size`, in the
        caller's transaction; the new root."""
        if not changes:
            return self.root(size)
        written: list[tuple[Any, ...]] = []
        root = self._update(0, b"", dict(changes), size, written)
        self.db.append(
            "ledger_index_nodes",
            ("depth", "prefix", "size", "hash", "entry_key", "version", "idx"),
            written,
        )
        return root

    def _update(
        self,
        depth: int,
        pfx: bytes,
        entries: dict[bytes, Entry],
        size: int,
        written: list[tuple[Any, ...]],
        stored: bool = True,
    ) -> bytes:
        """Write the subtree at (`depth`, `pfx`) with `entries` added; `stored`: the map may
        already hold nodes here (below an entry or an empty subtree it holds none)."""
        if stored:
            current = self._node(depth, pfx, _FOREVER)
            if current is None or current["entry_key"] is not None:
                stored = False
                if current is not None:
                    held = Entry(int(current["version"]), int(current["idx"]))
                    entries = {bytes(current["entry_key"]): held} | entries
        if not stored and len(entries) == 1:
            ((key, entry),) = entries.items()
            digest = entry_hash(key, entry.version, entry.index)
            written.append((depth, pfx, size, digest, key, entry.version, entry.index))
            return digest
        sides = []
        for side in (0, 1):
            part = {k: e for k, e in entries.items() if bit(k, depth) == side}
            child = child_prefix(pfx, depth, side)
            if part:
                sides.append(self._update(depth + 1, child, part, size, written, stored))
            elif stored:
                row = self._node(depth + 1, child, _FOREVER)
                sides.append(bytes(row["hash"]) if row else EMPTY)
            else:
                sides.append(EMPTY)
        digest = node_hash(sides[0], sides[1])
        written.append((depth, pfx, size, digest, None, None, None))
        return digest

    def prove(self, aggregate_id: UUID, size: int) -> dict[str, Any]:
        """The proof of an aggregate's latest entry (or absence) in the map as of `size`."""
        key = key_of(aggregate_id)
        siblings: list[str] = []
        depth = 0
        while True:
            row = self._node(depth, prefix(key, depth), size)
            if row is None:
                return {"siblings": siblings, "end": {"kind": "empty"}}
            if row["entry_key"] is not None:
                end = {
                    "kind": "entry",
                    "key": bytes(row["entry_key"]).hex(),
                    "version": int(row["version"]),
                    "index": int(row["idx"]),
                }
                return {"siblings": siblings, "end": end}
            other = child_prefix(prefix(key, depth), depth, 1 - bit(key, depth))
            sibling = self._node(depth + 1, other, size)
            siblings.append((bytes(sibling["hash"]) if sibling else EMPTY).hex())
            depth += 1
