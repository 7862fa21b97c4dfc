"""Rate-limit counters in the service's own database, for Flask-Limiter (`limits` storage
scheme `ledgerdb://`): every web process of a deployment counts against the same windows,
with no other server to run. One statement per counted request; on PostgreSQL the table is
UNLOGGED (counters are not records: a crash may forget them, nothing else depends on them).

Only the fixed-window strategy is supported (the one the service configures)."""

from __future__ import annotations

import contextlib
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from limits.storage import Storage as LimitsStorage

from projections.db import Database, StorageUnavailableError
from projections.storage import silent

_INCR = (
    "INSERT INTO rate_limits (key, count, expires_at) VALUES (?, ?, ?)"
    " ON CONFLICT (key) DO UPDATE SET"
    " count = CASE WHEN rate_limits.expires_at <= ? THEN excluded.count"
    " ELSE rate_limits.count + excluded.count END,"
    " expires_at = CASE WHEN rate_limits.expires_at <= ? THEN excluded.expires_at"
    " ELSE rate_limits.expires_at END"
    " RETURNING count"
)

# Which increments also sweep ended windows: a generator of its own, so that counting never
# moves the process's global random state (which other code, and Hypothesis, watch).
_SAMPLER = random.Random()
QUIET = 10.0


class DatabaseRateStorage(LimitsStorage):
    """Fixed-window counters in the `rate_limits` table of `database`."""

    STORAGE_SCHEME = ["ledgerdb"]  # noqa: RUF012 - the base class declares it so

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        self.db: Database = options["database"]
        # Told when the database did not answer at all (Flask-Limiter swallows the error and
        # counts in memory; the request would then wait through the same silence again).
        self.on_silence: Callable[[], None] = options.get("on_silence") or (lambda: None)
        self.silent_at = -math.inf  # when the database last did not answer (monotonic)
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @contextmanager
    def _told(self) -> Iterator[None]:
        try:
            yield
        except StorageUnavailableError as error:
            if silent(error):
                self.silent_at = time.monotonic()
                self.on_silence()
            raise

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """What a failing database raises (Flask-Limiter then falls back to memory)."""
        return (StorageUnavailableError,)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` in the window of `key` (a new window of `expiry` s if it ended)."""
        now = time.time()
        with self._told():
            # one statement, committed as it runs (a transaction around it cost two more
            # round trips, twice a request)
            rows = self.db.statement(_INCR, (key, amount, now + expiry, now, now))
        if _SAMPLER.random() < 0.001:
            # housekeeping after the count is committed: a failure here must not make
            # Flask-Limiter count the request again in memory (a later sample sweeps)
            with contextlib.suppress(StorageUnavailableError):
                self.db.statement("DELETE FROM rate_limits WHERE expires_at <= ?", (now,))
        return int(rows[0]["count"])

    def _row(self, key: str) -> dict[str, Any] | None:
        with self._told():
            rows = self.db.query(
                "SELECT count, expires_at FROM rate_limits WHERE key = ? AND expires_at > ?",
                (key, time.time()),
            )
        return rows[0] if rows else None

    def get(self, key: str) -> int:
        """The count of the current window (0 when none)."""
        row = self._row(key)
        return int(row["count"]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When the current window ends (now when none)."""
        row = self._row(key)
        return float(row["expires_at"]) if row else time.time()

    def check(self) -> bool:
        """Whether the database answers (not asked again within QUIET seconds of its silence:
        Flask-Limiter checks right after the failure, and that would be a second wait)."""
        if time.monotonic() - self.silent_at < QUIET:
            return False
        try:
            self.db.query("SELECT 1 AS one")
        except StorageUnavailableError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM rate_limits")
        return None

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM rate_limits WHERE key = ?", (key,))
