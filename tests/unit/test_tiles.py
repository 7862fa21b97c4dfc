"""Tile paths and tile-based proofs (c2sp.org/tlog-tiles), against in-memory trees."""

from __future__ import annotations

import pytest

from projections.ledger import merkle
from projections.ledger.tiles import (
    TileError,
    TileReader,
    available,
    parse_tile_path,
    tile_path,
)


def test_tile_paths_are_those_of_the_spec() -> None:
    assert tile_path(0, 1234067) == "0/x001/x234/067"
    assert tile_path(2, 5, 17) == "2/005.p/17"
    assert tile_path(1, 0) == "1/000"
    assert parse_tile_path("0/x001/x234/067") == (0, 1234067, 256)
    assert parse_tile_path("2/005.p/17") == (2, 5, 17)
    for bad in ("01/000", "0/1234", "0/x001/23", "0/000.p/0", "0/000.p/256", "64/000", "a/000"):
        with pytest.raises(TileError):
            parse_tile_path(bad)


def test_a_tree_of_70000_has_the_tiles_the_spec_lists() -> None:
    # 273 full level-0 tiles and one of width 112; one full level-1 tile and one of width 17;
    # one level-2 tile of width 1.
    assert divmod(available(0, 70_000), 256) == (273, 112)
    assert divmod(available(1, 70_000), 256) == (1, 17)
    assert divmod(available(2, 70_000), 256) == (0, 1)


def tiles_of(leaves: list[bytes]) -> dict[str, bytes]:
    """Every tile (full and partial) of a tree, as a log would serve them."""
    served: dict[str, bytes] = {}
    level_hashes = leaves
    level = 0
    while level_hashes:
        for index in range(0, len(level_hashes), 256):
            chunk = level_hashes[index : index + 256]
            served["tile/" + tile_path(level, index // 256, len(chunk))] = b"".join(chunk)
        level_hashes = [
            merkle.root_of(level_hashes[i : i + 256])
            for i in range(0, len(level_hashes) - 255, 256)
        ]
        level += 1
    return served


@pytest.mark.parametrize(
    ("old", "new"), [(1, 2), (5, 256), (255, 257), (256, 70_000), (4100, 66_000)]
)
def test_consistency_proofs_from_tiles_equal_those_from_the_tree(old: int, new: int) -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(new)]
    served = tiles_of(leaves)
    fetched: list[str] = []

    def fetch(path: str) -> bytes:
        fetched.append(path)
        return served[path]

    reader = TileReader(fetch, new)
    expected = merkle.consistency_proof(old, new, lambda a, b: merkle.root_of(leaves[a:b]))
    assert reader.consistency(old) == expected
    assert reader.root() == merkle.root_of(leaves)
    merkle.verify_consistency(
        old, new, reader.consistency(old), merkle.root_of(leaves[:old]), reader.root()
    )
    assert len(fetched) == len(set(fetched))  # each tile fetched once


def test_a_short_or_missing_tile_is_an_error() -> None:
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(10)]
    served = tiles_of(leaves)
    with pytest.raises(TileError, match="has 288 bytes"):
        TileReader(lambda path: served[path][:-32], 10).root()
    with pytest.raises(TileError, match="beyond"):
        TileReader(lambda path: served[path], 10).node(8, 0)
