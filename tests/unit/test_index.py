"""The verifiable index (a sparse Merkle map): incremental updates equal a build from scratch,
and proofs as of every past size show exactly the latest entry, or its absence."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from projections.db import Database
from projections.ledger import index
from projections.ledger.index import Entry, IndexProofError, IndexStore, key_of, root_of
from projections.storage import Storage


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(Storage.from_url(f"sqlite:///{tmp_path / 'index.sqlite3'}"))
    with database.transaction() as tx:
        for statement in index.DDL:
            tx.execute(statement)
    return database


def test_incremental_updates_and_proofs_at_every_past_size(db: Database) -> None:
    rng = random.Random(7)
    ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(60)]
    state: dict[bytes, Entry] = {}
    history: list[tuple[int, dict[bytes, Entry]]] = []
    size = 0
    for batch in range(12):
        changes = {}
        for aggregate in rng.sample(ids, rng.randint(1, 9)):
            size += 1
            previous = state.get(key_of(aggregate))
            changes[key_of(aggregate)] = Entry((previous.version if previous else 0) + 1, size)
            state[key_of(aggregate)] = changes[key_of(aggregate)]
        with db.transaction() as tx:
            root = IndexStore(tx).update(size, changes)
        assert root == root_of(state), f"batch {batch}"
        history.append((size, dict(state)))
    store = IndexStore(db)
    for at, snapshot in history:
        assert store.root(at) == root_of(snapshot)
        for aggregate in ids:
            proof = store.prove(aggregate, at)
            assert index.verify(root_of(snapshot), key_of(aggregate), proof) == snapshot.get(
                key_of(aggregate)
            )
    assert store.indexed_size() == size


def test_a_proof_that_lies_fails(db: Database) -> None:
    ids = [uuid.UUID(int=i * 7919) for i in range(1, 9)]
    entries = {key_of(a): Entry(3, n) for n, a in enumerate(ids)}
    with db.transaction() as tx:
        root = IndexStore(tx).update(10, entries)
    proof = IndexStore(db).prove(ids[0], 10)
    assert index.verify(root, key_of(ids[0]), proof) == Entry(3, 0)
    older = {**proof, "end": {**proof["end"], "version": 2}}  # "the latest is version 2"
    with pytest.raises(IndexProofError, match="does not lead"):
        index.verify(root, key_of(ids[0]), older)
    hidden = {**proof, "end": {"kind": "empty"}}  # "no such initiative"
    with pytest.raises(IndexProofError, match="does not lead"):
        index.verify(root, key_of(ids[0]), hidden)
    elsewhere = IndexStore(db).prove(ids[1], 10)  # another key's entry, off this key's path
    with pytest.raises(IndexProofError):
        index.verify(root, key_of(ids[0]), elsewhere)
    absent = uuid.UUID(int=12345)
    assert index.verify(root, key_of(absent), IndexStore(db).prove(absent, 10)) is None
