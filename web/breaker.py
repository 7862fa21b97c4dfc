"""A circuit breaker for database outages: once a request has found the database gone, the
next ones are answered 503 at once instead of each waiting through the driver's retries. One
request at a time probes (a connection attempt, bounded by the connect timeout), at most once
every PROBE_EVERY seconds; the others meanwhile are answered at once. The first successful
probe closes the breaker."""

from __future__ import annotations

import threading
import time

from flask import Flask, Response, g, request

from projections.storage import Storage
from web.problems import storage_unavailable

OPEN_FOR = 30.0  # seconds a detected outage is remembered unless a probe succeeds first
PROBE_EVERY = 1.0  # seconds after a failed probe before the next one


class Breaker:
    """Remembers the last storage failure; probes before letting requests wait again."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.failed_at = 0.0
        self.probe_failed_at = -PROBE_EVERY
        self._lock = threading.Lock()

    def tripped(self) -> None:
        """A request found the storage unavailable."""
        self.failed_at = time.monotonic()

    def check(self) -> Response | None:
        """Before a request: 503 now if the storage is still down."""
        if self.storage.kind != "postgresql" or time.monotonic() - self.failed_at > OPEN_FOR:
            return None
        if time.monotonic() - self.probe_failed_at < PROBE_EVERY:
            return storage_unavailable()  # a probe just failed: no second wait so soon
        if not self._lock.acquire(blocking=False):
            return storage_unavailable()  # another request is probing: do not queue behind it
        try:
            self.storage.connect().close()
        except Exception:
            self.probe_failed_at = time.monotonic()
            return storage_unavailable()
        finally:
            self._lock.release()
        self.failed_at = 0.0
        return None

    def silence_found(self) -> Response | None:
        """After the rate limiter: 503 at once when counting this request found the database
        silent (web/limits.py notes it in `g`): the request would only wait through the same
        silence again, and a request's cost stays one bounded wait."""
        if not g.get("database_silent"):
            return None
        self.tripped()
        return storage_unavailable()


def install(app: Flask, breaker: Breaker, exempt: tuple[str, ...] = ()) -> None:
    """Probe before requests while the breaker is open, but for the `exempt` paths (the
    metrics, which report an outage rather than suffer it)."""

    def check() -> Response | None:
        return None if request.path in exempt else breaker.check()

    app.before_request(check)
