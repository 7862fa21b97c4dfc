"""Acts' signatures checked behind a long dossier as it is written (projections/ledger/dossier.py).

A dossier of 5,000 events checked each act's Ed25519 signature in the process writing it,
~100 us each: a quarter of the writer's time. Here each page of events is handed, as it is
read, to a process of its own (`act_checker.ActChecker`, on the other core; `ActKeys.opened`
says why not a thread) and the writer goes on with the page's bodies at once. The verdicts are
collected before the dossier's last bytes (`settle`): a record that is not an authenticated act
raises ActError there, which ends the stream without the ZIP's central directory, so what was
sent is never a valid dossier — as for any failure found on the way. At most `AHEAD` pages wait
for their verdict (memory stays bounded); if the process stops, the writer checks those pages
itself, and says so once.
"""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from projections.ledger.act_checker import ActChecker, ActCheckerError
from projections.ledger.acts import ActKeys
from projections.ledger.leaf import StoredRecord

log = logging.getLogger(__name__)

AHEAD = 8  # pages whose verdict may be pending


class DeferredChecks:
    """Acts checked by a process of their own while the caller goes on; `settle()` before the
    result counts, `close()` always."""

    def __init__(self, keys: ActKeys) -> None:
        self.keys = keys
        self._feeder: ThreadPoolExecutor | None = None
        self._checker: ActChecker | None = None
        self._failed = False  # the process stopped: the caller checks what is left
        self._closed = False
        self._pending: deque[tuple[list[StoredRecord], Future[list[StoredRecord] | None]]]
        self._pending = deque()

    def add(self, records: list[StoredRecord]) -> None:
        """Have the acts among `records` checked. With more than AHEAD pages pending, waits
        for the oldest one's verdict (ActError if one of its records is not an authenticated
        act)."""
        if self._feeder is None:
            self._feeder = ThreadPoolExecutor(1, thread_name_prefix="dossier-acts")
            self._checker = ActChecker()
        self._pending.append((records, self._feeder.submit(self._check, records)))
        while len(self._pending) > AHEAD:
            self._settle_one()

    def settle(self) -> None:
        """Every verdict: ActError for the first record, in the order added, that is not an
        authenticated act."""
        while self._pending:
            self._settle_one()

    def close(self) -> None:
        """End the process and the thread that feeds it; verdicts not collected are dropped."""
        self._closed = True
        self._pending.clear()
        checker, self._checker = self._checker, None
        if checker is not None:
            checker.close()  # a check under way fails now rather than holds the thread
        if self._feeder is not None:
            self._feeder.shutdown(wait=True, cancel_futures=True)

    def _settle_one(self) -> None:
        records, verdict = self._pending.popleft()
        unproven = verdict.result()
        for record in records if unproven is None else unproven:
            self.keys.open(record)  # ActError, saying why (checked here if the process stopped)

    def _check(self, records: list[StoredRecord]) -> list[StoredRecord] | None:
        """The records the process did not find to be authenticated acts; None when it could
        not answer (the caller checks them all)."""
        if self._failed or self._checker is None:
            return None
        try:
            return self.keys.check_ahead(records, self._checker.checked)
        except ActCheckerError as error:
            if not self._closed:
                log.warning("a dossier's acts are checked in the web process: %s", error)
            self._failed = True
            return None
