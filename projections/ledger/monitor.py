"""Following a remote log over HTTP only — no database, no account (`ledger monitor`,
`ledger verify consistency --url`): fetch its checkpoint, check the log's signature and the
witnesses' quorum, and prove from its tiles that it extends the checkpoint verified before.
A log that shows a smaller tree, another tree of the same size, or a tree that does not
extend the earlier one is equivocating. Standard library and `cryptography` only."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from projections.ledger import merkle
from projections.ledger.note import Checkpoint, NoteError, verify_checkpoint
from projections.ledger.tiles import TileError, TileReader
from projections.ledger.verify import TrustedKeys, VerificationError


class EquivocationError(Exception):
    """The log contradicts a checkpoint it showed before: rolled back, forked or rewritten."""


@dataclass(frozen=True)
class Observation:
    """A remote checkpoint, verified, and how it relates to the one verified before."""

    note: str
    checkpoint: Checkpoint
    cosignatures: dict[str, int]
    previous: Checkpoint | None

    def describe(self) -> str:
        """One line for people."""
        new = self.checkpoint
        if self.previous is None:
            return f"first checkpoint of {new.origin}: {new.size} leaves"
        if self.previous.size == new.size:
            return f"unchanged: {new.size} leaves ({new.origin})"
        return (
            f"CONSISTENT / NHẤT QUÁN: the log of {new.size} leaves extends the checkpoint of"
            f" {self.previous.size} leaves ({new.origin})"
        )


Fetch = Callable[[str], bytes]


def http_fetch(prefix: str, timeout: float = 10.0) -> Fetch:
    """GET `<prefix>/<path>`; OSError when the log cannot be reached or refuses."""

    def fetch(path: str) -> bytes:
        url = f"{prefix.rstrip('/')}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            raise OSError(f"GET {url}: {error.code} {error.reason}") from error

    return fetch


def observe(fetch: Fetch, keys: TrustedKeys, saved: str | None) -> Observation:
    """The log's checkpoint, verified and proven to extend `saved` (a signed checkpoint).

    VerificationError: the checkpoint is not signed by the log or lacks the witnesses' quorum;
    EquivocationError: it contradicts `saved`.
    """
    note = fetch("checkpoint").decode("utf-8")
    origin = note.split("\n", 1)[0]
    try:
        checkpoint = verify_checkpoint(note, keys.log_key(origin))
    except NoteError as error:
        raise VerificationError(f"the log's checkpoint: {error}") from error
    cosignatures = keys.cosigned(note)
    if saved is None:
        return Observation(note, checkpoint, cosignatures, None)
    try:
        previous = verify_checkpoint(saved, keys.log_key(origin), origin=origin)
    except NoteError as error:
        raise VerificationError(f"the saved checkpoint: {error}") from error
    if checkpoint.size < previous.size:
        raise EquivocationError(
            f"rollback: {origin} now shows {checkpoint.size} leaves; it showed"
            f" {previous.size} before"
        )
    if checkpoint.size == previous.size:
        if checkpoint.root != previous.root:
            raise EquivocationError(f"fork: two different trees of {checkpoint.size} leaves")
        return Observation(note, checkpoint, cosignatures, previous)
    try:
        proof = (
            TileReader(fetch, checkpoint.size).consistency(previous.size) if previous.size else []
        )
        merkle.verify_consistency(
            previous.size, checkpoint.size, proof, previous.root, checkpoint.root
        )
    except (merkle.ProofError, TileError) as error:
        raise EquivocationError(
            f"the tree of {checkpoint.size} leaves does not extend the tree of {previous.size}"
            f" leaves verified before: {error}"
        ) from error
    return Observation(note, checkpoint, cosignatures, previous)
