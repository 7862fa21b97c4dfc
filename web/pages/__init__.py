"""Web pages for heads, cadres and inspectors: server-rendered, Vietnamese first.

The pages are a second entry point beside the API, with no rules of their own: they read the
same views and queries, draw their forms from the same schemas and run the same application
methods (web/pages/forms.py). Who is signed in lives in a signed session cookie that expires;
every form carries a CSRF token.

Sign-in: single sign-on through the province's identity provider when OIDC_ISSUER is set
(OpenID Connect, web/pages/sso.py); in development, a person picker over the directory
(`SIGN_IN_PICKER`); everywhere, a bearer token: one issued by `ledger token issue`, or an ID
token of the province's identity provider when the JWT settings name it (docs/pages.md).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

from projections.sessions import Sessions
from web.config import Settings

bp = Blueprint("pages", __name__, template_folder="../templates", static_folder="../static")
csrf = CSRFProtect()

LANGUAGES = ("vi", "en")
OPEN_ENDPOINTS = {
    "pages.sign_in",
    "pages.sso_begin",
    "pages.sso_callback",
    "pages.language",
    "pages.static",
}


def settings() -> Settings:
    """The deployment's settings."""
    found: Settings = current_app.extensions["ledger.settings"]
    return found


def locale() -> str:
    """The language of the answer: the session's choice; else, for the API (a program, or a
    spreadsheet it downloads), the request's Accept-Language; else Vietnamese (the pages are
    Vietnamese first whatever the browser says)."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    if request.blueprint != "pages":
        return str(request.accept_languages.best_match(LANGUAGES, default="vi"))
    return "vi"


@bp.before_request
def signed_in() -> Response | None:
    """Check the CSRF token of every post; send those not signed in (or expired) to sign in."""
    if request.method == "POST":
        csrf.protect()
    person = session.get("person_id")
    since = session.get("since", 0)
    if person and time.time() - float(since) > settings().session_ttl:
        session.pop("person_id", None)
        session["notice"] = "expired"
        person = None
    if person:
        # The session lives on the server: signed out, or the person's positions changed.
        app = current_app.extensions["ledger.service"].get()
        refused = sessions().refused(
            str(session.get("sid", "")), person, app.positions_digest(_uuid(person))
        )
        if refused:
            session.pop("person_id", None)
            session.pop("sid", None)
            session["notice"] = refused
            person = None
    if person:
        g.person_id = _uuid(person)
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    return redirect(url_for("pages.sign_in", next=request.full_path.rstrip("?")))


def _uuid(value: str) -> UUID:
    return UUID(value)


@bp.app_context_processor
def instance() -> dict[str, Any]:
    """Whether this is a development instance (every page says so)."""
    return {"development": not settings().production}


@bp.app_context_processor
def who() -> dict[str, Any]:
    """The signed-in person's name for the header."""
    if request.blueprint != "pages" or not g.get("person_id"):
        return {}
    person = current_app.extensions["ledger.service"].get().get_person(g.person_id)
    return {"who": person.get("full_name", "")}


def sessions() -> Sessions:
    """The page sessions kept on the server."""
    return Sessions(current_app.extensions["ledger.reads"].db)


def begin_session(person_id: str) -> None:
    """Sign a person in: a fresh session (no fixation), timed from now, kept on the server."""
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    app = current_app.extensions["ledger.service"].get()
    session["sid"] = sessions().open(person_id, app.positions_digest(UUID(person_id)))
    session["person_id"] = person_id
    session["since"] = time.time()
    if lang:
        session["lang"] = lang


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a local path only (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("pages.home")


def notice_text(code: str | None) -> str | None:
    """A one-off notice shown at the top of the next page."""
    return {
        "expired": _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."),
        "signed_out": _("Đã đăng xuất."),
        "purpose": _("Hãy nêu mục đích xem hồ sơ."),
        "revoked": _(
            "Phiên làm việc đã kết thúc vì chức vụ của bạn vừa thay đổi. Vui lòng đăng nhập lại."
        ),
        "recorded": _("Đã ghi nhận. Sự kiện sẽ được niêm phong."),
        "created": _("Đã tạo dự thảo đề xuất."),
    }.get(code or "")
