"""A circuit breaker for database outages: once a request has found the database gone, the
next ones are answered 503 at once (after a one-second probe) instead of each waiting through
the driver's retries; the first successful probe closes the breaker."""

from __future__ import annotations

import threading
import time

from flask import Flask, Response, g, request

from projections.storage import Storage
from web.problems import storage_unavailable

OPEN_FOR = 30.0  # seconds a detected outage is remembered unless a probe succeeds first


class Breaker:
    """Remembers the last storage failure; probes before letting requests wait again."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.failed_at = 0.0
        self._lock = threading.Lock()

    def tripped(self) -> None:
        """A request found the storage unavailable."""
        self.failed_at = time.monotonic()

    def check(self) -> Response | None:
        """Before a request: 503 now if the storage is still down."""
        if self.storage.kind != "postgresql" or time.monotonic() - self.failed_at > OPEN_FOR:
            return None
        if not self._lock.acquire(blocking=False):
            return storage_unavailable()  # another request is probing: do not queue behind it
        try:
            self.storage.connect().close()
        except Exception:
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
