"""Single sign-on for the pages: OpenID Connect, the authorization-code flow with PKCE.

Authlib's Flask client does the protocol. `/sign-in/oidc` sends the browser to the province's
identity provider (OIDC_ISSUER, its endpoints read from its discovery document) with a state, a
nonce and an S256 code challenge, all three kept in the session; `/sign-in/oidc/callback` takes
the code back, checks the state, exchanges the code with the code verifier and the client
secret, and checks the ID token (signed with a key the provider publishes, issued by
OIDC_ISSUER to OIDC_CLIENT_ID, with this sign-in's nonce, not expired). The claim
OIDC_PERSON_CLAIM of the ID token (or, if the token lacks it, of the provider's userinfo) is a
directory key or person id: that person, who must be in the directory, is signed in as the
person picker or a pasted token would sign them in. Anything else is a page saying why, and no
session.

Sign-out also ends the session at the provider when it publishes an `end_session_endpoint`
(OpenID Connect RP-Initiated Logout): the browser goes there with the ID token as
`id_token_hint`, and comes back to `/sign-in`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from web.api import service
from web.auth import subject_person_id
from web.config import Settings
from web.pages import begin_session, bp, safe_next, settings
from web.pages.views import sign_in_page

log = logging.getLogger("ledger.sso")

TIMEOUT = 10  # seconds for each request to the provider
ID_TOKEN = "id_token"  # the session's ID token, sent back to the provider at sign-out
_NEXT = "sso_next"  # where to go once signed in, kept across the round trip


# What talking to the provider may raise: its refusals (OAuthError), a token that does not check
# out (JoseError), no answer or an unreadable one (requests' errors are OSErrors; bad JSON is a
# ValueError), a discovery document without what the flow needs (KeyError, RuntimeError).
# (authlib is imported when a provider is configured: `install`; it costs a process ~0.25 s)
def _failures() -> tuple[type[Exception], ...]:
    from authlib.integrations.flask_client import OAuthError

    return (OAuthError, JoseError, OSError, ValueError, KeyError, RuntimeError)


class SignInError(Exception):
    """The sign-in cannot go on: `message` for the person, `reason` for the log."""

    def __init__(self, status: int, message: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.message = message


def install(app: Flask, config: Settings) -> None:
    """Register the provider's client with `app` (when OIDC_ISSUER is set)."""
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    app.extensions["ledger.sso"] = oauth.register(
        "sso",
        client_id=config.oidc_client_id,
        client_secret=config.oidc_client_secret,
        server_metadata_url=f"{config.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": config.oidc_scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
        },
    )


def _client() -> Any:
    return current_app.extensions["ledger.sso"]


def _metadata() -> dict[str, Any]:
    """The provider's discovery document (read once per process), which must name the
    configured issuer (OpenID Connect Discovery §4.3)."""
    metadata: dict[str, Any] = _client().load_server_metadata()
    issuer = str(metadata.get("issuer", ""))
    if issuer.rstrip("/") != settings().oidc_issuer.rstrip("/"):
        raise RuntimeError(f"the discovery document names the issuer {issuer!r}")
    return metadata


def _unreachable(error: Exception) -> SignInError:
    return SignInError(
        503,
        _(
            "Không kết nối được với hệ thống định danh. Vui lòng thử lại sau,"
            " hoặc đăng nhập bằng mã."
        ),
        f"the identity provider cannot be used: {error!r}",
    )


def _refused(reason: str) -> SignInError:
    return SignInError(
        401,
        _(
            "Không đăng nhập được bằng tài khoản công vụ: yêu cầu đăng nhập không hợp lệ,"
            " đã hết hạn hoặc bị từ chối. Vui lòng thử lại."
        ),
        reason,
    )


def _refusal_page(refused: SignInError) -> Any:
    log.warning("single sign-on refused: %s", refused)
    return sign_in_page(refused.message, refused.status)


