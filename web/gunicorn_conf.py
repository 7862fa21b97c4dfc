"""gunicorn settings: JSON logs to stderr (the access log is the app's own structured line), and
gunicorn's own error answers (400, 414, 431… before the app sees the request) as problem+json
with the security headers (web/gunicorn_worker.py: the gthread worker, `--threads` threads).

Metrics (web/metrics.py) are counted by every worker: each writes its values to files of its own
in PROMETHEUS_MULTIPROC_DIR, which a scrape adds up, whichever worker answers it. The master
sets that folder up before any worker imports prometheus_client (the library reads the variable
once, on import): the configured one, emptied of the last run's files, or a new private folder
under the temporary directory, removed when the master exits. A worker that exits is marked
dead, so that its connection-pool gauges stop counting (its counters stay in the sums). The
master imports the app's modules (not the app) before it forks the workers."""

from __future__ import annotations

from typing import Any

worker_class = "web.gunicorn_worker.ProblemWorker"
# A worker whose main loop stops answering for this long is killed and replaced. A single
# request's time is bounded inside the app (statement timeout, bounded waits, the heavy-read
# bulkhead: docs/reliability.md "Limits") and at the edge (deploy/nginx.conf).
timeout = 30
graceful_timeout = 20
keepalive = 5

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "web.json_log.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
}

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"
MADE = "LEDGER_METRICS_DIR_MADE"  # the folder a master made, to tell it from a configured one
_made: list[str] = []  # the metrics folder this master made (removed when it exits)


def on_starting(server: object) -> None:
    """Refuse to start, in one line, when the deployment is not configured (fail closed);
    then set up the workers' metrics folder."""
    import sys

    from web.config import ConfigError, Settings

    try:
        settings = Settings.load()
        settings.act_keys(signing=not settings.reader)  # a reader node records no act
        _metrics_folder()
        _import_the_app()
    except ConfigError as error:
        print(f"initiative-ledger will not start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None


def _metrics_folder() -> None:
    """PROMETHEUS_MULTIPROC_DIR: the configured folder emptied of a previous run's files, or a
    new one; ConfigError when it cannot be used or prometheus_client was imported too early."""
    import os
    import tempfile
    from pathlib import Path

    from web.config import ConfigError

    configured = os.environ.get(METRICS_DIR, "").strip()
    # A master made the folder (this one's predecessor, when USR2 started this one beside it:
    # its workers still write there, and it removes the folder when it exits): make another.
    if configured and configured != os.environ.get(MADE):
        folder = Path(configured)
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise ConfigError(f"{METRICS_DIR} {configured} is not a folder this user can write")
        if "GUNICORN_PID" not in os.environ:  # not beside a running predecessor (USR2)
            for stale in folder.glob("*.db"):  # the files of the last run's workers
                stale.unlink()
    else:
        os.environ[METRICS_DIR] = os.environ[MADE] = tempfile.mkdtemp(prefix="ledger-metrics-")
        _made.append(os.environ[METRICS_DIR])
    from prometheus_client import values

    if not getattr(values.ValueClass, "_multiprocess", False):
        raise ConfigError(
            "prometheus_client was imported before PROMETHEUS_MULTIPROC_DIR was set: the"
            " workers' metrics would not be added up (do not preload the app)"
        )


def _import_the_app() -> None:
    """Import the app's modules in the master, once the metrics folder is set: every worker
    forked from it starts with them loaded, where each imported them itself (about a second of
    CPU, again at every restart). The app is still made in each worker: its connections, its
    threads and its metrics' values are its own (importing makes none of them)."""
    import importlib
    import pkgutil

    import web.answers
    import web.api
    import web.app
    import web.metrics
    import web.pages

    for package in (web.api, web.pages):  # the modules the routes live in (create_app's)
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


def child_exit(server: object, worker: Any) -> None:
    """A worker has exited: its live gauges (the connection pools) no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: object) -> None:
    """Remove the metrics folder this master made."""
    import shutil

    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)
