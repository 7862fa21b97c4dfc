"""One flask-smorest Blueprint per resource, and the helpers every view uses."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import PreconditionFailed

from domain.application import LedgerApplication


def service() -> LedgerApplication:
    """The domain application of this process."""
    app: LedgerApplication = current_app.extensions["ledger.service"].get()
    return app


def if_match() -> int | None:
    """The version the caller expects (If-Match: "3", 3 or W/"3"), or None."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed(description='If-Match must be a version number such as "3"')
    return int(value)
