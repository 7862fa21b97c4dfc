"""gunicorn settings: JSON logs to stderr (the access log is the app's own structured line)."""

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
