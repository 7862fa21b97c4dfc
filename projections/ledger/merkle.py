"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification. Pure functions.

Hashes are SHA-256. A leaf is SHA-256(0x00 || data), a node SHA-256(0x01 || left || right);
a tree of n leaves splits at the largest power of two smaller than n (no padding). Proofs are
generated from `subtree(start, end)`, the hash of leaves [start, end): callers answer it from
memory or from stored complete-subtree hashes (see `complete_nodes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
Subtree = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof, hash or size that does not verify."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over the given leaf hashes (the empty tree hashes the empty string)."""
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    return _mth(leaf_hashes, 0, len(leaf_hashes))


def _mth(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    if end - start == 1:
        return hashes[start]
    k = split(end - start)
    return node_hash(_mth(hashes, start, start + k), _mth(hashes, start + k, end))


def complete_nodes(start: int, end: int) -> list[tuple[int, int]]:
    """The complete aligned subtrees (level, index) whose hashes compose MTH(D[start:end]).

    Valid for every range a proof or a root asks for: `start` is a multiple of the largest
    power of two not smaller than the range, so the range splits into aligned subtrees.
    """
    nodes = []
    while end > start:
        size = end - start
        if size & (size - 1) == 0:
            nodes.append((size.bit_length() - 1, start >> (size.bit_length() - 1)))
            break
        k = split(size)
        nodes.append((k.bit_length() - 1, start >> (k.bit_length() - 1)))
        start += k
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Compose the hashes of `complete_nodes(start, end)` into MTH(D[start:end])."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


Node = tuple[int, int, bytes]  # level, index at that level, hash


def push(frontier: list[Node], index: int, digest: bytes, completed: list[Node]) -> None:
    """Append leaf `index` to a tree's right edge (its complete subtrees, left to right);
    every subtree it completes is appended to `completed` too."""
    frontier.append((0, index, digest))
    while len(frontier) > 1 and frontier[-1][0] == frontier[-2][0]:
        level, right_idx, right = frontier.pop()
        _, _, left = frontier.pop()
        node = (level + 1, right_idx >> 1, node_hash(left, right))
        completed.append(node)
        frontier.append(node)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The subtrees whose hashes form the inclusion proof of leaf `index` (bottom first)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The subtrees whose hashes form the consistency proof from `old` to `new` (RFC 9162)."""
    if not 0 < old <= new:
        raise ProofError(f"no consistency proof from size {old} to size {new}")
    ranges: list[tuple[int, int]] = []
    _subproof(old, 0, new, True, ranges)
    return ranges


def _subproof(m: int, start: int, end: int, whole: bool, out: list[tuple[int, int]]) -> None:
    n = end - start
    if m == n:
        if not whole:
            out.append((start, end))
        return
    k = split(n)
    if m <= k:
        _subproof(m, start, start + k, whole, out)
        out.append((start + k, end))
    else:
        _subproof(m - k, start + k, end, False, out)
        out.append((start, start + k))


def inclusion_proof(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """The inclusion proof of leaf `index` in the tree of `size` leaves."""
    return [subtree(a, b) for a, b in inclusion_ranges(index, size)]


def consistency_proof(old: int, new: int, subtree: Subtree) -> list[bytes]:
    """The consistency proof from the tree of `old` leaves to the tree of `new` leaves."""
    return [subtree(a, b) for a, b in consistency_ranges(old, new)]


def _check(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} must be {HASH_SIZE} bytes, not {len(value)}")


def _step_up(fn: int, sn: int) -> tuple[bool, int, int]:
    """One step of RFC 9162's proof walks (§2.1.3.2, §2.1.4.2) for the path element at node
    `fn` of last node `sn`: whether the element is the left sibling, and `fn`, `sn` one level
    up (past the levels where the node has no right sibling, when it is a left one)."""
    left = bool(fn & 1 or fn == sn)
    if left and not fn & 1:
        while fn & 1 == 0 and fn != 0:
            fn >>= 1
            sn >>= 1
    return left, fn >> 1, sn >> 1


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2)."""
    _check(leaf, "the leaf hash")
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    fn, sn = index, size - 1
    result = leaf
    for element in proof:
        _check(element, "a proof hash")
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        left, fn, sn = _step_up(fn, sn)
        result = node_hash(element, result) if left else node_hash(result, element)
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    return result


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless `proof` shows leaf `index` in the tree with `root`."""
    _check(root, "the root")
    if root_from_inclusion(index, size, leaf, proof) != root:
        raise ProofError("the inclusion proof does not lead to the checkpoint's root")


def verify_consistency(
    old: int, new: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Raise ProofError unless `proof` shows the tree of `new` leaves extends that of `old`
    (RFC 9162 §2.1.4.2: step 1 and step 7 here, steps 2 to 6 in `_consistency_walk`)."""
    if old > new:
        raise ProofError("the old size is larger than the new one")
    if old == 0:
        raise ProofError("a consistency proof from the empty tree is not accepted")
    if old == new:
        _verify_equal_sizes(proof, old_root, new_root)
        return
    _check(old_root, "the old root")
    _check(new_root, "the new root")
    for element in proof:
        _check(element, "a proof hash")
    # 1. An empty consistency_path fails.
    if not proof:
        raise ProofError("the proof is empty")
    fr, sr, sn = _consistency_walk(old, new, proof, old_root)
    # 7. fr must be first_hash, sr second_hash, and sn 0.
    if sn != 0:
        raise ProofError("the proof is shorter than the trees are deep")
    if fr != old_root:
        raise ProofError("the proof does not lead to the old root")
    if sr != new_root:
        raise ProofError("the proof does not lead to the new root")


def _verify_equal_sizes(proof: Sequence[bytes], old_root: bytes, new_root: bytes) -> None:
    """Two trees of the same size are consistent by an empty proof and equal roots."""
    if proof:
        raise ProofError("equal sizes are consistent only with an empty proof")
    if old_root != new_root:
        raise ProofError("equal sizes with different roots")


def _consistency_walk(
    old: int, new: int, proof: Sequence[bytes], old_root: bytes
) -> tuple[bytes, bytes, int]:
    """Steps 2 to 6 of RFC 9162 §2.1.4.2 (first = `old`, second = `new`, consistency_path =
    `proof`, non-empty): the recomputed old root fr, new root sr, and what is left of sn."""
    path = list(proof)
    # 2. If first is an exact power of two (its root is the first node), prepend first_hash.
    if old & (old - 1) == 0:
        path = [old_root, *path]
    # 3. fn = first - 1, sn = second - 1.
    fn, sn = old - 1, new - 1
    # 4. While LSB(fn) is set, right-shift both fn and sn.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. fr and sr start as the first value of the path.
    fr = sr = path[0]
    # 6. For each subsequent value c of the path:
    for element in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the trees are deep")
        left, fn, sn = _step_up(fn, sn)
        if left:
            fr = node_hash(element, fr)
            sr = node_hash(element, sr)
        else:
            sr = node_hash(sr, element)
    return fr, sr, sn
