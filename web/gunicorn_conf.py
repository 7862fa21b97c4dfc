"""gunicorn settings: JSON logs to stderr (the access log is the app's own structured line), and
gunicorn's own error answers (400, 414, 431… before the app sees the request) as problem+json
with the security headers (web/gunicorn_worker.py: the gthread worker, `--threads` threads)."""

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
    "formatters": {"json": {"()": "web.hygiene.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
}


def on_starting(server: object) -> None:
    """Refuse to start, in one line, when the deployment is not configured (fail closed)."""
    import sys

    from web.config import ConfigError, Settings

    try:
        Settings.load().act_keys(signing=True)
    except ConfigError as error:
        print(f"initiative-ledger will not start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
