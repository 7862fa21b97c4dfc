"""Security headers on every response, and one structured JSON log line per request.

Log lines carry the request id, method, path, status, duration and the caller's person id —
never a token, a secret or a request body; web/json_log.py writes them as JSON.
"""

from __future__ import annotations

import logging
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("ledger.access")

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The pages run no script at all; their styles and images come from this server only.
PAGES_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
    " frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI (/api/docs): its files and the page's starter (static/api-docs.js) from this
# server; no inline script or style attribute (Swagger UI styles elements through the CSSOM,
# which CSP allows), no eval, no plugins.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Unless a view says otherwise, no answer is stored by a cache.
DEFAULT_CACHE_CONTROL = "no-store"


def security_headers(path: str, form_targets: tuple[str, ...] = ()) -> dict[str, str]:
    """The security headers of every answer to `path`, in the order they are set (gunicorn's
    own error answers, web/gunicorn_worker.py, carry the same ones). `form_targets`: origins
    besides this one that the pages' forms may lead to (the identity provider, whose
    end-session page sign-out sends the browser to: web/pages/sso.py)."""
    docs = path.startswith("/api/docs")
    api = path.startswith("/api/")
    pages = PAGES_CSP.replace(
        "form-action 'self'", " ".join(("form-action 'self'", *form_targets))
    )
    return {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": DOCS_CSP if docs else API_CSP if api else pages,
        "Strict-Transport-Security": "max-age=31536000",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def install(app: Flask, form_targets: tuple[str, ...] = ()) -> None:
    """Wire request ids, security headers and access logging into `app` (`form_targets`: see
    `security_headers`)."""

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        # The service makes every request id (the one events record); a client's own id is
        # kept apart, for logs and the answer's X-Client-Request-Id.
        g.request_id = str(uuid.uuid4())
        supplied = request.headers.get("X-Request-Id", "")
        g.client_request_id = supplied[:100] if supplied.isprintable() and supplied else None

    @app.after_request
    def _finish(response: Response) -> Response:
        headers = response.headers
        for name, value in security_headers(request.path, form_targets).items():
            headers[name] = value
        headers.setdefault("Cache-Control", DEFAULT_CACHE_CONTROL)
        headers["X-Request-Id"] = g.get("request_id", "")
        if g.get("client_request_id"):
            headers["X-Client-Request-Id"] = g.client_request_id
        log.info(
            "request",
            extra={
                "request_id": g.get("request_id"),
                "client_request_id": g.get("client_request_id"),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(
                    (time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1
                ),
                "person_id": str(g.get("person_id", "")) or None,
            },
        )
        return response
