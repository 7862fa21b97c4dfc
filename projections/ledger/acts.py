"""Acts authenticated at the command boundary: every event the service records carries an
Ed25519 signature made by the web process that recorded it, with a key the database does not
hold (docs/ledger.md §1.1).

A row written into the event store behind the service's back — by anyone with database
access but without the act key — carries no valid signature: the sealer refuses it (it never
becomes a leaf), the application refuses to load it, and every verifier rejects it.

The signature sits at the front of the stored state, so the leaf (which hashes the stored
state byte for byte) commits to it and a receipt carries it:

    signed state = '{"_act":"' || base64(key id (4 bytes) || signature (64 bytes)) || '"'
                   || ( ',' || body[1:]   if body != '{}'   else   '}' )

where `body` is the event's JSON as the service encoded it. The signature is over

    "initiative-ledger/act/v1\\n" || SHA-256(leaf input v1 of (aggregate id, version, topic,
                                             body))

so it binds the act to its aggregate, version and kind: a signed body cannot be replayed as
another event. Only the standard library and `cryptography` are needed (verifiers run this).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from projections.ledger import leaf
from projections.ledger.note import Signer, Verifier

if TYPE_CHECKING:  # the mapper needs eventsourcing; verifiers load this module without it
    from eventsourcing.persistence import Transcoder

    from projections.ledger.act_mapper import ActMapper

CONTEXT = b"initiative-ledger/act/v1\n"
PREFIX = b'{"_act":"'
_SIG_B64 = 92  # base64 of 4 + 64 bytes


class ActError(Exception):
    """A stored event that is not an act this service authenticated."""

    def __init__(self, aggregate_id: UUID | str, version: int, reason: str) -> None:
        super().__init__(f"event {aggregate_id} version {version} {reason}")
        self.aggregate_id = str(aggregate_id)
        self.version = version
        self.reason = reason


def act_message(aggregate_id: UUID, version: int, topic: str, body: bytes) -> bytes:
    """The bytes an act signature signs."""
    unsigned = leaf.encode(leaf.StoredRecord(aggregate_id, version, topic, body))
    return CONTEXT + hashlib.sha256(unsigned).digest()


def wrap(body: bytes, key_id: int, signature: bytes) -> bytes:
    """The signed state: the signature put in front of the body's first member."""
    if not body.startswith(b"{") or not body.endswith(b"}"):
        raise ValueError("an act's body is a JSON object")
    blob = base64.b64encode(struct.pack(">I", key_id) + signature)
    rest = b"}" if body == b"{}" else b"," + body[1:]
    return PREFIX + blob + b'"' + rest


def unwrap(state: bytes) -> tuple[int, bytes, bytes] | None:
    """(key id, signature, body) of a signed state; None when it carries no act signature."""
    if not state.startswith(PREFIX):
        return None
    end = len(PREFIX) + _SIG_B64
    if state[end : end + 1] != b'"':
        return None
    try:
        raw = base64.b64decode(state[len(PREFIX) : end], validate=True)
    except binascii.Error:
        return None
    rest = state[end + 1 :]
    if rest == b"}":
        body = b"{}"
    elif rest.startswith(b",") and len(rest) > 2:
        body = b"{" + rest[1:]
    else:
        return None
    (key_id,) = struct.unpack(">I", raw[:4])
    return key_id, raw[4:], body


