"""Signed notes (interoperable with Go's sumdb/note), checkpoints, tlog-proofs, leaf format."""

from __future__ import annotations

import os
from uuid import UUID, uuid4

import pytest

from projections.ledger import leaf
from projections.ledger.note import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    open_note,
    parse_proof,
    proof_text,
    verify_checkpoint,
)

GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = GO_TEXT + (
    "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1"
    "FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_reproduces_the_go_reference_note_byte_for_byte() -> None:
    signer = Signer.parse(GO_SIGNER)
    assert signer.verifier.encode() == GO_VERIFIER
    assert signer.sign(GO_TEXT) == GO_NOTE
    assert open_note(GO_NOTE, Verifier.parse(GO_VERIFIER)) == GO_TEXT


@pytest.mark.parametrize(
    "tampered",
    [
        GO_NOTE.replace("cryptography", "cryptographY"),
        GO_NOTE.replace("x08go", "x08gp"),
        GO_NOTE.replace("\n\n", "\n"),
    ],
)
def test_a_changed_note_does_not_open(tampered: str) -> None:
    with pytest.raises(NoteError):
        open_note(tampered, Verifier.parse(GO_VERIFIER))


def test_a_note_signed_by_another_key_is_refused() -> None:
    other = Signer.generate("PeterNeumann")
    with pytest.raises(NoteError, match="no valid signature by PeterNeumann"):
        open_note(other.sign(GO_TEXT), Verifier.parse(GO_VERIFIER))


def test_checkpoints_and_tlog_proofs_round_trip() -> None:
    signer = Signer.generate("ledger.example/test")
    checkpoint = Checkpoint("ledger.example/test", 42, os.urandom(32))
    note = signer.sign(checkpoint.text())
    assert verify_checkpoint(note, signer.verifier, origin="ledger.example/test") == checkpoint
    with pytest.raises(NoteError, match=r"not other\.example"):
        verify_checkpoint(note, signer.verifier, origin="other.example")
    hashes = [os.urandom(32) for _ in range(5)]
    assert parse_proof(proof_text(7, hashes, note)) == (7, hashes, note, None)
    assert parse_proof(proof_text(7, hashes, note, b"x"))[3] == b"x"


def test_verifier_keys_are_checked_against_their_id() -> None:
    name, _, rest = GO_VERIFIER.partition("+")
    with pytest.raises(NoteError, match="does not match"):
        Verifier.parse(f"{name}+00000000+{rest.partition('+')[2]}")


def record(**overrides: object) -> leaf.StoredRecord:
    values: dict[str, object] = {
        "aggregate_id": UUID(int=7),
        "version": 3,
        "topic": "domain.initiative:Initiative.Approved",
        "state": b'{"basis":"majority"}',
    }
    values.update(overrides)
    return leaf.StoredRecord(**values)  # type: ignore[arg-type]


def test_the_leaf_encoding_is_exactly_documented() -> None:
    encoded = leaf.encode(record())
    assert encoded == (
        b"\x01"
        + UUID(int=7).bytes
        + (3).to_bytes(8, "big")
        + (37).to_bytes(4, "big")
        + b"domain.initiative:Initiative.Approved"
        + (20).to_bytes(4, "big")
        + b'{"basis":"majority"}'
    )
    assert leaf.decode(encoded) == record()


@pytest.mark.parametrize(
    "other",
    [
        record(version=4),
        record(aggregate_id=uuid4()),
        record(topic="domain.initiative:X"),
        record(state=b'{"basis":"majority"} '),
        record(topic="a", state=b"bc"),
        record(topic="ab", state=b"c"),
    ],
)
def test_different_records_never_share_an_encoding(other: leaf.StoredRecord) -> None:
    assert leaf.encode(other) != leaf.encode(record())


@pytest.mark.parametrize(
    "mangle", [lambda b: b + b"x", lambda b: b[:-1], lambda b: b"\x02" + b[1:]]
)
def test_malformed_leaf_inputs_are_refused(mangle: object) -> None:
    with pytest.raises(leaf.LeafFormatError):
        leaf.decode(mangle(leaf.encode(record())))  # type: ignore[operator]
