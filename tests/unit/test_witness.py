"""The witness's add-checkpoint rules (c2sp.org/tlog-witness) and the cosignature/v1 format
(c2sp.org/tlog-cosignature), byte for byte, on checkpoints built by hand from the specs'
examples."""

from __future__ import annotations

import base64
import hashlib
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from projections.ledger import merkle
from projections.ledger.cosignature import WitnessKey, WitnessSigner, cosigned_by
from projections.ledger.note import Checkpoint, NoteError, Signer
from projections.ledger.witness import SIZE_TYPE, Witness

# The example of c2sp.org/tlog-witness and tlog-cosignature: origin, size, root, and time.
ORIGIN = "example.com/behind-the-sofa"
SIZE = 20852163
ROOT = base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
TIME = 1679315147
SEED = bytes(range(32))  # a fixed witness key, so every byte below can be recomputed


@pytest.fixture
def log_key() -> Signer:
    return Signer.generate(ORIGIN)


@pytest.fixture
def signer() -> WitnessSigner:
    return WitnessSigner("witness.example.com/w1", SEED)


@pytest.fixture
def witness(tmp_path: Path, log_key: Signer, signer: WitnessSigner) -> Witness:
    return Witness(tmp_path / "witness.sqlite3", signer, [log_key.verifier], clock=lambda: TIME)


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"entry {i}".encode()) for i in range(n)]


def checkpoint(log_key: Signer, size: int, root: bytes) -> str:
    return log_key.sign(Checkpoint(log_key.name, size, root).text())


def request(old: int, proof: list[bytes], note: str) -> bytes:
    lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof)]
    return ("\n".join(lines) + "\n\n" + note).encode()


def cosigned_at_five(
    witness: Witness, log_key: Signer, size: int
) -> tuple[list[bytes], list[bytes]]:
    """`size` leaves of which the witness has cosigned the first five; and the consistency
    proof from five to `size`."""
    hashes = leaves(size)
    five = checkpoint(log_key, 5, merkle.root_of(hashes[:5]))
    assert witness.add_checkpoint(request(0, [], five)).status == 200
    return hashes, merkle.consistency_proof(5, size, lambda a, b: merkle.root_of(hashes[a:b]))


def test_a_cosignature_is_byte_for_byte_the_format_of_the_spec(
    witness: Witness, log_key: Signer
) -> None:
    note = checkpoint(log_key, SIZE, ROOT)
    answer = witness.add_checkpoint(request(0, [], note))
    assert (answer.status, answer.content_type) == (200, "text/plain; charset=utf-8")
    # Recomputed from the specification alone, with the key's raw bytes:
    private = Ed25519PrivateKey.from_private_bytes(SEED)
    public = private.public_key().public_bytes_raw()
    name = "witness.example.com/w1"
    key_id = hashlib.sha256(name.encode() + b"\n" + b"\x04" + public).digest()[:4]
    body = f"{ORIGIN}\n{SIZE}\n{base64.b64encode(ROOT).decode()}\n"
    signed = b"cosignature/v1\ntime 1679315147\n" + body.encode()
    raw = key_id + struct.pack(">Q", TIME) + private.sign(signed)
    assert answer.body == f"\u2014 {name} {base64.b64encode(raw).decode()}\n"
    vkey = base64.b64encode(bytes([4]) + public).decode()
    key = WitnessKey.parse(f"{name}+{key_id.hex()}+{vkey}")
    assert cosigned_by(note + answer.body, [key]) == {name: TIME}


def test_the_witness_follows_the_log_with_consistency_proofs(
    witness: Witness, log_key: Signer, signer: WitnessSigner
) -> None:
    hashes, proof = cosigned_at_five(witness, log_key, 13)
    second = checkpoint(log_key, 13, merkle.root_of(hashes))
    answer = witness.add_checkpoint(request(5, proof, second))
    assert answer.status == 200
    assert cosigned_by(second + answer.body, [signer.key]) == {signer.name: TIME}
    # The same size again, same root: cosigned again; the monitoring URL serves it.
    assert witness.add_checkpoint(request(13, [], second)).status == 200
    origin_hash = hashlib.sha256(ORIGIN.encode()).hexdigest()
    served = witness.checkpoint(origin_hash)
    assert served.status == 200
    assert served.body.startswith(second)
    assert served.body.endswith(answer.body)