@dataclass(frozen=True)
class ActKeys:
    """The act signing key of a process that records acts (web), and the keys that verify
    acts (every process: the current key and any retired ones)."""

    signer: Signer | None = None
    verifiers: tuple[Verifier, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, signer: Signer | None, verifiers: Iterable[Verifier] = ()) -> ActKeys:
        """Keys for a process; the signer's own verifier is always among the verifiers."""
        known = list(verifiers)
        if signer is not None and signer.verifier not in known:
            known.insert(0, signer.verifier)
        return cls(signer, tuple(known))

    @cached_property
    def _private(self) -> Ed25519PrivateKey | None:
        return Ed25519PrivateKey.from_private_bytes(self.signer.seed) if self.signer else None

    @cached_property
    def _checked(self) -> Checked:
        return Checked(CHECKED)

    @cached_property
    def _public(self) -> dict[int, Ed25519PublicKey]:
        return {v.id: Ed25519PublicKey.from_public_bytes(v.public) for v in self.verifiers}

    def mapper(self, transcoder: Transcoder) -> ActMapper:
        """The storage mapper that signs with, and checks against, these keys."""
        from projections.ledger.act_mapper import ActMapper

        return ActMapper(transcoder, self)

    def sign(self, aggregate_id: UUID, version: int, topic: str, body: bytes) -> bytes:
        """The signed state of a new act."""
        if self._private is None or self.signer is None:
            raise ActError(aggregate_id, version, "cannot be recorded: no act signing key here")
        message = act_message(aggregate_id, version, topic, body)
        signature = self._private.sign(message)
        # Remembered as checked: read back byte for byte, the act verifies against the
        # signer's own key (Ed25519 signs deterministically); any other bytes are checked. The
        # next command on an initiative is most often this process's (a client's connection
        # stays with one worker), and checked it again: a tenth of a web worker's busy time.
        self._checked.add((self.signer.verifier.id, signature, message))
        return wrap(body, self.signer.verifier.id, signature)

    def open(self, record: leaf.StoredRecord) -> bytes:
        """The body of an authenticated act; ActError when it is not one."""
        return self.verify(record)[1]

    def verify(self, record: leaf.StoredRecord) -> tuple[Verifier, bytes]:
        """The key that signed an authenticated act, and its body; ActError otherwise."""
        key_id, signature, body, public = self._signed(record)
        message = act_message(record.aggregate_id, record.version, record.topic, body)
        # The same bytes verify the same way every time: a signature this process has checked
        # over the same message (a digest of the act: act_message) is not checked again.
        checked = (key_id, signature, message)
        if checked not in self._checked:
            try:
                public.verify(signature, message)
            except InvalidSignature:
                raise ActError(
                    record.aggregate_id, record.version, "has an invalid act signature (altered?)"
                ) from None
            self._checked.add(checked)
        return next(v for v in self.verifiers if v.id == key_id), body

    def opened(
        self, records: Sequence[leaf.StoredRecord], checker: Checker | None = None
    ) -> list[bytes | None]:
        """The body of each record that is an authenticated act, None for the others (`open`
        says why): checked by `checker` (`act_checker.ActChecker.checked`, a process of its
        own), or here. Not a thread: the library lets go of the interpreter's lock while it
        checks a signature, but beside a thread running Python each check then waits a switch
        interval to take it back (4,000 checks, cryptography 50: 0.42 s alone, 0.21 s on two
        threads, 20.9 s beside a thread spinning in Python)."""
        publics = {v.id: v.public for v in self.verifiers}
        flat = [(r.aggregate_id.bytes, r.version, r.topic, r.state) for r in records]
        flags = (checker or checked_acts)(publics, flat)
        bodies: list[bytes | None] = []
        for record, good in zip(records, flags, strict=True):  # one flag per record
            unwrapped = unwrap(record.state) if good == 1 else None
            bodies.append(unwrapped[2] if unwrapped else None)
        return bodies

    def check_ahead(
        self, records: Sequence[leaf.StoredRecord], checker: Checker
    ) -> list[leaf.StoredRecord]:
        """Check with `checker` (a process of its own: `opened` says why) the acts among
        `records` not checked here before, and remember those that verify, so that `open`
        finds them checked. Returns the records that are not authenticated acts (`open` says
        why, and refuses them)."""
        publics = {v.id: v.public for v in self.verifiers}
        unproven: list[leaf.StoredRecord] = []
        asked: list[tuple[leaf.StoredRecord, tuple[int, bytes, bytes]]] = []
        for record in records:
            unwrapped = unwrap(record.state)
            if unwrapped is None or unwrapped[0] not in publics:
                unproven.append(record)
                continue
            key_id, signature, body = unwrapped
            message = act_message(record.aggregate_id, record.version, record.topic, body)
            if (key_id, signature, message) not in self._checked:
                asked.append((record, (key_id, signature, message)))
        flat = [(r.aggregate_id.bytes, r.version, r.topic, r.state) for r, _ in asked]
        for (record, item), good in zip(
            asked, checker(publics, flat) if flat else b"", strict=True
        ):
            if good == 1:
                self._checked.add(item)
            else:
                unproven.append(record)
        return unproven

    def _signed(self, record: leaf.StoredRecord) -> tuple[int, bytes, bytes, Ed25519PublicKey]:
        """An act's key id, signature, body and the trusted key of that id; ActError when it
        carries no signature, or one by a key not trusted here."""
        unwrapped = unwrap(record.state)
        if unwrapped is None:
            raise ActError(
                record.aggregate_id, record.version, "carries no act signature (forged?)"
            )
        key_id, signature, body = unwrapped
        public = self._public.get(key_id)
        if public is None:
            raise ActError(
                record.aggregate_id,
                record.version,
                f"is signed by an unknown act key {key_id:08x} (forged, or a key not configured)",
            )
        return key_id, signature, body, public


# What `ActKeys.opened` asks a checker: the trusted keys by id, and each record as
# (aggregate id's 16 bytes, version, topic, stored state); the answer is a byte per record.
Checker = Callable[[dict[int, bytes], list[tuple[bytes, int, str, bytes]]], bytes]

_PUBLIC: dict[bytes, Ed25519PublicKey] = {}  # the keys `checked_acts` has loaded here


def checked_acts(publics: dict[int, bytes], records: list[tuple[bytes, int, str, bytes]]) -> bytes:
    """One byte per record: 1 when it is an act signed by one of `publics` that verifies, 0
    otherwise (`ActKeys.opened`; plain values, so that a process of its own can run it)."""
    flags = bytearray(len(records))
    for i, (aggregate_id, version, topic, state) in enumerate(records):
        unwrapped = unwrap(state)
        if unwrapped is None or unwrapped[0] not in publics:
            continue
        key_id, signature, body = unwrapped
        public = publics[key_id]
        key = _PUBLIC.get(public)
        if key is None:
            key = _PUBLIC[public] = Ed25519PublicKey.from_public_bytes(public)
        message = act_message(UUID(bytes=aggregate_id), version, topic, body)
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        flags[i] = 1
    return bytes(flags)


CHECKED = 100_000  # signatures remembered as checked per process (~20 MB at most)


class Checked:
    """A bounded set of what has been checked, oldest forgotten first (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[int, bytes, bytes], None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, item: tuple[int, bytes, bytes]) -> bool:
        with self._lock:
            if item in self._seen:
                self._seen.move_to_end(item)
                return True
            return False

    def add(self, item: tuple[int, bytes, bytes]) -> None:
        """Remember `item`; forget the least recently used beyond `size`."""
        with self._lock:
            self._seen[item] = None
            if len(self._seen) > self.size:
                self._seen.popitem(last=False)


def record_of(stored: Any) -> leaf.StoredRecord:
    """The leaf record of a stored event or notification (eventsourcing's StoredEvent)."""
    state = stored.state if isinstance(stored.state, bytes) else bytes(stored.state)
    originator = stored.originator_id  # a UUID from the recorders (parsed again: 5 % of a rebuild)
    if not isinstance(originator, UUID):
        originator = UUID(str(originator))
    return leaf.StoredRecord(originator, stored.originator_version, stored.topic, state)
