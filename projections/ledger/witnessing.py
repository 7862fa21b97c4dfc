"""The log's side of witnessing: submit each new checkpoint to the configured witnesses
(c2sp.org/tlog-witness `add-checkpoint`), keep their cosignatures (append-only
`ledger_cosignatures`), and say which checkpoint has reached the quorum.

A witness that is down only delays cosigning: the next cycle submits the latest checkpoint
with a consistency proof from the last size that witness cosigned, so nothing is lost.
"""

from __future__ import annotations

import base64
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from projections.db import Database
from projections.ledger.cosignature import WitnessKey, split_note
from projections.ledger.note import NoteError
from projections.ledger.store import LedgerStore, StoredCheckpoint

log = logging.getLogger(__name__)


class WitnessConfigError(ValueError):
    """LEDGER_WITNESSES or LEDGER_WITNESS_QUORUM cannot be used."""


@dataclass(frozen=True)
class WitnessEndpoint:
    """A witness the log submits to: its key (name and public key) and submission prefix."""

    key: WitnessKey
    url: str


def parse_witnesses(text: str) -> tuple[WitnessEndpoint, ...]:
    """`<witness vkey> <submission URL>` entries, one per line or separated by `;`."""
    found = []
    for entry in text.replace(";", "\n").splitlines():
        if not entry.strip():
            continue
        parts = entry.split()
        if len(parts) != 2 or not parts[1].startswith(("http://", "https://")):
            raise WitnessConfigError(
                f"LEDGER_WITNESSES entry {entry.strip()!r}: write `<witness vkey> <URL>`"
            )
        try:
            key = WitnessKey.parse(parts[0])
        except NoteError as error:
            raise WitnessConfigError(f"LEDGER_WITNESSES: {error}") from error
        found.append(WitnessEndpoint(key, parts[1].rstrip("/")))
    if len({w.key.name for w in found}) != len(found):
        raise WitnessConfigError("LEDGER_WITNESSES names a witness twice")
    return tuple(found)


class ConflictError(Exception):
    """The witness has cosigned another size (its answer to `old`)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the witness has cosigned size {size}")
        self.size = size


Post = Callable[[str, bytes, float], tuple[int, str]]


def http_post(url: str, body: bytes, timeout: float) -> tuple[int, str]:
    """POST and return (status, body text); OSError when the witness cannot be reached."""
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "text/plain; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8", "replace")


class Cosigning:
    """Gets the latest checkpoint cosigned by every configured witness, a cycle at a time."""

    def __init__(
        self,
        db: Database,
        witnesses: tuple[WitnessEndpoint, ...],
        timeout: float = 5.0,
        post: Post = http_post,
    ) -> None:
        self.db = db
        self.witnesses = witnesses
        self.timeout = timeout
        self.post = post
        self._retry_at: dict[str, float] = {}
        self._backoff: dict[str, float] = {}

    def run(self) -> dict[str, str]:
        """Submit the latest checkpoint to each witness that has not cosigned it; the outcome
        per witness (`cosigned`, `already`, or what went wrong, also logged)."""
        store = LedgerStore(self.db)
        latest = store.newest()
        outcomes: dict[str, str] = {}
        if latest is None:
            return outcomes
        now = time.monotonic()
        for witness in self.witnesses:
            name = witness.key.name
            if self._retry_at.get(name, 0.0) > now:
                outcomes[name] = "waiting to retry"
                continue
            try:
                outcomes[name] = self._one(store, witness, latest)
                self._backoff.pop(name, None)
            except (OSError, NoteError, ValueError) as error:
                # An unreachable witness delays cosigning; it never blocks the worker long.
                delay = min(60.0, self._backoff.get(name, 2.5) * 2)
                self._backoff[name], self._retry_at[name] = delay, now + delay
                log.warning("witness %s: %s (retry in %.0f s)", name, error, delay)
                outcomes[name] = f"failed: {error}"
        return outcomes

    def _one(self, store: LedgerStore, witness: WitnessEndpoint, latest: StoredCheckpoint) -> str:
        name = witness.key.name
        rows = self.db.query(
            "SELECT MAX(size) AS size FROM ledger_cosignatures WHERE witness = ?", (name,)
        )
        old = int(rows[0]["size"]) if rows and rows[0]["size"] is not None else 0
        if old == latest.size:
            return "already"
        try:
            line = self._submit(store, witness, latest, old)
        except ConflictError as conflict:
            if conflict.size > latest.size:
                log.error(
                    "witness %s has cosigned a tree of %d leaves, larger than this log's %d:"
                    " the log was rolled back or forked",
                    name,
                    conflict.size,
                    latest.size,
                )
                return f"refused: the witness has seen {conflict.size} leaves"
            line = self._submit(store, witness, latest, conflict.size)
        body, _ = split_note(latest.note)
        stamp = witness.key.timestamp(body, line)
        if stamp is None:
            raise NoteError("the witness answered a signature that is not its cosignature")
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO ledger_cosignatures (size, witness, line, signed_at, received_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (size, witness) DO NOTHING",
                (latest.size, name, line.rstrip("\n"), stamp, datetime.now(tz=UTC).isoformat()),
            )
        return "cosigned"

    def _submit(
        self, store: LedgerStore, witness: WitnessEndpoint, latest: StoredCheckpoint, old: int
    ) -> str:
        proof = store.consistency(old, latest.size) if 0 < old < latest.size else []
        lines = [f"old {old}", *(_b64(h) for h in proof)]
        body = ("\n".join(lines) + "\n\n" + latest.note).encode()
        status, answer = self.post(f"{witness.url}/add-checkpoint", body, self.timeout)
        if status == 409:
            size = answer.strip()
            if not size.isdigit():
                raise ValueError(f"409 without a size: {answer[:80]!r}")
            raise ConflictError(int(size))
        if status != 200:
            raise ValueError(f"answered {status}: {answer.strip()[:200]}")
        cosignatures = [line for line in answer.splitlines() if line.strip()]
        if len(cosignatures) != 1:
            # A witness may sign with several keys; ours is the one configured.
            mine = [c for c in cosignatures if c.split(" ")[1:2] == [witness.key.name]]
            if not mine:
                raise ValueError("the answer holds no cosignature by this witness")
            cosignatures = mine[:1]
        return cosignatures[0] + "\n"


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()
