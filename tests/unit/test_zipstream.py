"""The streamed ZIP writer: what it writes, however drained, is a ZIP that `zipfile` (the
offline verifier's reader) and Info-ZIP's `unzip` read back member for member."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.ledger.zipstream import Deflated, ZipStream

# A piece: bytes deflated as they come, or (a str) a piece deflated once and shared.
PIECE = st.binary(max_size=3000) | st.sampled_from(["an authority proof " * 50, "{}"])
MEMBERS = st.lists(st.lists(PIECE, max_size=6), max_size=8)


def written(members: dict[str, list[bytes | str]], level: int = 6) -> bytes:
    """An archive of `members`; a str piece is deflated once on its own and copied in."""
    archive = ZipStream(level)
    shared: dict[str, Deflated] = {}
    chunks: list[bytes] = []
    for name, pieces in members.items():
        entry = archive.open(name)
        for piece in pieces:
            if isinstance(piece, str):
                piece = shared.setdefault(piece, archive.deflated(piece.encode()))
            entry.write(piece)
            chunks.append(archive.drain())
        assert entry.close() == hashlib.sha256(b"".join(_plain(pieces))).hexdigest()
    archive.close()
    return b"".join(chunks) + archive.drain()


def _plain(pieces: list[bytes | str]) -> list[bytes]:
    return [p.encode() if isinstance(p, str) else p for p in pieces]


def read(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every member's CRC
    return {name: archive.read(name) for name in archive.namelist()}


@settings(max_examples=200, deadline=None)
@given(MEMBERS, st.sampled_from([1, 6, 9]))
def test_members_of_any_pieces_read_back_in_order(
    members: list[list[bytes | str]], level: int
) -> None:
    named = {f"m/{n}.json": pieces for n, pieces in enumerate(members)}
    data = written(named, level)
    assert read(data) == {name: b"".join(_plain(pieces)) for name, pieces in named.items()}


def test_a_dossier_like_archive_is_what_zipfile_and_unzip_read(tmp_path: Path) -> None:
    authority = "x" * 20_000
    members: dict[str, list[bytes | str]] = {
        "README.md": [b"# Dossier\n"],
        "empty.txt": [],
        "nothing.txt": [b""],
        "tên-tiếng-việt.txt": ["Hồ sơ"],
        **{f"receipts/event-{v:05d}.json": [b"{\n  ", authority, b"\n}"] for v in range(1, 4)},
    }
    before = time.localtime()
    data = written(members)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == list(members)
    info = archive.getinfo("receipts/event-00002.json")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert info.compress_size < info.file_size / 50  # the shared piece is deflated
    assert info.flag_bits & 0x08  # a data descriptor: nothing was sought back
    assert archive.getinfo("tên-tiếng-việt.txt").flag_bits & 0x800  # the name is UTF-8
    assert info.external_attr >> 16 == 0o600
    assert info.date_time >= (*before[:5], before[5] // 2 * 2)  # stamped now (2 s steps)
    assert read(data) == {name: b"".join(_plain(p)) for name, p in members.items()}
    if shutil.which("unzip") is None:
        pytest.skip("Info-ZIP's unzip is not installed: zipfile alone read the archive")
    path = tmp_path / "dossier.zip"
    path.write_bytes(data)
    tested = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "No errors detected" in tested.stdout


def test_more_members_than_a_zip_without_zip64_counts_are_read_back() -> None:
    count = 0x10000 + 2
    data = written({f"e/{n}": [b"%d" % n] for n in range(count)})
    assert b"PK\x06\x06" in data[-200:]  # zip64's end record
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert len(archive.namelist()) == count
    assert archive.read(f"e/{count - 1}") == b"%d" % (count - 1)


def test_an_archive_left_unclosed_is_not_a_zip() -> None:
    archive = ZipStream(6)
    entry = archive.open("receipts/event-00001.json")
    entry.write(b"{}")
    entry.close()
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(archive.drain()))
