"""Prometheus metrics at `/metrics` (prometheus_client; docs/operations.md "Metrics").

Counted by the web processes as they answer: every request by method, route (the URL rule,
never the raw path) and status, with its latency; each command by name and outcome, from the
API and the pages alike; rate-limit refusals by limit; the connection pools. Read from the
database when Prometheus scrapes (`LedgerCollector`, projections/monitoring.py): the worker's
and the sealer's lag, the checkpoints' and the last full verification's age and result. A
database that does not answer makes `ledger_metrics_scrape_error` 1, never a 500.

Served only to a scraper presenting `METRICS_TOKEN` as its bearer token (compared in constant
time); without the setting, or with another token, `/metrics` is the 404 of any unknown path.
It is not in the API document, not rate-limited, not refused by the breaker during an outage
(it reports the outage) and not counted in the request metrics itself.

Under gunicorn every worker writes its values to files of its own in PROMETHEUS_MULTIPROC_DIR
(web/gunicorn_conf.py sets it up before this module is first imported), and a scrape, whichever
worker answers it, adds up the files of all of them.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    multiprocess,
    values,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from domain.commands import BY_NAME, REGISTRY
from projections.monitoring import LedgerGauges, read_gauges
from web.config import Settings

log = logging.getLogger(__name__)

PATH = "/metrics"
UNMATCHED = "unmatched"  # the route of a request no URL rule matched (404, 405)
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CREATE = "create_initiative"  # the command that opens a draft (not in the registry)
# A command's outcome by the status of its answer (2xx and redirects: recorded).
OUTCOMES = {
    400: "invalid",
    413: "invalid",
    415: "invalid",
    422: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    412: "stale",
    429: "rate_limited",
    503: "unavailable",
}
POOLS_EVERY = 1.0  # seconds between two readings of a process's pools by its requests
# The pools' figures (psycopg_pool's get_stats), summed over the live web workers.
POOL_GAUGES = (
    ("size", "pool_size", "Connections open"),
    ("available", "pool_available", "Connections open and idle"),
    ("max", "pool_max", "Most connections the pools may open"),
    ("waiting", "requests_waiting", "Requests waiting for a connection"),
)

# `_created` series double every counter for nothing a dashboard reads.
disable_created_metrics()  # type: ignore[no-untyped-call]

Figure = Callable[[LedgerGauges], float | int | bool | None]
# The figures read from the database at each scrape: name, help, value (None: no sample).
DATABASE_GAUGES: tuple[tuple[str, str, Figure], ...] = (
    ("ledger_log_head_position", "Log position of the newest stored event", lambda f: f.head),
    (
        "ledger_worker_lag_events",
        "Events stored but not yet applied to every view by the worker",
        lambda f: f.worker_lag,
    ),
    (
        "ledger_sealing_lag_events",
        "Events stored but not yet sealed into the ledger (nor refused)",
        lambda f: f.sealing_lag,
    ),
    ("ledger_sealed_leaves", "Leaves of the ledger's Merkle tree", lambda f: f.sealed_leaves),
    (
        "ledger_refused_events",
        "Stored rows the sealer refused as not the service's acts (an integrity failure)",
        lambda f: f.refused,
    ),
    (
        "ledger_checkpoint_size",
        "Leaves covered by the newest signed checkpoint",
        lambda f: f.checkpoint_size,
    ),
    (
        "ledger_checkpoint_age_seconds",
        "Seconds since the newest checkpoint was signed (no sample before the first)",
        lambda f: f.checkpoint_age,
    ),
    (
        "ledger_checkpoint_pending_leaves",
        "Sealed leaves no signed checkpoint covers yet",
        lambda f: f.checkpoint_pending,
    ),
    (
        "ledger_cosigned_checkpoint_size",
        "Leaves covered by the newest checkpoint the witness quorum cosigned (with witnesses)",
        lambda f: f.cosigned_size,
    ),
    (
        "ledger_cosigned_checkpoint_age_seconds",
        "Seconds since the quorum cosigned the newest cosigned checkpoint (with witnesses;"
        " no sample before the first)",
        lambda f: f.cosigned_age,
    ),
    (
        "ledger_cosigning_pending_leaves",
        "Leaves of the newest signed checkpoint that no cosigned checkpoint covers (with"
        " witnesses)",
        lambda f: f.cosigning_pending,
    ),
    (
        "ledger_verification_ok",
        "1 when the last full verification of the log found nothing, 0 when it found"
        " something (no sample before the first)",
        lambda f: f.verification_ok,
    ),
    (
        "ledger_verification_age_seconds",
        "Seconds since the last full verification of the log (no sample before the first)",
        lambda f: f.verification_age,
    ),
)


def multiprocess_directory() -> str | None:
    """PROMETHEUS_MULTIPROC_DIR when prometheus_client writes each process's values there
    (the variable was set before the library was first imported), else None."""
    if not getattr(values.ValueClass, "_multiprocess", False):
        return None
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def outcome(status: int, replayed: bool) -> str:
    """A command's outcome, by its answer."""
    if replayed:
        return "replayed"
    if status < 400:
        return "recorded"
    return OUTCOMES.get(status, "error" if status >= 500 else "refused")