def test_every_refusal_has_the_status_the_spec_gives(
    tmp_path: Path, witness: Witness, log_key: Signer
) -> None:
    hashes, proof = cosigned_at_five(witness, log_key, 8)
    eight = checkpoint(log_key, 8, merkle.root_of(hashes))
    # A stale old size: 409 with the witness's size, as text/x.tlog.size.
    stale = witness.add_checkpoint(request(0, [], eight))
    assert (stale.status, stale.content_type, stale.body) == (409, SIZE_TYPE, "5\n")
    # A proof that does not verify (a fork): 422; nothing cosigned, the refusal kept.
    forged = checkpoint(log_key, 8, merkle.root_of([*hashes[:7], merkle.leaf_hash(b"x")]))
    assert witness.add_checkpoint(request(5, proof, forged)).status == 422
    # The same size with another root: 422 (a fork); a rollback below the size: 409.
    other_five = checkpoint(log_key, 5, merkle.root_of(leaves(6)[1:]))
    assert witness.add_checkpoint(request(5, [], other_five)).status == 422
    assert witness.add_checkpoint(request(3, [], checkpoint(log_key, 3, bytes(32)))).status == 409
    # Unknown origin 404, no trusted signature 403, old above the size 400, malformed 400.
    stranger = Signer.generate("other.example/log")
    assert witness.add_checkpoint(request(0, [], checkpoint(stranger, 1, bytes(32)))).status == 404
    impostor = Signer.generate(ORIGIN)
    assert witness.add_checkpoint(
        request(5, proof, checkpoint(impostor, 8, bytes(32)))
    ).status == (403)
    assert witness.add_checkpoint(request(9, [], eight)).status == 400
    assert witness.add_checkpoint(b"old 05\n\n" + eight.encode()).status == 400
    assert witness.add_checkpoint(b"no blank line").status == 400
    # A proof from size 0 must be empty; an empty tree has the empty root.
    fresh = Witness(tmp_path / "fresh.sqlite3", WitnessSigner.generate("w2"), [log_key.verifier])
    assert fresh.add_checkpoint(request(0, [bytes(32)], eight)).status == 422
    assert fresh.add_checkpoint(request(0, [], checkpoint(log_key, 0, bytes(32)))).status == 422
    # Only then the real next checkpoint: cosigned, and the history of refusals kept.
    assert witness.add_checkpoint(request(5, proof, eight)).status == 200
    assert [status for _, status, _ in witness.refusals()] == [409, 422, 422, 409, 400]


def test_a_witness_restarted_keeps_its_state(tmp_path: Path, log_key: Signer) -> None:
    signer = WitnessSigner.generate("w1")
    hashes = leaves(4)
    first = Witness(tmp_path / "w.sqlite3", signer, [log_key.verifier])
    assert first.add_checkpoint(request(0, [], checkpoint(log_key, 4, merkle.root_of(hashes))))
    again = Witness(tmp_path / "w.sqlite3", signer, [log_key.verifier])
    answer = again.add_checkpoint(request(0, [], checkpoint(log_key, 4, merkle.root_of(hashes))))
    assert (answer.status, answer.body) == (409, "4\n")


def test_witness_keys_round_trip_and_bad_cosignatures_are_refused(log_key: Signer) -> None:
    signer = WitnessSigner.generate("w1.example")
    assert WitnessSigner.parse(signer.encode()) == signer
    assert WitnessKey.parse(signer.key.encode()) == signer.key
    with pytest.raises(NoteError):
        WitnessKey.parse(log_key.verifier.encode())  # a log key (type 0x01) is no witness key
    note = checkpoint(log_key, 1, merkle.leaf_hash(b"a"))
    body = note.split("\n\n")[0] + "\n"
    line = signer.cosign(body, TIME)
    assert cosigned_by(note + line, [signer.key]) == {"w1.example": TIME}
    other = checkpoint(log_key, 2, bytes(32))
    with pytest.raises(NoteError, match="does not verify"):
        cosigned_by(other + line, [signer.key])
    assert cosigned_by(note, [signer.key]) == {}
