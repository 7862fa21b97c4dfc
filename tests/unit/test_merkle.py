"""RFC 6962 / 9162 conformance (every shared vector) and property tests of the Merkle math."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.ledger import merkle

VECTORS = Path(__file__).resolve().parents[1] / "data" / "merkle"  # public vectors, in the repo
INCLUSION = sorted((VECTORS / "inclusion").rglob("*.json"))
CONSISTENCY = sorted((VECTORS / "consistency").rglob("*.json"))


def b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def test_the_vectors_are_all_there() -> None:
    assert (len(INCLUSION), len(CONSISTENCY)) == (98, 98)


def test_roots_of_every_size_match() -> None:
    data = json.loads((VECTORS / "roots.json").read_text())
    leaves = [merkle.leaf_hash(bytes.fromhex(h)) for h in data["leaf_inputs_hex"]]
    for size, root in enumerate(data["root_hash_hex_by_tree_size"]):
        assert merkle.root_of(leaves[:size]).hex() == root


@pytest.mark.parametrize("path", INCLUSION, ids=lambda p: str(p.relative_to(VECTORS)))
def test_inclusion_vector(path: Path) -> None:
    v: dict[str, Any] = json.loads(path.read_text())
    proof = [b64(p) for p in v["proof"] or []]

    def check() -> None:
        merkle.verify_inclusion(
            v["leafIdx"], v["treeSize"], b64(v["leafHash"]), proof, b64(v["root"])
        )

    if v["wantErr"]:
        with pytest.raises(merkle.ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("path", CONSISTENCY, ids=lambda p: str(p.relative_to(VECTORS)))
def test_consistency_vector(path: Path) -> None:
    v: dict[str, Any] = json.loads(path.read_text())
    proof = [b64(p) for p in v["proof"] or []]

    def check() -> None:
        merkle.verify_consistency(v["size1"], v["size2"], proof, b64(v["root1"]), b64(v["root2"]))

    if v["wantErr"]:
        with pytest.raises(merkle.ProofError):
            check()
    else:
        check()


LEAVES = [merkle.leaf_hash(n.to_bytes(4, "big")) for n in range(400)]


def subtree(start: int, end: int) -> bytes:
    return merkle.root_of(LEAVES[start:end])


def stored_subtree(start: int, end: int) -> bytes:
    """The same hash composed from complete aligned subtrees, as the stored ledger does."""
    return merkle.fold(
        [
            subtree(lvl_idx[1] << lvl_idx[0], (lvl_idx[1] + 1) << lvl_idx[0])
            for lvl_idx in merkle.complete_nodes(start, end)
        ]
    )


def flip(value: bytes, bit: int) -> bytes:
    data = bytearray(value)
    data[bit // 8 % len(data)] ^= 1 << (bit % 8)
    return bytes(data)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 400).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))),
    st.integers(0, 10_000),
)
def test_inclusion_round_trip_and_any_flipped_bit_fails(case: tuple[int, int], bit: int) -> None:
    size, index = case
    root = subtree(0, size)
    proof = merkle.inclusion_proof(index, size, stored_subtree)
    assert proof == merkle.inclusion_proof(index, size, subtree)
    merkle.verify_inclusion(index, size, LEAVES[index], proof, root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, flip(LEAVES[index], bit), proof, root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(index, size, LEAVES[index], proof, flip(root, bit))
    if proof:
        spoiled = list(proof)
        spoiled[bit % len(spoiled)] = flip(spoiled[bit % len(spoiled)], bit)
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(index, size, LEAVES[index], spoiled, root)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))),
    st.integers(0, 10_000),
)
def test_consistency_round_trip_and_any_flipped_bit_fails(case: tuple[int, int], bit: int) -> None:
    old, new = case
    proof = merkle.consistency_proof(old, new, stored_subtree)
    old_root, new_root = subtree(0, old), subtree(0, new)
    merkle.verify_consistency(old, new, proof, old_root, new_root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(old, new, proof, flip(old_root, bit), new_root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(old, new, proof, old_root, flip(new_root, bit))
    if proof:
        spoiled = list(proof)
        spoiled[bit % len(spoiled)] = flip(spoiled[bit % len(spoiled)], bit)
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(old, new, spoiled, old_root, new_root)


def test_every_size_up_to_300_round_trips_exhaustively() -> None:
    for size in range(1, 301):
        root = subtree(0, size)
        for index in range(0, size, max(1, size // 17)):
            merkle.verify_inclusion(
                index,
                size,
                LEAVES[index],
                merkle.inclusion_proof(index, size, stored_subtree),
                root,
            )
        for old in range(1, size + 1, max(1, size // 13)):
            merkle.verify_consistency(
                old, size, merkle.consistency_proof(old, size, subtree), subtree(0, old), root
            )