class LedgerCollector(Collector):
    """The figures read from the database at scrape time. Every family is always there (a
    figure not known yet, or not read, has no sample), and `ledger_metrics_scrape_error`
    says whether the database answered."""

    def __init__(self, read: Callable[[], LedgerGauges]) -> None:
        self.read = read

    def collect(self) -> Iterator[Metric]:
        """Read the figures once and yield them."""
        started = time.perf_counter()
        figures: LedgerGauges | None = None
        try:
            figures = self.read()
        except Exception as error:  # the database is down, slow or refuses: say so
            log.warning("metrics: the database could not be read: %s", error)
        for name, documentation, figure in DATABASE_GAUGES:
            family = GaugeMetricFamily(name, documentation)
            value = figure(figures) if figures is not None else None
            if value is not None:
                family.add_metric([], float(value))
            yield family
        yield GaugeMetricFamily(
            "ledger_metrics_scrape_error",
            "1 when the database could not be read for this scrape (its figures are missing)",
            value=0.0 if figures is not None else 1.0,
        )
        yield GaugeMetricFamily(
            "ledger_metrics_scrape_duration_seconds",
            "Seconds this scrape spent reading the database",
            value=time.perf_counter() - started,
        )


class _Own(Collector):
    """A process's own metrics (without gunicorn: no other process to add up)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


class Metrics:
    """One web process's metrics and the scrape of all of them."""

    def __init__(self, token: str, read: Callable[[], LedgerGauges]) -> None:
        self.token = token
        self.read = read
        self.directory = multiprocess_directory()
        self.registry = CollectorRegistry()
        # In multiprocess mode the values live in the files; no registry holds them.
        owned = None if self.directory else self.registry

        def counter(name: str, documentation: str, labels: tuple[str, ...]) -> Counter:
            """A counter of this process, by `labels` (`_total` added to its name)."""
            return Counter(name, documentation, labels, registry=owned)

        self.requests = counter(
            "ledger_http_requests",
            "HTTP requests the app answered, by method, route (URL rule) and status",
            ("method", "route", "status"),
        )
        self.latency = Histogram(
            "ledger_http_request_duration_seconds",
            "Seconds the app took to answer, by method and route (URL rule)",
            ("method", "route"),
            buckets=LATENCY_BUCKETS,
            registry=owned,
        )
        self.commands = counter(
            "ledger_commands",
            "Commands asked for (API and pages), by command and outcome",
            ("command", "outcome"),
        )
        self.rate_limited = counter(
            "ledger_rate_limited",
            "Requests refused 429 by a rate limit: request (RATE_LIMIT) or heavy"
            " (RATE_LIMIT_HEAVY)",
            ("limit",),
        )
        self.pools = [
            (
                key,
                Gauge(
                    f"ledger_db_pool_{name}",
                    f"{documentation}, by pool (views: the views' and ledger's; events: the"
                    " event store's), summed over the live web processes",
                    ("pool",),
                    multiprocess_mode="livesum",
                    registry=owned,
                ),
            )
            for name, key, documentation in POOL_GAUGES
        ]
        self.pool_stats: dict[str, Callable[[], dict[str, int] | None]] = {}
        self._pools_read = 0.0
        self.api_commands = {f"initiatives.{c.path}": c.name for c in REGISTRY}

    def authorised(self, header: str) -> bool:
        """Whether `header` (Authorization) presents the metrics token."""
        if not self.token:
            return False
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self.token.encode()
        )

    def record(self, response: Response) -> Response:
        """After a request: count it (never failing it)."""
        try:
            self._record(response)
        except Exception:
            log.exception("metrics: a request could not be counted")
        return response

    def _record(self, response: Response) -> None:
        rule = request.url_rule
        route = rule.rule if rule is not None else UNMATCHED
        if route == PATH:
            return
        method = request.method if request.method in METHODS else "OTHER"
        status = response.status_code
        self.requests.labels(method, route, str(status)).inc()
        started = g.get("started")  # web/hygiene.py: the first thing a request does
        if isinstance(started, float):
            self.latency.labels(method, route).observe(time.perf_counter() - started)
        command = self._command()
        if command is not None:
            replayed = response.headers.get("Idempotent-Replayed") == "true"
            self.commands.labels(command, outcome(status, replayed)).inc()
        if status == 429:
            self.rate_limited.labels(g.get("rate_limited", "request")).inc()
        self.read_pools()

    def _command(self) -> str | None:
        """The command a request asks for (a POST of the API's or the pages' forms)."""
        if request.method != "POST":
            return None
        endpoint = request.endpoint or ""
        if endpoint in ("initiatives.Initiatives", "pages.new_initiative"):
            return CREATE
        if endpoint == "pages.command":
            name = (request.view_args or {}).get("method")
            return name if name in BY_NAME else None
        return self.api_commands.get(endpoint)

    def read_pools(self, now: bool = False) -> None:
        """Note this process's pools (at most every POOLS_EVERY seconds, unless `now`)."""
        moment = time.monotonic()
        if not now and moment - self._pools_read < POOLS_EVERY:
            return
        self._pools_read = moment
        for pool, stats_of in self.pool_stats.items():
            try:
                stats = stats_of()
            except RuntimeError:  # its counters changed while copied: the next reading
                continue
            if stats is None:
                continue
            for key, gauge in self.pools:
                gauge.labels(pool).set(stats.get(key, 0))

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """Every metric of every web process, and the database's figures, in the format the
        scraper accepts (Prometheus's text format unless it asks for OpenMetrics), and its
        media type."""
        self.read_pools(now=True)
        registry = CollectorRegistry()
        if self.directory:
            multiprocess.MultiProcessCollector(registry, self.directory)  # type: ignore[no-untyped-call]
        else:
            registry.register(_Own(self.registry))
        registry.register(LedgerCollector(self.read))
        encode, media_type = choose_encoder(accept)
        return encode(registry), media_type


def scrape() -> Response:
    """`GET /metrics`: the metrics, for the bearer of METRICS_TOKEN; else 404."""
    metrics: Metrics = current_app.extensions["ledger.metrics"]
    if not metrics.authorised(request.headers.get("Authorization", "")):
        abort(404)
    body, media_type = metrics.exposition(request.headers.get("Accept", ""))
    return Response(body, headers={"Content-Type": media_type})


def install(app: Flask, settings: Settings) -> Metrics:
    """Count every request of `app` and serve `/metrics` (after the limiter is installed:
    the scrape is exempt from it)."""
    reads = app.extensions["ledger.reads"]
    metrics = Metrics(
        settings.metrics_token, lambda: read_gauges(reads.db, settings.ledger_store(reads.db))
    )
    metrics.pool_stats = {
        "views": reads.db.pool_stats,
        "events": app.extensions["ledger.service"].pool_stats,
    }
    app.extensions["ledger.metrics"] = metrics
    app.after_request(metrics.record)
    app.add_url_rule(PATH, "metrics", scrape, methods=["GET"])
    app.extensions["ledger.limiter"].exempt(scrape)
    return metrics
