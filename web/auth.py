"""Who is calling: a Bearer JWT naming a person of the directory (by key or id)."""

from __future__ import annotations

import time
import uuid
from typing import Any
from uuid import UUID

import jwt
from flask import current_app, g, request
from werkzeug.exceptions import Unauthorized

from domain.messages import msg
from domain.values import Context, person_id
from web.config import Settings
from web.refusals import Sentence


class TokenError(Unauthorized):
    """The request has no usable token; answered 401 with a reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(description=reason)
        self.data = {"headers": {"WWW-Authenticate": 'Bearer realm="initiative-ledger"'}}


def issue_token(
    settings: Settings, subject: str, ttl: int | None = None, signing_key: str | None = None
) -> str:
    """Mint a token for a person key or id (development, demos, or with a private key)."""
    now = int(time.time())
    claims = {
        "sub": subject,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + (ttl if ttl is not None else settings.token_ttl),
        "jti": str(uuid.uuid4()),
    }
    key = signing_key or settings.jwt_key
    return jwt.encode(claims, key, algorithm=settings.jwt_algorithm)


def subject_person_id(subject: str) -> UUID:
    """A token subject is a person id or a directory key."""
    try:
        return UUID(subject)
    except ValueError:
        return person_id(subject)


def authenticate() -> None:
    """Check the Bearer token and remember the person for this request (before_request)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenError(msg("an 'Authorization: Bearer <token>' header is required"))
    g.person_id = verify_token(token.strip())


def token_claims(token: str) -> dict[str, Any]:
    """The verified claims of `token` (jwt.InvalidTokenError when it is not good), decoded once
    per request: the rate limiter keys on them before authentication uses them."""
    decoded: dict[str, dict[str, Any]] = g.setdefault("token_claims", {})
    if token not in decoded:
        settings: Settings = current_app.extensions["ledger.settings"]
        decoded[token] = jwt.decode(
            token,
            settings.jwt_key,
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=settings.jwt_leeway,
            options={"require": ["exp", "iat", "sub"]},
        )
    return decoded[token]


def verify_token(token: str) -> UUID:
    """The directory person a token names, or TokenError (expired, forged, unknown person)."""
    settings: Settings = current_app.extensions["ledger.settings"]
    try:
        claims = token_claims(token)
    except jwt.ExpiredSignatureError as error:
        raise TokenError(msg("the token has expired")) from error
    except jwt.InvalidTokenError as error:
        raise TokenError(Sentence("the token is not valid: {error}", error=str(error))) from error
    lifetime = int(claims["exp"]) - int(claims["iat"])
    if lifetime > settings.jwt_max_ttl:
        raise TokenError(
            Sentence(
                "the token lives {lifetime} s; this service accepts at most {most} s"
                " (JWT_MAX_TTL)",
                lifetime=lifetime,
                most=settings.jwt_max_ttl,
            )
        )
    person = subject_person_id(str(claims["sub"]))
    if not current_app.extensions["ledger.service"].get().person_exists(person):
        raise TokenError(msg("the token names a person who is not in the directory"))
    return person


def context() -> Context:
    """The command context of this request: the caller, the server clock, the request id."""
    service = current_app.extensions["ledger.service"]
    request_id = g.get("request_id") or str(uuid.uuid4())
    return Context(person_id=g.person_id, at=service.clock(), request_id=request_id)
