"""A bulkhead for heavy reads: the past of a whole read model (`as_of` dashboards and lists
rebuilt from the log), dossiers and full log verifications run at most `HEAVY_READS` at a
time in each web process. A request that finds every slot taken waits `HEAVY_WAIT` seconds
for one (default 0: a waiting request holds a thread too), then is answered 503 `busy` with
Retry-After, so heavy reads can never hold every worker thread: the rest of the service
(health, commands, the present) keeps answering (measured by `python -m bench.heavy`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.exceptions import ServiceUnavailable

from web.refusals import Sentence

RETRY_AFTER = 5


class BusyError(ServiceUnavailable):
    """Every heavy-read slot of this process is taken (answered 503 busy, Retry-After)."""

    def __init__(self, what: str, slots: int) -> None:
        super().__init__(
            description=Sentence(
                "{what} is a heavy read and this server runs at most {slots} at a time;"
                " all are taken: retry in {wait} s",
                what=what,
                slots=slots,
                wait=RETRY_AFTER,
            ),
            retry_after=RETRY_AFTER,
        )


class Bulkhead:
    """At most `slots` heavy reads at once; the others wait `wait` seconds, then BusyError."""

    def __init__(self, slots: int, wait: float) -> None:
        self.slots = slots
        self.wait = wait
        self._free = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self, what: str) -> Iterator[None]:
        """Hold one slot for the duration of the block."""
        if not self._free.acquire(timeout=self.wait):
            raise BusyError(what, self.slots)
        try:
            yield
        finally:
            self._free.release()
