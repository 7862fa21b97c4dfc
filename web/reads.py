"""The read side of the web: the views' database, read-your-writes waits, the optional
in-process worker of the single-machine trial.

On a reader node (LEDGER_NODE=reader) the database is a streaming replica of the primary: a
`min_position` the replica has not reached yet may be a command the primary has recorded and
the replica not yet replayed, so the wait is for the replica's own views to reach it (the
events, the views and their tracking rows arrive together, in the primary's commit order);
past the wait it is a 503, never the stale answer."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from projections.db import Database
from projections.queries import tracking
from projections.storage import Storage
from projections.worker import Worker, all_views, rebuilding
from web.service import ServiceHolder


class ViewsNotCaughtUpError(Exception):
    """The views did not reach the requested log position in time (answered 503); `replica`:
    the views of a replica that lags the primary."""

    def __init__(self, position: int, replica: bool = False) -> None:
        super().__init__(position)
        self.position = position
        self.replica = replica


class ViewsRebuildingError(Exception):
    """A view is being rebuilt (projections/parallel.py): its tables hold a part of the log,
    not a prefix of it, and the moment an `as_of` names is mapped through one (answered 503
    until the rebuild ends)."""


class UnknownPositionError(Exception):
    """A `min_position` past the end of the log: no command has answered it (422)."""


class Reads:
    """Queries go through here; `wait_for` bounds read-your-writes waits."""

    def __init__(
        self,
        storage: Storage,
        holder: ServiceHolder,
        in_process_worker: bool,
        max_wait: float,
        duties: Callable[[Database], Callable[[], object] | None] | None = None,
        replica: bool = False,
    ) -> None:
        self.db = Database(storage)
        self.replica = replica
        self.holder = holder
        self.in_process_worker = in_process_worker
        self.max_wait = max_wait
        self._worker: Worker | None = None
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self.duties = duties

    def start_worker(self) -> None:
        """Run the worker in a daemon thread of this process (single-machine trial only)."""
        if not self.in_process_worker:
            return
        with self._lock:
            if self._worker is not None and self._pid == os.getpid():
                return
            worker = Worker(self.holder.get(), Database(self.db.storage), poll_interval=0.2)
            if self.duties is not None:
                worker.after_catch_up = self.duties(worker.db)
            thread = threading.Thread(target=worker.run, name="ledger-worker", daemon=True)
            thread.start()
            self._worker, self._thread, self._pid = worker, thread, os.getpid()

    def wait_for(self, position: int | None) -> None:
        """Return once every view has applied `position`; raise after `max_wait` seconds.

        A position past the end of the log is refused at once (422), except on a replica,
        which cannot tell a position it has not yet received from one that was never
        recorded: it waits, then answers 503."""
        if position is None:
            return
        if self.replica:
            self._poll(position)
            return
        head = self.holder.get().recorder.max_notification_id() or 0
        if position > head:
            raise UnknownPositionError(position, head)
        self.start_worker()
        if self._worker is not None:
            self._worker.nudge()
            if not self._worker.wait_for(position, self.max_wait):
                raise ViewsNotCaughtUpError(position)
            return
        self._poll(position)

    def _poll(self, position: int) -> None:
        """Look at the views' tracking rows until they reach `position` (at most every
        20 ms), for at most `max_wait` seconds."""
        deadline = time.monotonic() + self.max_wait
        pause = 0.001
        while self.lowest_position() < position:
            if time.monotonic() >= deadline:
                raise ViewsNotCaughtUpError(position, self.replica)
            time.sleep(pause)
            pause = min(pause * 2, 0.02)

    def ready(self, position: int | None) -> None:
        """Before a read of the views: none is being rebuilt (ViewsRebuildingError), and every
        one has applied `position` (`wait_for`)."""
        if rebuilding(self.db):
            raise ViewsRebuildingError
        self.wait_for(position)

    def lowest_position(self) -> int:
        """The position every view has reached."""
        tracked = tracking(self.db)
        return min(
            (int(tracked[v.name]["position"]) if v.name in tracked else 0) for v in all_views()
        )

    def stop(self) -> None:
        """Stop the in-process worker and close this thread's connection."""
        if self._worker is not None and self._thread is not None:
            self._worker.stop()
            self._thread.join(timeout=10)
            self._worker = self._thread = None
        self.db.close()
