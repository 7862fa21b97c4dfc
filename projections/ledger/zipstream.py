"""A ZIP archive written as it is read (PKWARE APPNOTE.TXT): each member's local header, its
deflated data and a data descriptor (sizes and CRC after the data: nothing is sought back),
then the central directory; zip64's end records when the members outnumber 65,535. Standard
library only.

Why not `zipfile`: a dossier has thousands of members, most of whose bytes are an authority
proof repeated from the receipt before. `zipfile` deflates every member with a compressor of
its own (setting one up costs about as much as deflating a receipt) and cannot take bytes
already deflated. Here one compressor serves every member, each member's data ending in a
full flush (the compressor forgets what came before, so the member stands alone) and an empty
final block; and a piece deflated once on its own (`deflated`) is copied into every member
that holds it. Each member is a valid deflate stream however its pieces were made.
"""

from __future__ import annotations

import hashlib
import struct
import time
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_DESCRIPTOR = struct.Struct("<4sIII")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_END64 = struct.Struct("<4sQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<4sIQI")
_VERSION = 20  # deflate
_VERSION64 = 45  # zip64's end records
_MADE_BY = (3 << 8) | _VERSION  # Unix, as zipfile writes
_DESCRIPTOR_FLAG = 0x08  # sizes and CRC in a data descriptor after the data
_UTF8_FLAG = 0x800
_DEFLATED = 8
_PERMISSIONS = 0o600 << 16  # rw for the owner, as zipfile's writestr stamps a member
_FINAL = b"\x03\x00"  # an empty final block with fixed codes: the end of a member's stream
_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Deflated:
    """A piece of a member with its deflated bytes, made once by `deflated` and copied into
    every member that holds it."""

    data: bytes
    deflated: bytes


class ZipStream:
    """Members added one at a time; `drain` hands on what was written since it last did."""

    def __init__(self, level: int) -> None:
        self.level = level
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._parts: list[bytes] = []
        self.pending = 0  # bytes written and not drained yet
        self._offset = 0  # bytes written since the start
        self._entries: list[tuple[bytes, int, int, int, int, int, int, int]] = []

    def deflated(self, data: bytes) -> Deflated:
        """`data` deflated on its own, to be copied into members (`add`)."""
        deflate = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        return Deflated(data, deflate.compress(data) + deflate.flush(zlib.Z_FULL_FLUSH))

    def open(self, name: str) -> Member:
        """Start a member (its local header is written): `write` its pieces, then `close` it;
        one member at a time."""
        return Member(self, name)

    def close(self) -> None:
        """Write the central directory and the end records."""
        start = self._offset
        for encoded, flags, dos_time, dos_date, crc, written, size, offset in self._entries:
            fields = (b"PK\x01\x02", _MADE_BY, _VERSION, flags, _DEFLATED, dos_time, dos_date)
            extra = (crc, written, size, len(encoded), 0, 0, 0, 0, _PERMISSIONS, offset)
            self._write(_CENTRAL.pack(*fields, *extra) + encoded)
        count, length = len(self._entries), self._offset - start
        if start + length > _LIMIT:
            raise ValueError("the archive would need zip64 offsets, which are not written")
        if count >= 0xFFFF:
            end64 = self._offset
            self._write(
                _END64.pack(
                    b"PK\x06\x06", 44, _MADE_BY, _VERSION64, 0, 0, count, count, length, start
                )
            )
            self._write(_LOCATOR64.pack(b"PK\x06\x07", 0, end64, 1))
            count = 0xFFFF
        self._write(_END.pack(b"PK\x05\x06", 0, 0, count, count, length, start, 0))

    def drain(self) -> bytes:
        """What was written since the last drain."""
        data = b"".join(self._parts)
        self._parts, self.pending = [], 0
        return data

    def _write(self, data: bytes) -> int:
        if data:
            self._parts.append(data)
            self.pending += len(data)
            self._offset += len(data)
        return len(data)


class Member:
    """A member being written: its pieces deflated as they come, CRC, size and SHA-256 kept."""

    def __init__(self, archive: ZipStream, name: str) -> None:
        try:
            self._name, self._flags = name.encode("ascii"), _DESCRIPTOR_FLAG
        except UnicodeEncodeError:
            self._name, self._flags = name.encode(), _DESCRIPTOR_FLAG | _UTF8_FLAG
        self._archive = archive
        # Stamped now, in local time, as zipfile's writestr stamps a member.
        year, month, day, hour, minute, second = time.localtime(time.time())[:6]
        self._time = hour << 11 | minute << 5 | second // 2
        self._date = (year - 1980) << 9 | month << 5 | day
        self._offset = archive._offset
        self._digest = hashlib.sha256()
        self._crc = self._size = self._written = 0
        header = (b"PK\x03\x04", _VERSION, self._flags, _DEFLATED, self._time, self._date)
        archive._write(_LOCAL.pack(*header, 0, 0, 0, len(self._name), 0) + self._name)

    def write(self, piece: bytes | Deflated) -> None:
        """Add a piece: bytes, deflated here, or a piece deflated once (`deflated`)."""
        data = piece.data if isinstance(piece, Deflated) else piece
        self._digest.update(data)
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        deflate = self._archive._deflate
        if isinstance(piece, Deflated):
            # What the shared compressor holds goes out first, and it forgets it: the copied
            # bytes refer to nothing before them.
            out = deflate.flush(zlib.Z_FULL_FLUSH) + piece.deflated
        else:
            out = deflate.compress(data)
        self._written += self._archive._write(out)

    def close(self) -> str:
        """End the member (its data descriptor is written); its SHA-256, in hex."""
        deflate = self._archive._deflate
        self._written += self._archive._write(deflate.flush(zlib.Z_FULL_FLUSH) + _FINAL)
        if max(self._size, self._written, self._offset) > _LIMIT:
            raise ValueError("a member would need zip64 sizes or offsets, which are not written")
        self._archive._write(_DESCRIPTOR.pack(b"PK\x07\x08", self._crc, self._written, self._size))
        self._archive._entries.append(
            (
                self._name,
                self._flags,
                self._time,
                self._date,
                self._crc,
                self._written,
                self._size,
                self._offset,
            )
        )
        return self._digest.hexdigest()
