"""Sealing: one Merkle leaf per stored event, in log order, exactly once (a worker view).

Leaves and every complete-subtree hash are stored, so any root or proof needs O(log n)
reads. The view keeps the right edge of the tree (the frontier) in memory and reloads it
from the tables whenever the worker asks it to (after a failed batch, or at start).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from projections.db import Database, Tx, chunks
from projections.ledger import leaf, merkle
from projections.ledger.acts import ActError
from projections.ledger.index import DDL as INDEX_DDL
from projections.ledger.merkle import HASH_SIZE
from projections.view import Change, created


class SealingView:
    """Appends leaves and the interior nodes they complete; never rewritten, never reset."""

    name = "ledger"
    append_only = True
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS ledger_leaves (idx BIGINT PRIMARY KEY,"
        " position BIGINT NOT NULL, aggregate_id TEXT NOT NULL, version INTEGER NOT NULL,"
        " leaf_hash BLOB NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS ledger_leaves_event ON ledger_leaves"
        " (aggregate_id, version)",
        "CREATE UNIQUE INDEX IF NOT EXISTS ledger_leaves_position ON ledger_leaves (position)",
        "CREATE TABLE IF NOT EXISTS ledger_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL,"
        " hash BLOB NOT NULL, PRIMARY KEY (level, idx))",
        "CREATE TABLE IF NOT EXISTS ledger_checkpoints (size BIGINT PRIMARY KEY,"
        " root BLOB NOT NULL, note TEXT NOT NULL, created_at TEXT NOT NULL)",
        # Rows of the event store that are not authenticated acts (docs/ledger.md §1.1).
        "CREATE TABLE IF NOT EXISTS ledger_refused (position BIGINT PRIMARY KEY,"
        " aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, reason TEXT NOT NULL,"
        " found_at TEXT NOT NULL)",
        # Witnesses' cosignatures on checkpoints (projections.ledger.witnessing).
        "CREATE TABLE IF NOT EXISTS ledger_cosignatures (size BIGINT NOT NULL,"
        " witness TEXT NOT NULL, line TEXT NOT NULL, signed_at BIGINT NOT NULL,"
        " received_at TEXT NOT NULL, PRIMARY KEY (size, witness))",
        *INDEX_DDL,
    )
    tables = created(ddl)  # what `ddl` creates, in its order

    def __init__(self) -> None:
        self.size: int | None = None
        self.frontier: list[merkle.Node] = []

    def sync(self, db: Database) -> None:
        """Load the tree's size and right edge, unless already known."""
        if self.size is not None:
            return
        size = tree_size(db)
        nodes = merkle.complete_nodes(0, size)
        hashes = read_nodes(db, nodes)
        self.frontier = [(level, idx, hashes[(level, idx)]) for level, idx in nodes]
        self.size = size

    def forget(self) -> None:
        """Drop the in-memory edge (the batch it was advanced for did not commit)."""
        self.size = None
        self.frontier = []

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Append one leaf per change and store every subtree that becomes complete."""
        if self.size is None:
            raise RuntimeError("the sealing view was not synchronised before applying")
        leaves: list[tuple[Any, ...]] = []
        nodes: list[merkle.Node] = []
        for change in changes:
            record = leaf.StoredRecord(
                change.event.originator_id,
                change.event.originator_version,
                change.topic,
                change.state,
            )
            digest = merkle.leaf_hash(leaf.encode(record))
            index = self.size
            leaves.append(
                (index, change.position, str(record.aggregate_id), record.version, digest)
            )
            merkle.push(self.frontier, index, digest, nodes)
            self.size += 1
        tx.append(
            "ledger_leaves", ("idx", "position", "aggregate_id", "version", "leaf_hash"), leaves
        )
        tx.append("ledger_nodes", ("level", "idx", "hash"), nodes)

    def refuse(self, tx: Tx, refused: list[tuple[int, ActError]]) -> None:
        """Record the rows that are not authenticated acts: never sealed, always reported."""
        found = datetime.now(tz=UTC).isoformat()
        tx.append(
            "ledger_refused",
            ("position", "aggregate_id", "version", "reason", "found_at"),
            [(p, e.aggregate_id, e.version, e.reason, found) for p, e in refused],
        )

    def root(self) -> bytes:
        """The root of the tree as sealed so far (in memory)."""
        return (
            merkle.fold([h for _, _, h in self.frontier]) if self.frontier else merkle.root_of([])
        )


class SealedActError(ActError):
    """A row the ledger sealed (its act verified then) whose act does not verify now: an
    integrity failure, named by the event and version the ledger sealed (a web request that
    meets one answers 409 integrity-failure)."""


def check_refused(db: Database, refused: list[tuple[int, ActError]]) -> None:
    """Refusing a row keeps out of the views a row the service never recorded. A row the
    ledger sealed was an act whose signature verified when it was sealed: if it does not now,
    the act keys configured lack the key that signed it, or the row was changed since. Views
    rebuilt without it would lack a recorded act, silently (a rebuild with the wrong keys
    showed nothing). SealedActError then, naming the first such row as the ledger sealed it
    (its event and version, whatever the row says now): no batch with one is applied.

    A rebuild and an as-of replay ask this (`Worker.ledger`); the live worker does not: it
    also seals the new acts, which stopping at such a row would leave unsealed. A view it
    builds again leaves the row out, with an error in its log, and reads of the initiative
    fail on the row."""
    positions = [position for position, _ in refused]
    sealed: dict[int, tuple[str, int]] = {}
    statement = "SELECT position, aggregate_id, version FROM ledger_leaves WHERE position IN"
    for chunk in chunks(positions):
        for r in db.query(f"{statement} ({', '.join('?' for _ in chunk)})", chunk):
            sealed[int(r["position"])] = (str(r["aggregate_id"]), int(r["version"]))
    found = [(position, error) for position, error in refused if position in sealed]
    if found:
        position, error = found[0]
        aggregate, version = sealed[position]
        more = f" ({len(found) - 1} more in the same batch)" if len(found) > 1 else ""
        raise SealedActError(
            aggregate,
            version,
            f"at log position {position} was sealed in the ledger, its act verified then, and"
            f" now it {error.reason}{more}. Either the act keys configured (ACT_KEY_FILE,"
            " ACT_VERIFIER_KEYS) lack the key that signed it, or the row was changed after it"
            " was sealed (`ledger verify` names which). No view was moved past it",
        )


def tree_size(db: Database | Tx) -> int:
    """How many leaves are sealed."""
    rows = db.query("SELECT MAX(idx) AS top FROM ledger_leaves")
    top = rows[0]["top"] if rows else None
    return 0 if top is None else int(top) + 1


def read_nodes(db: Database | Tx, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The hashes of complete subtrees (level 0: leaves), a query per 500 of each kind (on
    PostgreSQL, through a Database: one query of each kind, whatever their number)."""
    found: dict[tuple[int, int], bytes] = {}
    leaves = sorted({i for level, i in wanted if level == 0})
    inner = sorted({(level, i) for level, i in wanted if level > 0})
    if isinstance(db, Database) and db.kind == "postgresql":
        _read_arrays(db, leaves, inner, found)
    else:
        _read_lists(db, leaves, inner, found)
    missing = [n for n in wanted if n not in found]
    if missing:
        raise LookupError(f"the ledger lacks subtree hashes {missing[:3]}")
    return found


