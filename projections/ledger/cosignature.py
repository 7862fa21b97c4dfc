"""C2SP tlog-cosignature/v1 with Ed25519 (https://c2sp.org/tlog-cosignature), the format in
which witnesses countersign checkpoints. Standard library and `cryptography` only: verifiers
run this offline.

A cosignature is a signed-note signature line

    — <witness name> base64(key id (4 bytes) || timestamp (u64, big-endian) || signature (64))

where the key id is SHA-256(<name> || "\\n" || 0x04 || public key)[:4] and the signature is
Ed25519 over

    "cosignature/v1\\n" || "time <timestamp>\\n" || <the checkpoint's note body>

Verifier keys are C2SP vkeys with signature type 0x04: `<name>+<key id hex>+<base64(0x04 ||
public key)>`.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from projections.ledger.note import DASH, NoteError, PrivateKey, PublicKey

COSIGNATURE_V1 = 0x04
HEADER = "cosignature/v1\n"


def message(body: str, timestamp: int) -> bytes:
    """The bytes a cosignature signs: header, time line, the checkpoint's note body."""
    return f"{HEADER}time {timestamp}\n{body}".encode()


@dataclass(frozen=True)
class WitnessKey(PublicKey):
    """A witness's public key (cosignature/v1, Ed25519: signature type 0x04)."""

    KIND: ClassVar[int] = COSIGNATURE_V1

    def timestamp(self, body: str, line: str) -> int | None:
        """The time of this witness's valid cosignature `line` on `body`; None when the line
        is another key's; NoteError when it is this key's and does not verify."""
        dash, _, rest = line.rstrip("\n").partition(" ")
        name, _, blob = rest.partition(" ")
        if dash != DASH or not blob:
            raise NoteError("malformed signature line")
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error as error:
            raise NoteError("a signature is not base64") from error
        if name != self.name or len(raw) < 4 or int.from_bytes(raw[:4], "big") != self.id:
            return None
        if len(raw) != 4 + 8 + 64:
            raise NoteError(f"the cosignature of {name} has the wrong length")
        (timestamp,) = struct.unpack(">Q", raw[4:12])
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(
                raw[12:], message(body, timestamp)
            )
        except InvalidSignature:
            raise NoteError(f"the cosignature of {name} does not verify") from None
        return int(timestamp)


@dataclass(frozen=True)
class WitnessSigner(PrivateKey):
    """A witness's private key."""

    KIND: ClassVar[int] = COSIGNATURE_V1

    @property
    def key(self) -> WitnessKey:
        """The public half."""
        return WitnessKey(self.name, self.public)

    def cosign(self, body: str, timestamp: int) -> str:
        """The cosignature line (ending in a newline) on a checkpoint's note body."""
        if timestamp <= 0 or timestamp > 2**63 - 1:
            raise ValueError("a cosignature's timestamp is a positive POSIX time")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(message(body, timestamp))
        raw = struct.pack(">I", self.key.id) + struct.pack(">Q", timestamp) + signature
        return f"{DASH} {self.name} {base64.b64encode(raw).decode()}\n"


def split_note(note: str) -> tuple[str, list[str]]:
    """A signed note's body (ending in a newline) and its signature lines."""
    text, sep, signatures = note.rpartition("\n\n")
    if not sep or not signatures.endswith("\n"):
        raise NoteError("not a signed note (text, blank line, signature lines)")
    return text + "\n", signatures[:-1].split("\n")


def cosigned_by(note: str, witnesses: Iterable[WitnessKey]) -> dict[str, int]:
    """Witness name → time of its valid cosignature on the note's checkpoint; NoteError when
    a line claims a given witness's key and does not verify (ignores unknown keys)."""
    body, lines = split_note(note)
    found: dict[str, int] = {}
    for key in witnesses:
        for line in lines:
            stamp = key.timestamp(body, line)
            if stamp is not None:
                found[key.name] = stamp
    return found
