"""Per-person rate limits (Flask-Limiter, fixed windows).

Each request counts against `RATE_LIMIT` for its caller: the person a valid bearer token
names, else the person signed in to the pages, else the client address. Heavy reads (as-of
replays, dossiers, verifications) count against `RATE_LIMIT_HEAVY` too. Over the limit: 429
problem with `Retry-After`. Counters live in the service's database on PostgreSQL (every
web process shares them), in memory with SQLite (one process) and on a reader node (its
replica cannot be written: each process counts on its own), or where
`RATELIMIT_STORAGE_URI` says (e.g. `redis://…` with the `redis` package installed). If the
counter store fails, requests are counted in memory meanwhile (a rate limit never turns a
database outage into more refusals), but a counter store that found the database silent
answers that request 503 at once, as the breaker then answers the next ones. Each refusal
notes which limit it was (`g.rate_limited`: "request" or "heavy"), which web/metrics.py counts."""

from __future__ import annotations

import math
import time
from typing import Any, cast

import jwt
from flask import Flask, current_app, g, request, session
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from projections.db import Database
from projections.rate_limits import DatabaseRateStorage  # noqa: F401 - registers ledgerdb://
from web.auth import token_claims
from web.config import Settings
from web.refusals import Sentence

# Monitoring and static files are never limited.
EXEMPT_PREFIXES = ("/api/health", "/static/", "/api/docs/static/")


def caller() -> str:
    """Whom a request is counted against."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        try:
            return f"person:{token_claims(token.strip())['sub']}"
        except jwt.InvalidTokenError:
            pass  # refused later with 401; counted by address meanwhile
    person = session.get("person_id") if request.cookies else None
    if person:
        return f"person:{person}"
    return f"address:{request.remote_addr or '-'}"


def install(app: Flask, settings: Settings, db: Database) -> Limiter:
    """Count every request (but health and static files) against RATE_LIMIT."""
    uri = settings.ratelimit_storage_uri or (
        "ledgerdb://" if db.kind == "postgresql" and not settings.reader else "memory://"
    )
    limiter = Limiter(
        key_func=caller,
        app=app,
        # One window per person for the whole service (Flask-Limiter's "application" limits):
        # its default limits would give each route a window of its own.
        application_limits=[settings.rate_limit] if settings.rate_limit else [],
        application_limits_exempt_when=lambda: request.path.startswith(EXEMPT_PREFIXES),
        storage_uri=uri,
        storage_options=cast(
            "dict[str, Any]",
            {"database": db, "on_silence": _silent_database} if uri.startswith("ledgerdb") else {},
        ),
        strategy="fixed-window",
        headers_enabled=False,  # it would put Retry-After on every answer; see retry_after()
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        on_breach=_breached,
    )
    app.extensions["ledger.limiter"] = limiter
    # After the limiter's own check: 503 at once if counting found the database silent.
    app.before_request(app.extensions["ledger.breaker"].silence_found)
    return limiter


def _silent_database() -> None:
    """The counter store found the database silent (it did not answer at all)."""
    g.database_silent = True


def _breached(limit: RequestLimit) -> None:
    """A request over RATE_LIMIT: noted for the metrics (Flask-Limiter answers it 429)."""
    g.rate_limited = "request"


def retry_after(error: Exception) -> int | None:
    """Seconds until the caller may retry, for an error that says so (a breached rate limit,
    a busy bulkhead, a heavy-read limit), else None."""
    if isinstance(error, RateLimitExceeded):
        limiter: Limiter = current_app.extensions["ledger.limiter"]
        breached = limiter.current_limit
        reset = breached.reset_at if breached is not None else time.time() + 60
        return max(1, math.ceil(reset - time.time()))
    seconds = getattr(error, "retry_after", None)
    return int(seconds) if isinstance(seconds, int | float) else None


def count_heavy(what: str) -> None:
    """Count one heavy read against RATE_LIMIT_HEAVY; 429 when over."""
    settings: Settings = current_app.extensions["ledger.settings"]
    if not settings.rate_limit_heavy:
        return
    limiter: Limiter = current_app.extensions["ledger.limiter"]
    key = caller()
    for limit in parse_many(settings.rate_limit_heavy):
        if not limiter.limiter.hit(limit, "heavy", key):
            reset, _ = limiter.limiter.get_window_stats(limit, "heavy", key)
            wait = max(1, math.ceil(reset - time.time()))
            g.rate_limited = "heavy"
            raise TooManyRequests(
                description=Sentence(
                    "{what} counts against {limit} heavy reads per person; retry in {wait} s",
                    what=what,
                    limit=str(limit),
                    wait=wait,
                ),
                retry_after=wait,
            )
