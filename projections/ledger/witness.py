"""A C2SP tlog-witness (https://c2sp.org/tlog-witness): the state and the rules of
`add-checkpoint`, on its own SQLite file. Run by a body the log's operator does not control
(an inspection commission, an inspectorate); `ledger witness serve` puts it on HTTP.

For each log it knows (origin → the log's verifier key) the witness keeps the latest
checkpoint it cosigned, and cosigns a new one only if a consistency proof shows that it
extends that one. Checking the old size and storing the new checkpoint happen in one
`BEGIN IMMEDIATE` transaction, so two concurrent requests cannot roll the witness back.
Every refusal of a validly signed checkpoint is kept (evidence of a log misbehaving).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from projections.ledger import merkle
from projections.ledger.cosignature import WitnessSigner
from projections.ledger.note import Checkpoint, NoteError, Verifier, open_note

SIZE_TYPE = "text/x.tlog.size"
MAX_PROOF = 63

_DDL = (
    "CREATE TABLE IF NOT EXISTS latest (origin TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " root BLOB NOT NULL, note TEXT NOT NULL, cosigned_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS refused (at INTEGER NOT NULL, origin TEXT NOT NULL,"
    " status INTEGER NOT NULL, reason TEXT NOT NULL, request TEXT NOT NULL)",
)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, content type, body."""

    status: int
    content_type: str
    body: str


def _text(status: int, body: str) -> Answer:
    return Answer(
        status, "text/plain; charset=utf-8", body if body.endswith("\n") else body + "\n"
    )


class Witness:
    """The witness's state and its `add-checkpoint` rules."""

    def __init__(
        self,
        path: Path,
        signer: WitnessSigner,
        logs: Iterable[Verifier],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.signer = signer
        self.logs: dict[str, list[Verifier]] = {}
        for key in logs:
            self.logs.setdefault(key.name, []).append(key)
        self.clock = clock
        self._local = threading.local()
        with self._conn() as conn:
            for statement in _DDL:
                conn.execute(statement)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # a cosigned size survives a power cut
            self._local.conn = conn
        return conn

    def add_checkpoint(self, request: bytes) -> Answer:
        """POST add-checkpoint, exactly as c2sp.org/tlog-witness says."""
        try:
            text = request.decode("utf-8")
            old, proof, note = _parse(text)
        except (UnicodeDecodeError, ValueError) as error:
            return _text(400, f"malformed request: {error}")
        origin = note.split("\n", 1)[0]
        keys = self.logs.get(origin)
        if not keys:
            return _text(404, f"unknown log origin {origin!r}")
        body = None
        for key in keys:
            try:
                body = open_note(note, key)
                break
            except NoteError:
                continue
        if body is None:
            return _text(403, "no valid signature by a key trusted for this origin")
        try:
            checkpoint = Checkpoint.parse(body)
        except NoteError as error:
            return _text(400, f"malformed checkpoint: {error}")
        if old > checkpoint.size:
            return self._refuse(origin, 400, "the old size exceeds the checkpoint's size", text)
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            answer = self._decide(conn, checkpoint, old, proof, note, body, text)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT" if answer.status in (200, 409, 422) else "ROLLBACK")
        return answer

    def _decide(
        self,
        conn: sqlite3.Connection,
        checkpoint: Checkpoint,
        old: int,
        proof: list[bytes],
        note: str,
        body: str,
        request: str,
    ) -> Answer:
        origin = checkpoint.origin
        row = conn.execute("SELECT size, root FROM latest WHERE origin = ?", (origin,)).fetchone()
        known, known_root = (int(row[0]), bytes(row[1])) if row else (0, merkle.root_of([]))
        if old != known:
            self._log(conn, origin, 409, f"old size {old}, the witness has {known}", request)
            return Answer(409, SIZE_TYPE, f"{known}\n")
        if checkpoint.size == 0 and checkpoint.root != merkle.root_of([]):
            return self._log_refusal(conn, origin, "the empty tree has another root", request)
        try:
            if old == 0:
                if proof:
                    raise merkle.ProofError("a proof from size 0 must be empty")
            elif old == checkpoint.size:
                if proof or checkpoint.root != known_root:
                    raise merkle.ProofError("same size, another root: the log forked")
            else:
                merkle.verify_consistency(old, checkpoint.size, proof, known_root, checkpoint.root)
        except merkle.ProofError as error:
            return self._log_refusal(conn, origin, f"not consistent: {error}", request)
        stamp = int(self.clock())
        line = self.signer.cosign(body, stamp)
        conn.execute(
            "INSERT INTO latest (origin, size, root, note, cosigned_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root,"
            " note = excluded.note, cosigned_at = excluded.cosigned_at",
            (origin, checkpoint.size, checkpoint.root, note + line, stamp),
        )
        return Answer(200, "text/plain; charset=utf-8", line)

    def _log_refusal(
        self, conn: sqlite3.Connection, origin: str, reason: str, request: str
    ) -> Answer:
        self._log(conn, origin, 422, reason, request)
        return _text(422, reason)

    def _log(
        self, conn: sqlite3.Connection, origin: str, status: int, reason: str, request: str
    ) -> None:
        conn.execute(
            "INSERT INTO refused (at, origin, status, reason, request) VALUES (?, ?, ?, ?, ?)",
            (int(self.clock()), origin, status, reason, request),
        )

    def _refuse(self, origin: str, status: int, reason: str, request: str) -> Answer:
        self._log(self._conn(), origin, status, reason, request)
        return _text(status, reason)

    def checkpoint(self, origin_hash: str) -> Answer:
        """GET <origin hash>/checkpoint: the latest cosigned checkpoint of a log."""
        for origin in self.logs:
            if hashlib.sha256(origin.encode()).hexdigest() == origin_hash:
                row = (
                    self._conn()
                    .execute("SELECT note FROM latest WHERE origin = ?", (origin,))
                    .fetchone()
                )
                if row:
                    return Answer(200, "text/plain; charset=utf-8", str(row[0]))
        return _text(404, "this witness has cosigned no checkpoint of that log")

    def refusals(self) -> list[tuple[str, int, str]]:
        """(origin, status, reason) of every refused, validly signed request."""
        rows = self._conn().execute("SELECT origin, status, reason FROM refused ORDER BY rowid")
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def _parse(text: str) -> tuple[int, list[bytes], str]:
    """The old size, the proof hashes and the checkpoint note of a request body."""
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise ValueError("no blank line before the checkpoint")
    lines = head.split("\n")
    first = lines[0]
    size = first[4:]
    if not first.startswith("old ") or not size.isdigit() or (size != "0" and size[0] == "0"):
        raise ValueError("the first line is `old <size>`")
    if len(lines) - 1 > MAX_PROOF:
        raise ValueError(f"more than {MAX_PROOF} proof lines")
    proof = []
    for line in lines[1:]:
        try:
            digest = base64.b64decode(line, validate=True)
        except binascii.Error as error:
            raise ValueError("a proof line is not base64") from error
        if len(digest) != 32:
            raise ValueError("a proof line is not a SHA-256 hash")
        proof.append(digest)
    return int(size), proof, note
