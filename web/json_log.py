"""One JSON object per log line: the format of every process's log (gunicorn's, the access log
of web/hygiene.py, the `ledger` commands'). The standard library only, so that a command that
never serves the application (a witness) logs alike without loading Flask."""

from __future__ import annotations

import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON (fields passed with `extra=` included)."""
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in (
            "request_id",
            "client_request_id",
            "method",
            "path",
            "status",
            "ms",
            "person_id",
        ):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)
