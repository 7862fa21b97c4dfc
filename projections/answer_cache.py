"""The dashboards' answer cache, shared by every web process through the database
(`dashboard_answers`, migrations r0008), with a small copy in each process's memory.

An answer is stored under its question's key (web/answers.py: the dashboard, its filters, the
caller's visibility scope, the day it counts from, the code that computes it) with the views'
positions it was computed at, and is given back only for exactly those positions: an answer
of older positions is never served, a newer one replaces it (one row per question).

Bounds: a row older than `max_age` is deleted, and beyond `max_bytes` (the deflated answers'
total) the oldest rows go first; an answer over a quarter of `max_bytes` is not stored. The
memory copy keeps at most `MEMORY_ENTRIES` answers and `max_bytes` / 4 bytes, least recently
used forgotten.

A request never waits on a write: it queues the answer (dropped when the queue is full) for a
thread of its process that writes it, and, now and then, evicts. A reader node
(`writes=False`) reads the shared rows its replica has and keeps its own answers in memory
only: it never writes.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from projections.db import Database, Tx, chunks

log = logging.getLogger(__name__)

MEMORY_ENTRIES = 256
QUEUE_SIZE = 64
EVICT_EVERY = 32  # writes between evictions (and at least once a minute)


@dataclass(frozen=True)
class Entry:
    """An answer to store: its question's key, the positions it holds for, its JSON."""

    key: str
    dashboard: str
    position: str
    head: int
    answer: bytes


class AnswerCache:
    """Answers by question and position: memory first, then the shared table."""

    def __init__(
        self,
        db: Database,
        max_bytes: int,
        max_age: timedelta,
        writes: bool = True,
        enabled: bool = True,
    ) -> None:
        self.db = db
        self.enabled = enabled  # off: answers are neither kept nor served (the thread still
        # fills the working-day table)
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.writes = writes
        self._memory: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._memory_bytes = 0
        self._lock = threading.Lock()
        self._queue: queue.Queue[Callable[[Tx], None] | Entry] = queue.Queue(QUEUE_SIZE)
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._written = 0
        self._evicted_at = time.monotonic()
        self.dropped = 0  # answers not queued: the queue was full

    def get(self, key: str, position: str) -> bytes | None:
        """The answer to `key` computed at exactly `position`, or None."""
        with self._lock:
            kept = self._memory.get(key)
            if kept is not None and kept[0] == position:
                self._memory.move_to_end(key)
                return kept[1]
        rows = self.db.query(
            "SELECT answer FROM dashboard_answers WHERE key = ? AND position = ?", [key, position]
        )
        if not rows:
            return None
        answer = zlib.decompress(bytes(rows[0]["answer"]))
        self._remember(key, position, answer)
        return answer

    def put(self, entry: Entry) -> None:
        """Keep `entry` in memory and queue it for the shared table (a writer node); never
        waits."""
        self._remember(entry.key, entry.position, entry.answer)
        if self.writes:
            self.later(entry)

    def later(self, job: Callable[[Tx], None] | Entry) -> None:
        """Queue a write for this process's writer thread (dropped when the queue is full)."""
        if not self.writes:
            raise RuntimeError("a reader node never writes the answer cache")
        self._started()
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self.dropped += 1

    def flush(self) -> None:
        """Return once every queued write is done (tests, and stopping)."""
        if self._thread is not None and self._pid == os.getpid():
            self._queue.join()

    def _remember(self, key: str, position: str, answer: bytes) -> None:
        limit = self.max_bytes // 4
        if len(answer) > limit:
            return
        with self._lock:
            old = self._memory.pop(key, None)
            if old is not None:
                self._memory_bytes -= len(old[1])
            self._memory[key] = (position, answer)
            self._memory_bytes += len(answer)
            while len(self._memory) > MEMORY_ENTRIES or self._memory_bytes > limit:
                _, (_, dropped) = self._memory.popitem(last=False)
                self._memory_bytes -= len(dropped)

    def _started(self) -> None:
        with self._lock:
            if self._thread is not None and self._pid == os.getpid():
                return
            if self._pid != os.getpid():  # a forked child: the parent's queue is the parent's
                self._queue = queue.Queue(QUEUE_SIZE)
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="answer-cache", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        jobs = self._queue
        while True:
            job = jobs.get()
            try:
                with self.db.transaction() as tx:
                    if isinstance(job, Entry):
                        self._write(tx, job)
                    else:
                        job(tx)
                if self._written % EVICT_EVERY == 0 or time.monotonic() > self._evicted_at + 60:
                    with self.db.transaction() as tx:
                        self.evict(tx)
                    self._evicted_at = time.monotonic()
            except Exception:  # a cache: its failure costs a recomputation, never an answer
                log.exception("the answer cache could not be written")
            finally:
                jobs.task_done()

    def _write(self, tx: Tx, entry: Entry) -> None:
        deflated = zlib.compress(entry.answer, 1)
        if len(deflated) > self.max_bytes // 4:
            return
        self._written += 1
        tx.execute(
            "INSERT INTO dashboard_answers (key, dashboard, position, head, size, answer,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
            " position = excluded.position, head = excluded.head, size = excluded.size,"
            " answer = excluded.answer, created_at = excluded.created_at"
            " WHERE dashboard_answers.head <= excluded.head",
            [
                entry.key,
                entry.dashboard,
                entry.position,
                entry.head,
                len(deflated),
                deflated,
                _now().isoformat(),
            ],
        )

    def evict(self, tx: Tx) -> None:
        """Delete the rows older than `max_age`, then the oldest beyond `max_bytes`."""
        tx.execute(
            "DELETE FROM dashboard_answers WHERE created_at < ?",
            [(_now() - self.max_age).isoformat()],
        )
        rows = tx.query("SELECT key, size FROM dashboard_answers ORDER BY created_at DESC, key")
        total, over = 0, []
        for row in rows:
            total += int(row["size"])
            if total > self.max_bytes:
                over.append(row["key"])
        for chunk in chunks(over):
            tx.execute(
                f"DELETE FROM dashboard_answers WHERE key IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )

    def stats(self) -> dict[str, Any]:
        """What this process holds in memory and dropped."""
        with self._lock:
            return {
                "memory_entries": len(self._memory),
                "memory_bytes": self._memory_bytes,
                "dropped": self.dropped,
            }


def _now() -> datetime:
    return datetime.now(UTC)
