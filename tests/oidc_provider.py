"""A real OpenID provider for the single sign-on tests, as its own process: oidc-provider-mock
(Authlib's authorization server: discovery, JWKS, authorization form, token endpoint with the
ID token, userinfo, RP-initiated logout), with client registration and the nonce required, and
PKCE enforced (RFC 7636 §4.6: an authorization request without an S256 code challenge is
refused, and a code is exchanged only with the verifier of its challenge), which the mock does
not check by itself. Users and their claims are set with `PUT /users/<sub>`.

Usage: python oidc_provider.py HOST:PORT

`OidcProvider` (below) starts it on a free port for a test, registers a client and sets users.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from tests.server_process import ServerProcess, script_env

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class Pkce:
    """WSGI middleware: PKCE as a provider that requires it checks it."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.challenges: dict[str, str] = {}  # authorization code -> its code challenge

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/authorize":
            return self._authorize(environ, start_response)
        if path == "/oauth2/token" and environ["REQUEST_METHOD"] == "POST":
            return self._token(environ, start_response)
        return self.app(environ, start_response)

    def _authorize(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        challenge = query.get("code_challenge", [""])[0]
        if query.get("code_challenge_method", [""])[0] != "S256" or not challenge:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"invalid_request: this provider requires PKCE with S256"]

        def remember(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            for name, value in headers:
                if name.lower() == "location":
                    code = parse_qs(urlsplit(value).query).get("code", [""])[0]
                    if code:
                        self.challenges[code] = challenge
            return start_response(status, headers, *rest)

        return self.app(environ, remember)

    def _token(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        form = parse_qs(body.decode())
        if form.get("grant_type", [""])[0] == "authorization_code":
            challenge = self.challenges.pop(form.get("code", [""])[0], None)
            verifier = form.get("code_verifier", [""])[0]
            digest = hashlib.sha256(verifier.encode()).digest()
            if challenge is None or base64.urlsafe_b64encode(digest).rstrip(b"=") != (
                challenge.encode()
            ):
                print("PKCE check failed: the code verifier does not match", flush=True)
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [
                    json.dumps(
                        {"error": "invalid_grant", "error_description": "PKCE check failed"}
                    ).encode()
                ]
        return self.app(environ, start_response)


def main() -> None:
    import oidc_provider_mock
    import werkzeug.serving

    host, _, port = sys.argv[1].rpartition(":")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain HTTP on the loopback
    app = oidc_provider_mock.app(require_client_registration=True, require_nonce=True)
    app.wsgi_app = Pkce(app.wsgi_app)  # type: ignore[method-assign]
    server = werkzeug.serving.make_server(host, int(port), app, threaded=True)
    print(f"listening on {host}:{port}", flush=True)
    server.serve_forever()


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the redirect is the answer (an HTTPError carrying Location)


_NO_REDIRECT = urllib.request.build_opener(_Stay)


class OidcProvider(ServerProcess):
    """tests/oidc_provider.py in its own process on `port`, its log in `log`."""

    def __init__(self, port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, str(Path(__file__)), f"127.0.0.1:{port}"]
        super().__init__("the OpenID provider", command, log, within=60, env=script_env())

    def answers(self) -> bool:
        return self.discovery() is not None

    def discovery(self) -> dict[str, Any] | None:
        """The discovery document, or None while the provider does not answer."""
        try:
            return self._call("GET", "/.well-known/openid-configuration")
        except OSError:
            return None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def register(self, *redirect_uris: str) -> tuple[str, str]:
        """A new client (dynamic registration): its id and secret."""
        client = self._call(
            "POST",
            "/oauth2/clients",
            {
                "redirect_uris": list(redirect_uris),
                "token_endpoint_auth_method": "client_secret_basic",
            },
        )
        return str(client["client_id"]), str(client["client_secret"])

    def set_user(self, sub: str, **claims: Any) -> None:
        """The claims the provider gives `sub` (who signs in by typing `sub` in its form)."""
        self._call("PUT", f"/users/{quote(sub, safe='')}", claims)

    def post_form(self, url: str, form: dict[str, str]) -> str:
        """Post `form` to the provider's page at `url` as its form does; where the provider
        sends the browser next (its redirect, not followed)."""
        request = urllib.request.Request(url, data=urlencode(form).encode(), method="POST")
        try:
            with _NO_REDIRECT.open(request, timeout=5) as answer:
                status, location, body = answer.status, None, answer.read()
        except urllib.error.HTTPError as redirect:  # (a redirect not followed is an HTTPError)
            status, location, body = redirect.code, redirect.headers["Location"], b""
        assert status in (302, 303), f"no redirect from {url}: {status} {body[:500]!r}"
        return str(location)

    def authorize(self, url: str, sub: str) -> str:
        """Sign in as `sub` on the provider's authorization form at `url`: where the provider
        sends the browser back (the client's redirect URI, with the code and the state)."""
        return self.post_form(url, {"sub": sub})


def running_provider(port: int, log: Path) -> Iterator[OidcProvider]:
    """The body of a fixture: the provider, stopped afterwards."""
    with OidcProvider(port, log) as provider:
        yield provider


if __name__ == "__main__":
    main()