@bp.get("/sign-in/oidc")
def sso_begin() -> Any:
    """Send the browser to the identity provider's sign-in."""
    if not settings().single_sign_on:
        abort(404)
    session[_NEXT] = safe_next(request.args.get("next"))
    try:
        _metadata()
        response: Response = _client().authorize_redirect(
            url_for("pages.sso_callback", _external=True)
        )
    except _failures() as error:
        return _refusal_page(_unreachable(error))
    return response


@bp.get("/sign-in/oidc/callback")
def sso_callback() -> Any:
    """Take the provider's answer back: sign the person it names in, or say why not."""
    if not settings().single_sign_on:
        abort(404)
    target = session.get(_NEXT)
    try:
        token = _token()
        person = _person(token)
    except SignInError as refused:
        return _refusal_page(refused)
    begin_session(str(person))
    session[ID_TOKEN] = token["id_token"]
    return redirect(safe_next(target))


def _token() -> dict[str, Any]:
    """The token answer, its ID token checked (Authlib), or SignInError."""
    if request.args.get("error"):
        raise _refused(f"the provider answered {request.args['error']!r}")
    try:
        _metadata()
    except _failures() as error:
        raise _unreachable(error) from error
    try:
        token: dict[str, Any] = _client().authorize_access_token()
    except OSError as error:  # no answer from the token endpoint
        raise _unreachable(error) from error
    except _failures() as error:  # a state, code, verifier or ID token that does not check out
        raise _refused(repr(error)) from error
    if not token.get("userinfo"):
        raise _refused("the token answer has no ID token")
    return token


def _person(token: dict[str, Any]) -> UUID:
    """The directory person the configured claim names, or SignInError. The claim is read
    from the ID token, else from the provider's userinfo (some providers put only `sub` in
    the ID token), which must be about the same `sub` (OpenID Connect Core §5.3.2)."""
    claim = settings().oidc_person_claim
    claims = dict(token["userinfo"])
    if claim not in claims:
        try:
            asked = bool(_metadata().get("userinfo_endpoint"))
            more = dict(_client().userinfo(token=token)) if asked else {}
        except _failures() as error:
            raise _unreachable(error) from error
        if more.get("sub") == claims.get("sub"):
            claims = {**more, **claims}
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise SignInError(
            401,
            _(
                "Không đăng nhập được: hệ thống định danh không cho biết tài khoản này là ai"
                " trong danh bạ (thiếu thông tin %(claim)s).",
                claim=claim,
            ),
            f"no {claim!r} claim for sub {claims.get('sub')!r}",
        )
    person = subject_person_id(value.strip())
    if not service().person_exists(person):
        raise SignInError(
            403,
            _(
                "Không đăng nhập được: tài khoản công vụ %(name)s không gắn với người nào"
                " trong danh bạ. Hãy liên hệ bộ phận quản lý danh bạ.",
                name=value.strip(),
            ),
            f"{claim}={value!r} names nobody in the directory",
        )
    return person


def end_session_url(id_token: str | None) -> str | None:
    """Where to end the provider's session at sign-out (RP-Initiated Logout), or None: signed
    in otherwise, no end_session_endpoint, or the provider cannot be reached (the session
    here is over all the same)."""
    if not (id_token and settings().single_sign_on):
        return None
    try:
        endpoint = str(_metadata().get("end_session_endpoint") or "")
    except _failures() as error:
        log.warning("the provider's session is not ended: %r", error)
        return None
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    if f"{parts.scheme}://{parts.netloc}".lower() != settings().oidc_origin.lower():
        # The pages' forms may only lead to this service and the issuer's origin (Content-
        # Security-Policy form-action): a browser would stop a redirect anywhere else.
        log.warning(
            "the provider's session is not ended: %s is not on the issuer's origin", endpoint
        )
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": url_for("pages.sign_in", _external=True),
            "client_id": settings().oidc_client_id,
        }
    )
    return f"{endpoint}{'&' if parts.query else '?'}{query}"
