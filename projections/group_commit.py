"""Group commit: the concurrent saves of one process committed together, in one transaction.

eventsourcing's PostgreSQL recorder inserts each save's events under `LOCK TABLE … IN
EXCLUSIVE MODE`, held until the commit's WAL flush: notification ids then commit in the order
they were issued, so every follower (the worker, the ledger's sealing, read-your-writes) reads
a gap-free, stable order — but no two saves can share a flush. Here the saves that arrive
while one transaction is in flight wait for it and are then committed together by one of them
(the leader), under the same lock, in one transaction: the order stays what it was (one
transaction's ids, consecutive, committed at once), and a batch of saves costs one flush.

- A save that finds no transaction in flight leads at once (no timer waits for company);
  after its commit, the longest-waiting save leads the next batch (at most `MAX_BATCH`).
- `synchronous_commit` is untouched: no save returns before the commit holding its events
  is durable, and each returns its own notification ids.
- The batch's events are inserted by one statement inside a savepoint; when that fails (two
  saves of one batch, or a save and the table, claim the same originator version; or any
  other refusal of the data), each save is inserted again inside a savepoint of its own, and
  only the saves refused fail, with their own error (the optimistic-concurrency
  IntegrityError the service answers 409).
- When the transaction itself fails (the lock not granted in time, the commit refused, the
  connection lost), every save of the batch gets the error: none is told it was recorded.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing import persistence
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.rows import DictRow

MAX_BATCH = 64  # saves committed by one transaction at most

# How eventsourcing's datastore names psycopg's errors (PostgresDatastore.get_connection),
# for the errors of single saves, which are caught inside the connection's block.
_KINDS: tuple[tuple[type[psycopg.Error], type[persistence.PersistenceError]], ...] = (
    (psycopg.InterfaceError, persistence.InterfaceError),
    (psycopg.OperationalError, persistence.OperationalError),
    (psycopg.DataError, persistence.DataError),
    (psycopg.IntegrityError, persistence.IntegrityError),
    (psycopg.InternalError, persistence.InternalError),
    (psycopg.ProgrammingError, persistence.ProgrammingError),
    (psycopg.NotSupportedError, persistence.NotSupportedError),
    (psycopg.DatabaseError, persistence.DatabaseError),
)


def _named(error: psycopg.Error) -> persistence.PersistenceError:
    kind = next((ours for theirs, ours in _KINDS if isinstance(error, theirs)), None)
    named = (kind or persistence.PersistenceError)(str(error))
    named.__cause__ = error
    return named


def _own_copy(error: BaseException) -> BaseException:
    """A batch's error as one save's own exception (each save raises in its own thread), with
    the original as its cause."""
    try:
        copy = type(error)(*error.args)
    except Exception:  # an exception whose constructor wants other arguments
        copy = persistence.PersistenceError(str(error))
    copy.__cause__ = error
    return copy


@dataclass(eq=False)
class _Save:
    """One caller's events, and what became of them."""

    events: Sequence[StoredEvent]
    woken: threading.Event = field(default_factory=threading.Event)
    leads: bool = False
    finished: bool = False
    ids: list[int] | None = None
    error: BaseException | None = None

    def fail(self, error: BaseException) -> None:
        self.ids, self.error = None, error


class GroupCommitRecorder(PostgresApplicationRecorder):
    """eventsourcing's application recorder, its concurrent inserts committed in groups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard = threading.Lock()
        self._queue: deque[_Save] = deque()
        self._leading = False  # a batch is being committed, or its successor chosen

    def waiting(self) -> int:
        """How many saves are queued behind the transaction in flight."""
        with self._guard:
            return len(self._queue)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Record `stored_events` in the next group's transaction; their notification ids once
        it is committed. (`kwargs` are ignored, as eventsourcing's application recorder
        ignores them.)"""
        if not stored_events:
            return None
        save = _Save(list(stored_events))
        with self._guard:
            self._queue.append(save)
            if not self._leading:
                self._leading = save.leads = True
        if not save.leads:
            save.woken.wait()  # finished by a leader, or chosen to lead the next batch
        if not save.finished:
            self._lead()
        if save.error is not None:
            raise save.error
        return save.ids

    def _lead(self) -> None:
        """Commit the next batch (the leader's own save is first in the queue), wake its
        saves, and hand the lead to the first save left waiting."""
        with self._guard:
            batch = [self._queue.popleft() for _ in range(min(MAX_BATCH, len(self._queue)))]
        try:
            self._commit(batch)
        except BaseException:  # the leader's own thread was stopped: none is told it succeeded
            for save in batch[1:]:
                save.fail(persistence.PersistenceError("the batch's leader stopped"))
            raise
        finally:
            for save in batch:
                save.finished = True
            with self._guard:
                successor = self._queue[0] if self._queue else None
                if successor is None:
                    self._leading = False
                else:
                    successor.leads = True
            for save in batch[1:]:
                save.woken.set()
            if successor is not None:
                successor.woken.set()

    def _commit(self, batch: list[_Save]) -> None:
        try:
            with (
                self.datastore.get_connection() as conn,
                conn.pipeline() as pipeline,
                conn.transaction(),
                conn.cursor() as curs,
            ):
                self._lock_table(curs)
                self._notify_channel(curs)
                # The lock's refusal (not granted in time, the statement cancelled) is the
                # transaction's, raised here: not taken for one save's data further on.
                pipeline.sync()
                if len(batch) == 1:  # no savepoint: its error is the transaction's
                    batch[0].ids = self._insert(pipeline, curs, batch[0].events)
                else:
                    self._insert_batch(conn, pipeline, curs, batch)
        except Exception as error:
            batch[0].fail(error)
            for save in batch[1:]:
                save.fail(_own_copy(error))

    def _insert_batch(
        self,
        conn: psycopg.Connection[DictRow],
        pipeline: psycopg.Pipeline,
        curs: psycopg.Cursor[DictRow],
        batch: list[_Save],
    ) -> None:
        """Insert every save's events: by one statement when none is refused, otherwise
        save by save, each in a savepoint (only the refused ones fail)."""
        try:
            with conn.transaction():
                ids = self._insert(pipeline, curs, [e for save in batch for e in save.events])
        except (psycopg.IntegrityError, psycopg.DataError):  # a save's data refused
            if conn.broken:
                raise
        else:
            start = 0
            for save in batch:
                save.ids = ids[start : start + len(save.events)]
                start += len(save.events)
            return
        for save in batch:
            try:
                with conn.transaction():
                    save.ids = self._insert(pipeline, curs, save.events)
            except psycopg.Error as error:
                if conn.broken:
                    raise
                save.fail(_named(error))

    def _insert(
        self,
        pipeline: psycopg.Pipeline,
        curs: psycopg.Cursor[DictRow],
        events: Sequence[StoredEvent],
    ) -> list[int]:
        """Insert `events`; their notification ids, in their order (as eventsourcing's). The
        pipeline is synchronised here, so that a refusal is raised here."""
        self._insert_stored_events_only(curs, events)
        pipeline.sync()
        ids = [row["notification_id"] for row in curs.fetchall()]
        if len(ids) != len(events):
            raise persistence.ProgrammingError(
                f"got {len(ids)} notification ids for {len(events)} events"
            )
        return ids

    def _insert_stored_events_only(
        self, curs: psycopg.Cursor[DictRow], events: Sequence[StoredEvent]
    ) -> None:
        # The aggregate recorder's INSERT (the application recorder's override of this method
        # also takes the lock and notifies, which the batch did once already).
        super(PostgresApplicationRecorder, self)._insert_stored_events(curs, events)
