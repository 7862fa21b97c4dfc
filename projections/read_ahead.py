"""The log's pages for the worker, each read, and its acts checked, while the worker decodes the
page before it (projections/worker.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from projections.ledger.act_checker import ActChecker, ActCheckerError
from projections.ledger.act_mapper import keys_of
from projections.ledger.acts import record_of

log = logging.getLogger(__name__)

# Reads the page of the log from a position: at most `size` notifications, none after `stop`.
Reader = Callable[[int, int, int | None], Sequence[Notification]]


# A page of the log, and the body of each of its acts already checked (None: not checked
# ahead, or not an act that verifies; decoding checks it then, and refuses it if it is not).
_Page = tuple[Sequence[Notification], Sequence[bytes | None]]


def log_reader(app: Application[UUID]) -> Reader:
    """The whole log's pages, as the application's recorder reads them."""

    def read(start: int, size: int, stop: int | None) -> Sequence[Notification]:
        return app.recorder.select_notifications(start=start, limit=size, stop=stop)

    return read


def unchecked(notifications: Sequence[Notification]) -> _Page:
    """A page whose acts decoding checks (none checked ahead)."""
    return notifications, [None] * len(notifications)


class ReadAhead:
    """The log's pages, each read, and its acts checked, while the worker decodes and plans the
    page before it.

    Checking acts (unwrapping, hashing, and the Ed25519 check, ~150 us here, which the library
    does holding the interpreter's lock) is about half of what a rebuild costs per event: a
    process of its own (`ActChecker`) does it for the next page, on the second core, while this
    one decodes, advances aggregates and builds rows. An act it does not find authentic is
    decoded as without reading ahead: checked again, and refused; if the process stops, the
    worker says so once and checks every act itself for the rest of the catch-up. The next
    page is read ahead only after a full page (a catch-up that is behind): a worker at the
    head of the log reads and checks as before, in its own thread."""

    def __init__(
        self, app: Application[UUID], size: int, stop: int | None, read: Reader | None = None
    ) -> None:
        self.app, self.size, self.stop = app, size, stop
        self.read = read or log_reader(app)
        self._pool: ThreadPoolExecutor | None = None
        self._checker: ActChecker | None = None
        self._ahead: tuple[int, Future[_Page]] | None = None

    def page(self, start: int) -> _Page:
        """The page of the log from `start` (read and checked ahead if it was the one
        expected)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == start:
            page = ahead[1].result()
        else:
            if ahead is not None:
                ahead[1].cancel()
            page = unchecked(self.read(start, self.size, self.stop))
        if len(page[0]) == self.size:
            following = page[0][-1].id + 1
            if self.stop is None or following <= self.stop:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(1, thread_name_prefix="ledger-worker-reader")
                    self._checker = ActChecker()
                self._ahead = (following, self._pool.submit(self._checked, following))
        return page

    def _checked(self, start: int) -> _Page:
        notifications = self.read(start, self.size, self.stop)
        keys, checker = keys_of(self.app.mapper), self._checker
        if keys is not None and checker is not None:
            try:
                return notifications, keys.opened(
                    [record_of(n) for n in notifications], checker.checked
                )
            except ActCheckerError as error:
                # Only slower without it: the worker checks every act as it decodes it.
                log.warning("acts are checked in the worker from now on: %s", error)
                self._checker = None
                checker.close()
        return unchecked(notifications)

    def close(self) -> None:
        """Stop reading ahead (a page read ahead and not used is dropped). The checking
        process ends first: a check it has not answered fails rather than holds the reader."""
        checker, self._checker = self._checker, None
        if checker is not None:
            checker.close()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
