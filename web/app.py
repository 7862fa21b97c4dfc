"""The Flask application: `create_app(config=None)` is the only place objects are wired
(`web.create_app` imports this module when it is called)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask, send_from_directory
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from domain.service_base import ServiceBase
from projections.asof import AsOfViews
from projections.idempotency import IdempotencyStore
from web import bodies, breaker, hygiene, limits, reader, routing
from web.breaker import Breaker
from web.config import Settings
from web.heavy import Bulkhead
from web.problems import PROBLEM_LANGUAGE, ProblemApi, register_problem_handlers
from web.reads import Reads
from web.service import ServiceHolder, ledger_duties


class LedgerJSONProvider(DefaultJSONProvider):
    """ISO dates, string UUIDs and enum values; Vietnamese text unescaped."""

    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        """Serialise the value types the domain returns."""
        if isinstance(o, datetime | date):
            return o.isoformat()
        if isinstance(o, UUID | Decimal):
            return str(o)
        if isinstance(o, Enum):
            return o.value
        return DefaultJSONProvider.default(o)


class _CompiledTemplates(BytecodeCache):
    """The pages' templates compiled once per process, however many apps it makes (the tests
    make hundreds): a template's code is kept by name and reused while its source is the same
    (Jinja checks that), in environments that all have the same options (TEMPLATE_OPTIONS)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


# The pages' templates: blocks trimmed (a tag alone on its line leaves no blank line), and
# compiled once per process.
TEMPLATE_OPTIONS = {
    **Flask.jinja_options,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "bytecode_cache": _CompiledTemplates(),
}


def wrap(app: Flask, proxy_hops: int) -> None:
    """The WSGI middleware: behind deploy/nginx.conf (`proxy_hops`), the client's address and
    scheme; and each request reads a person or an organisation once, whoever asks
    (authentication, the command's candidates, the actor, the read policy:
    `ServiceBase.directory_reads`)."""
    inner: WSGIApplication = app.wsgi_app
    if proxy_hops:
        inner = ProxyFix(inner, x_for=proxy_hops, x_proto=proxy_hops)

    def within(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        with ServiceBase.directory_reads():
            return inner(environ, start_response)

    app.wsgi_app = within  # type: ignore[method-assign]


def create_app(
    config: Mapping[str, Any] | None = None, clock: Callable[[], datetime] | None = None
) -> Flask:
    """Build the web application; settings come from the environment, then `config`."""
    settings = Settings.load(config)
    # Imported here, in the process that serves: under gunicorn, prometheus_client must first
    # be imported after web/gunicorn_conf.py has set PROMETHEUS_MULTIPROC_DIR.
    from web import metrics

    app = Flask(__name__)
    app.jinja_options = TEMPLATE_OPTIONS  # before anything makes its templates' environment
    routing.install(app)  # before any route: every rule, the blueprints' too
    wrap(app, settings.proxy_hops)
    app.json = LedgerJSONProvider(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.session_ttl),
        SESSION_COOKIE_NAME="ledger_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        WTF_CSRF_CHECK_DEFAULT=False,  # the pages check their posts; the API takes no cookies
        WTF_CSRF_TIME_LIMIT=settings.session_ttl,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        MAX_CONTENT_LENGTH=settings.max_content_length,
        API_TITLE="Initiative ledger",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/static/",
    )
    acts = settings.act_keys(signing=not settings.reader)  # a reader records no act
    holder = (
        ServiceHolder(settings.storage, acts, clock)
        if clock
        else ServiceHolder(settings.storage, acts)
    )
    app.extensions["ledger.settings"] = settings
    app.extensions["ledger.service"] = holder
    app.extensions["ledger.reads"] = Reads(
        settings.storage,
        holder,
        settings.in_process_worker,
        settings.read_wait_seconds,
        duties=(
            (lambda db: ledger_duties(settings, db, holder.get))
            if settings.in_process_worker
            else None
        ),
        replica=settings.reader,
    )
    api = ProblemApi(
        app,
        spec_kwargs={
            "info": {"description": PROBLEM_LANGUAGE},
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearerAuth": []}],
        },
    )
    register_problem_handlers(app)
    # Sign-out sends the browser on to the identity provider's end-session page, from a form:
    # the pages' Content-Security-Policy lets their forms lead there too.
    hygiene.install(app, (settings.oidc_origin,) if settings.single_sign_on else ())
    if settings.reader:
        reader.install(app)  # right after the request's id: before any other check
    from web import answers
    from web.api import attachments, dashboard, directory, health, initiatives, ledger, plans

    upload_limit = settings.attachment_max_bytes + attachments.MULTIPART_OVERHEAD
    # the API's upload, and the pages' command forms, which may carry files
    bodies.install(app, {"attachments.Attachments": upload_limit, "pages.command": upload_limit})
    app.extensions["ledger.breaker"] = Breaker(settings.storage)
    breaker.install(app, app.extensions["ledger.breaker"], exempt=(metrics.PATH,))

    api.register_blueprints(
        [
            module.blp
            for module in (health, directory, initiatives, dashboard, ledger, plans, attachments)
        ]
    )

    from web import pages
    from web.api import tiles
    from web.pages import filters, inspection, sso, views  # noqa: F401 - routes on pages.bp
    from web.pages.downloads import export_url

    app.register_blueprint(tiles.bp)

    if settings.single_sign_on:
        sso.install(app, settings)
    pages.csrf.init_app(app)
    Babel(app, locale_selector=pages.locale)
    filters.install(app)
    app.jinja_env.globals.update(export_url=export_url)
    app.register_blueprint(pages.bp)

    # Swagger UI's own files, as flask-swagger-ui ships them (its blueprint and page are not
    # used: the docs page is templates/swagger_ui.html, started by static/api-docs.js).
    swagger_ui_dist = str(resources.files("flask_swagger_ui") / "dist")

    @app.get("/api/docs/static/<path:filename>")
    def swagger_static(filename: str) -> Response:
        return send_from_directory(swagger_ui_dist, filename)

    app.extensions["ledger.idempotency"] = IdempotencyStore(
        app.extensions["ledger.reads"].db, timedelta(seconds=settings.idempotency_ttl)
    )
    app.extensions["ledger.asof"] = AsOfViews(
        holder.get, app.extensions["ledger.reads"].db, settings.asof_cache
    )
    app.extensions["ledger.heavy"] = Bulkhead(settings.heavy_reads, settings.heavy_wait)
    answers.install(app, writes=not settings.reader)
    limits.install(app, settings, app.extensions["ledger.reads"].db)
    metrics.install(app, settings)
    if settings.in_process_worker:
        app.before_request(app.extensions["ledger.reads"].start_worker)

    return app
