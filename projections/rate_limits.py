"""Rate-limit counters in the service's own database, for Flask-Limiter (`limits` storage
scheme `ledgerdb://`): every web process of a deployment counts against the same windows,
with no other server to run. One statement per counted request; on PostgreSQL the table is
UNLOGGED (counters are not records: a crash may forget them, nothing else depends on them).

Only the fixed-window strategy is supported (the one the service configures)."""

from __future__ import annotations

import random
import time
from typing import Any

from limits.storage import Storage as LimitsStorage

from projections.db import Database, StorageUnavailableError

_INCR = (
    "INSERT INTO rate_limits (key, count, expires_at) VALUES (?, ?, ?)"
    " ON CONFLICT (key) DO UPDATE SET"
    " count = CASE WHEN rate_limits.expires_at <= ? THEN excluded.count"
    " ELSE rate_limits.count + excluded.count END,"
    " expires_at = CASE WHEN rate_limits.expires_at <= ? THEN excluded.expires_at"
    " ELSE rate_limits.expires_at END"
    " RETURNING count"
)


class DatabaseRateStorage(LimitsStorage):
    """Fixed-window counters in the `rate_limits` table of `database`."""

    STORAGE_SCHEME = ["ledgerdb"]  # noqa: RUF012 - the base class declares it so

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        self.db: Database = options["database"]
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """What a failing database raises (Flask-Limiter then falls back to memory)."""
        return (StorageUnavailableError,)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` in the window of `key` (a new window of `expiry` s if it ended)."""
        now = time.time()
        with self.db.transaction() as tx:
            rows = tx.query(_INCR, (key, amount, now + expiry, now, now))
            if random.random() < 0.001:
                tx.execute("DELETE FROM rate_limits WHERE expires_at <= ?", (now,))
        return int(rows[0]["count"])

    def _row(self, key: str) -> dict[str, Any] | None:
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
        """Whether the database answers."""
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