def _read_arrays(
    db: Database,
    leaves: list[int],
    inner: list[tuple[int, int]],
    found: dict[tuple[int, int], bytes],
) -> None:
    """The hashes wanted, passed as arrays: the statement stays short and the same (the
    thousands of placeholders a dossier's page needs cost more to send and parse than to
    answer). Each is a lookup in the primary key, written as a subquery per element so that
    the planner cannot choose to scan the whole table instead (it does, for a join with the
    array, once the array is long). They come back as one value, the hashes end to end in
    the order asked, cut here (a row each, decoded, took 0.23 s of a core for the 48,000
    hashes of a dossier of 5,000 events in a log of a million; one value, 0.08 s). One
    missing (or not a hash), the value is short: the rows say which."""
    queries = []
    if leaves:
        lookup = "(SELECT leaf_hash FROM ledger_leaves l WHERE l.idx = w.idx)"
        arrays: tuple[str, ...] = (_array(leaves),)
        queries.append(([(0, i) for i in leaves], lookup, "?::bigint[]", "idx", arrays))
    if inner:
        lookup = "(SELECT hash FROM ledger_nodes n WHERE n.level = w.level AND n.idx = w.idx)"
        arrays = (_array(level for level, _ in inner), _array(i for _, i in inner))
        queries.append((inner, lookup, "?::integer[], ?::bigint[]", "level, idx", arrays))
    for keys, lookup, types, columns, params in queries:
        rows = db.query(
            f"SELECT string_agg(hash, ''::bytea ORDER BY n) FILTER (WHERE octet_length(hash)"
            f" = {HASH_SIZE}) AS hashes FROM (SELECT w.n,"
            f" {lookup} AS hash FROM unnest({types}) WITH ORDINALITY AS w({columns}, n)) s",
            params,
        )
        joined = bytes(rows[0]["hashes"] or b"")
        if len(joined) == HASH_SIZE * len(keys):
            for k, key in enumerate(keys):
                found[key] = joined[HASH_SIZE * k : HASH_SIZE * (k + 1)]
            continue
        for r in db.query(
            f"SELECT w.*, {lookup} AS hash FROM unnest({types}) AS w({columns})", params
        ):
            if r["hash"] is not None:
                found[(int(r.get("level", 0)), int(r["idx"]))] = bytes(r["hash"])


def _array(numbers: Iterable[int]) -> str:
    """An array of integers as PostgreSQL's text form: built in one join, where psycopg
    adapts a list element by element (a tenth of the time a dossier's proofs take at a
    million leaves)."""
    return "{" + ",".join(map(str, numbers)) + "}"


def _read_lists(
    db: Database | Tx,
    leaves: list[int],
    inner: list[tuple[int, int]],
    found: dict[tuple[int, int], bytes],
) -> None:
    """The hashes wanted, as placeholders (SQLite, or inside a transaction)."""
    for chunk in chunks(leaves):
        marks = ", ".join("?" for _ in chunk)
        for r in db.query(
            f"SELECT idx, leaf_hash FROM ledger_leaves WHERE idx IN ({marks})", chunk
        ):
            found[(0, int(r["idx"]))] = bytes(r["leaf_hash"])
    for chunk in chunks(inner):
        # One IN list per level: an index scan each, where a condition per node made the
        # planner combine hundreds of scans (half the time for the thousands a dossier needs).
        levels: dict[int, list[int]] = {}
        for level, i in chunk:
            levels.setdefault(level, []).append(i)
        marks = " OR ".join(
            f"(level = ? AND idx IN ({', '.join('?' for _ in ids)}))" for ids in levels.values()
        )
        params = [v for level, ids in levels.items() for v in (level, *ids)]
        for r in db.query(f"SELECT level, idx, hash FROM ledger_nodes WHERE {marks}", params):
            found[(int(r["level"]), int(r["idx"]))] = bytes(r["hash"])
