"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the Merkle tree as static 256-hash tiles,
so that monitors can mirror and check the log over plain HTTP, without an account.

Tile `<L>/<N>` holds the hashes of the complete subtrees of height 8·L with indexes
N·256 … N·256+255 (level 0: the leaf hashes); a partial tile `.p/<W>` holds the first W. The
ledger stores every complete subtree hash (`ledger_nodes`), so a tile is one indexed range
read. Only hashes are served: entry bundles would reveal restricted records and are not.

`TileReader` is the client side: any subtree hash of a tree of a given size from tiles, and
hence consistency proofs, with the standard library only (monitors run it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from projections.ledger import merkle

WIDTH = 256
_INDEX = re.compile(r"^(?:x\d{3}/)*\d{3}$")


class TileError(ValueError):
    """A tile path that is not one, or a tile the tree does not have."""


def tile_path(level: int, index: int, width: int = WIDTH) -> str:
    """`<L>/<N>[.p/<W>]` with N in 3-digit groups, all but the last prefixed by `x`."""
    digits = f"{index:d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    name = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
    return f"{level}/{name}" + ("" if width == WIDTH else f".p/{width}")


def parse_tile_path(path: str) -> tuple[int, int, int]:
    """(level, index, width) of a tile path; TileError when it is not a tile path."""
    level_text, _, rest = path.partition("/")
    if not level_text.isdigit() or (level_text != "0" and level_text[0] == "0"):
        raise TileError("the level is a decimal number without leading zeros")
    level = int(level_text)
    width = WIDTH
    if ".p/" in rest:
        rest, _, width_text = rest.partition(".p/")
        if not width_text.isdigit() or width_text[0] == "0" or not 1 <= int(width_text) < WIDTH:
            raise TileError("a partial tile's width is 1 to 255")
        width = int(width_text)
    if level > 63 or not _INDEX.match(rest):
        raise TileError("not a tile path")
    return level, int(rest.replace("x", "").replace("/", "")), width


def available(level: int, size: int) -> int:
    """How many hashes level `level` has in a tree of `size` leaves."""
    return int(size // (WIDTH**level))


class TileReader:
    """Subtree hashes of the tree of `size` leaves, from tiles fetched by `fetch(path)`
    (paths relative to the log's prefix: `tile/<L>/<N>[.p/<W>]`)."""

    def __init__(self, fetch: Callable[[str], bytes], size: int) -> None:
        self.fetch = fetch
        self.size = size
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def _tile(self, level: int, index: int) -> list[bytes]:
        if (level, index) not in self._tiles:
            width = min(WIDTH, available(level, self.size) - index * WIDTH)
            if width <= 0:
                raise TileError(f"tile {level}/{index} is beyond a tree of {self.size} leaves")
            data = self.fetch("tile/" + tile_path(level, index, width))
            if len(data) != 32 * width:
                raise TileError(f"tile {tile_path(level, index, width)} has {len(data)} bytes")
            self._tiles[(level, index)] = [data[i : i + 32] for i in range(0, len(data), 32)]
        return self._tiles[(level, index)]

    def node(self, height: int, index: int) -> bytes:
        """The hash of the complete subtree of `2**height` leaves number `index`."""
        level, below = divmod(height, 8)
        first = index << below  # its first hash at the tile level
        hashes = self._tile(level, first // WIDTH)
        offset = first % WIDTH
        span = hashes[offset : offset + (1 << below)]
        if len(span) != 1 << below:
            raise TileError("the tile is too short for the subtree asked for")
        return merkle.root_of(span)

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range a proof or a root asks for."""
        return merkle.fold([self.node(h, i) for h, i in merkle.complete_nodes(start, end)])

    def root(self) -> bytes:
        """The root of the whole tree."""
        return self.subtree(0, self.size) if self.size else merkle.root_of([])

    def consistency(self, old: int) -> list[bytes]:
        """The consistency proof from the tree of `old` leaves to this tree."""
        return merkle.consistency_proof(old, self.size, self.subtree)
