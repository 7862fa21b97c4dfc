"""C2SP signed notes (Ed25519), tlog-checkpoints and tlog-proofs.

Verifier keys use the note format `<name>+<key id hex>+<base64(0x01 || public key)>`; signer
keys `PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || seed)>` (as golang.org/x/mod/sumdb/note).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519 = 0x01
DASH = "\u2014"
PROOF_HEADER = "c2sp.org/tlog-proof@v1"


class NoteError(ValueError):
    """A key, note, checkpoint or proof that cannot be used or does not verify."""


def key_id(name: str, public: bytes, kind: int = ED25519) -> int:
    """The 32-bit key ID of a key of signature type `kind` (0x01: notes, 0x04: cosignatures)."""
    return int.from_bytes(
        hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4], "big"
    )


def check_name(name: str) -> None:
    """A key name is non-empty, without spaces or '+'."""
    if not name or any(ch.isspace() or ch == "+" for ch in name):
        raise NoteError("a key name is non-empty, without spaces or '+'")


def encode_key(name: str, key: bytes, kind: int, private: bool = False) -> str:
    """`name+<id hex>+base64(kind || key)` (a vkey), or with `PRIVATE+KEY+` before it."""
    public = (
        Ed25519PrivateKey.from_private_bytes(key).public_key().public_bytes(*_RAW)
        if private
        else key
    )
    text = (
        f"{name}+{key_id(name, public, kind):08x}+{base64.b64encode(bytes([kind]) + key).decode()}"
    )
    return "PRIVATE+KEY+" + text if private else text


def parse_key(text: str, kind: int, private: bool = False) -> tuple[str, bytes]:
    """(name, raw key) of a vkey (or private key) of signature type `kind`; its id checked."""
    parts = text.strip().split("+", 4 if private else 2)
    if private:
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signer key (PRIVATE+KEY+name+id+key)")
        parts = parts[2:]
    if len(parts) != 3:
        raise NoteError("not a verifier key (name+id+key)")
    name, hexid, blob = parts
    try:
        raw = base64.b64decode(blob, validate=True)
    except binascii.Error as error:
        raise NoteError("the key is not base64") from error
    check_name(name)
    if len(raw) != 33 or raw[0] != kind:
        raise NoteError(f"only Ed25519 keys of signature type 0x{kind:02x} are supported here")
    public = (
        Ed25519PrivateKey.from_private_bytes(raw[1:]).public_key().public_bytes(*_RAW)
        if private
        else raw[1:]
    )
    if f"{key_id(name, public, kind):08x}" != hexid.lower():
        raise NoteError("the key's ID does not match its key")
    return name, raw[1:]


_RAW = (Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class _NamedKey:
    """A named Ed25519 key of one signature type (`KIND`), as C2SP key text: a verifier key,
    or (`PRIVATE`) a signer key."""

    KIND: ClassVar[int] = ED25519
    PRIVATE: ClassVar[bool] = False
    name: str

    if TYPE_CHECKING:

        def __init__(self, name: str, key: bytes, /) -> None: ...

    def _key(self) -> bytes:
        raise NotImplementedError

    def encode(self) -> str:
        """The key text (keep a signer key's secret)."""
        return encode_key(self.name, self._key(), self.KIND, private=self.PRIVATE)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read a key of this type."""
        return cls(*parse_key(text, cls.KIND, private=cls.PRIVATE))


@dataclass(frozen=True)
class PublicKey(_NamedKey):
    """A named Ed25519 public key of one signature type (`KIND`), as a C2SP vkey."""

    public: bytes

    @cached_property
    def id(self) -> int:
        """The key ID."""
        return key_id(self.name, self.public, self.KIND)

    def _key(self) -> bytes:
        return self.public


@dataclass(frozen=True)
class PrivateKey(_NamedKey):
    """A named Ed25519 private key of one signature type (`KIND`); keep its text secret."""

    PRIVATE: ClassVar[bool] = True
    seed: bytes

    @classmethod
    def generate(cls, name: str) -> Self:
        """A new random key."""
        check_name(name)
        seed = Ed25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        return cls(name, seed)

    @cached_property
    def public(self) -> bytes:
        """The public key's raw bytes (derived once per key object)."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes(*_RAW)

    def _key(self) -> bytes:
        return self.seed


@dataclass(frozen=True)
class Verifier(PublicKey):
    """A public key that checks signed notes of one key name."""

    def check(self, text: bytes, signature: bytes) -> bool:
        """Whether `signature` signs `text` with this key."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, text)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer(PrivateKey):
    """A private key that signs notes under one key name."""

    @cached_property
    def verifier(self) -> Verifier:
        """The matching verifier (made once per key object: every act signed names its id)."""
        return Verifier(self.name, self.public)

    def sign(self, text: str) -> str:
        """`text` (ending in a newline) as a signed note."""
        if not text.endswith("\n"):
            raise NoteError("a note's text ends with a newline")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(text.encode())
        blob = base64.b64encode(struct.pack(">I", self.verifier.id) + signature).decode()
        return f"{text}\n{DASH} {self.name} {blob}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """The text of a signed note, once `verifier` has checked its signature."""
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise NoteError("a signed note contains control characters")
    text, sep, signatures = note.rpartition("\n\n")
    if not sep or not signatures.endswith("\n"):
        raise NoteError("not a signed note (text, blank line, signature lines)")
    text += "\n"
    verified = False
    for line in signatures[:-1].split("\n"):
        dash, _, rest = line.partition(" ")
        name, _, blob = rest.partition(" ")
        if dash != DASH or not name or not blob:
            raise NoteError("malformed signature line")
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error as error:
            raise NoteError("a signature is not base64") from error
        if len(raw) < 5 or name != verifier.name or int.from_bytes(raw[:4], "big") != verifier.id:
            continue  # another key's signature (a witness, say): ignored
        if not verifier.check(text.encode(), raw[4:]):
            raise NoteError(f"the signature of {name} does not verify")
        verified = True
    if not verified:
        raise NoteError(f"the note carries no valid signature by {verifier.name}")
    return text


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint: origin, tree size, root hash (and extension lines)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The checkpoint's note text."""
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read a checkpoint's (already verified) note text."""
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "":
            raise NoteError("a checkpoint has an origin, a size and a root, each on a line")
        origin, size, root = lines[0], lines[1], lines[2]
        if not size.isdigit() or (size != "0" and size.startswith("0")):
            raise NoteError("the checkpoint's size is not a decimal number")
        try:
            raw = base64.b64decode(root, validate=True)
        except binascii.Error as error:
            raise NoteError("the checkpoint's root is not base64") from error
        if len(raw) != 32 or not origin:
            raise NoteError("the checkpoint's root is not a SHA-256 hash")
        return cls(origin, int(size), raw, tuple(lines[3:-1]))


def verify_checkpoint(note: str, verifier: Verifier, origin: str | None = None) -> Checkpoint:
    """The checkpoint of a signed note, its signature checked (and its origin, if given)."""
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is from {checkpoint.origin}, not {origin}")
    return checkpoint


def proof_text(
    index: int, hashes: list[bytes], signed_checkpoint: str, extra: bytes | None = None
) -> str:
    """A c2sp.org/tlog-proof@v1 text."""
    lines = [PROOF_HEADER]
    if extra is not None:
        lines.append("extra " + base64.b64encode(extra).decode())
    lines.append(f"index {index}")
    lines += [base64.b64encode(h).decode() for h in hashes]
    return "\n".join(lines) + "\n\n" + signed_checkpoint


def parse_proof(text: str) -> tuple[int, list[bytes], str, bytes | None]:
    """Index, inclusion hashes, signed checkpoint and extra data of a tlog-proof."""
    head, sep, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != PROOF_HEADER:
        raise NoteError("not a c2sp.org/tlog-proof@v1")
    extra = None
    rest = lines[1:]
    try:
        if rest and rest[0].startswith("extra "):
            extra = base64.b64decode(rest.pop(0)[6:], validate=True)
        if not rest or not rest[0].startswith("index "):
            raise NoteError("the proof has no index line")
        index_text = rest.pop(0)[6:]
        if not index_text.isdigit():
            raise NoteError("the proof's index is not a decimal number")
        hashes = [base64.b64decode(line, validate=True) for line in rest]
    except binascii.Error as error:
        raise NoteError("a proof line is not base64") from error
    return int(index_text), hashes, checkpoint, extra
