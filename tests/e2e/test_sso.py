"""Single sign-on against a real OpenID provider in its own process (tests/oidc_provider.py):
the authorization-code flow with PKCE through the pages, the claim that names the directory
person, refusals as pages (never a 500), and sign-out that ends the provider's session."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from projections.storage import Storage
from tests.conftest import ORIGIN, AppWith, running_app
from tests.e2e.test_pages import csrf_of
from tests.e2e.test_processes import free_port
from tests.factories import Clock
from tests.oidc_provider import OidcProvider, running_provider
from web.key_files import write_new_key

CALLBACK = "http://localhost/sign-in/oidc/callback"  # the test client's origin

# The provider's users: the subject typed in its form, and their claims.
HEAD = "u-0001"  # preferred_username names the ward's chair
STRANGER = "u-0002"  # preferred_username names nobody in the directory
NAMELESS = "u-0003"  # no preferred_username at all


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    yield from running_provider(free_port(), log)


@pytest.fixture(scope="module")
def sso_settings(provider: OidcProvider) -> dict[str, str]:
    """This service registered at the provider, and the provider's users."""
    client_id, secret = provider.register(CALLBACK)
    provider.set_user(HEAD, preferred_username="chu-tich", name="Nguyễn Thị Hồng")
    provider.set_user(STRANGER, preferred_username="khong-co-trong-danh-ba", name="Người lạ")
    provider.set_user(NAMELESS, name="Không tên đăng nhập")
    return {
        "OIDC_ISSUER": provider.url,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": secret,
    }


@pytest.fixture(scope="module")
def web_app(
    module_store: Storage, tmp_path_factory: pytest.TempPathFactory, sso_settings: dict[str, str]
) -> Iterator[Flask]:
    """One app per backend for the module, single sign-on configured."""
    key = tmp_path_factory.mktemp("key") / "ledger-key"
    write_new_key(key, ORIGIN)
    with running_app(module_store, Clock(), key, **sso_settings) as flask_app:
        yield flask_app


def begin(client: FlaskClient, next_page: str = "") -> str:
    """Press the single sign-on button: the provider's authorization address."""
    answer = client.get("/sign-in/oidc" + (f"?next={quote(next_page)}" if next_page else ""))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return str(answer.headers["Location"])


def come_back(client: FlaskClient, location: str) -> TestResponse:
    """Follow the provider's redirect back to this service's callback."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def signed_in_as(client: FlaskClient, provider: OidcProvider, sub: str) -> TestResponse:
    """The whole round trip for the provider's user `sub`: the callback's answer."""
    return come_back(client, provider.authorize(begin(client), sub))


def no_session(client: FlaskClient) -> bool:
    answer = client.get("/inbox")
    return answer.status_code == 302 and answer.headers["Location"].startswith("/sign-in")


def text(answer: TestResponse) -> str:
    return answer.get_data(as_text=True)


def refused(client: FlaskClient, answer: TestResponse, status: int, *saying: str) -> None:
    """`answer` is the sign-in page refusing with `status`, saying each of `saying`, and
    nobody is signed in."""
    assert answer.status_code == status
    page = text(answer)
    assert [words for words in saying if words not in page] == []
    assert no_session(client)


def test_the_sign_in_page_offers_the_agency_account(client: FlaskClient) -> None:
    page = text(client.get("/sign-in?next=/inbox"))
    assert 'href="/sign-in/oidc?next=/inbox"' in page
    assert "Đăng nhập bằng tài khoản công vụ" in page


def test_the_pages_forms_may_lead_to_this_service_and_the_provider_only(
    client: FlaskClient, provider: OidcProvider
) -> None:
    """Sign-out, a form, sends the browser on to the provider's end-session page: the pages'
    Content-Security-Policy must allow it (a browser would stop the redirect) and no more."""
    policy = client.get("/sign-in").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url};" in policy


def test_an_agency_account_signs_its_directory_person_in_with_pkce(
    client: FlaskClient, provider: OidcProvider, sso_settings: dict[str, str]
) -> None:
    authorization = begin(client, "/inbox")
    assert authorization.startswith(f"{provider.url}/oauth2/authorize?")
    asked = parse_qs(urlsplit(authorization).query)
    assert asked["response_type"] == ["code"]
    assert asked["client_id"] == [sso_settings["OIDC_CLIENT_ID"]]
    assert asked["redirect_uri"] == [CALLBACK]
    assert asked["scope"] == ["openid profile"]
    assert asked["code_challenge_method"] == ["S256"]
    assert len(asked["code_challenge"][0]) == 43  # base64url of a SHA-256 digest
    assert asked["state"][0]
    assert asked["nonce"][0]
    assert "code_verifier" not in asked  # kept here, as the client secret is
    assert "client_secret" not in asked

    answer = come_back(client, provider.authorize(authorization, HEAD))
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/inbox"
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert '<span class="who">Nguyễn Thị Hồng</span>' in text(inbox)


def test_sign_out_ends_the_session_here_and_at_the_provider(
    client: FlaskClient, provider: OidcProvider, sso_settings: dict[str, str]
) -> None:
    assert signed_in_as(client, provider, HEAD).status_code == 302
    answer = client.post("/sign-out", data={"csrf_token": csrf_of(client, "/inbox")})
    assert answer.status_code == 302
    ending = str(answer.headers["Location"])
    endpoint = provider.discovery()["end_session_endpoint"]  # type: ignore[index]
    assert ending.startswith(f"{endpoint}?")
    asked = parse_qs(urlsplit(ending).query)
    assert asked["post_logout_redirect_uri"] == ["http://localhost/sign-in"]
    assert asked["client_id"] == [sso_settings["OIDC_CLIENT_ID"]]
    hint = jwt.decode(asked["id_token_hint"][0], options={"verify_signature": False})
    assert (hint["iss"], hint["aud"], hint["sub"]) == (
        provider.url,
        [sso_settings["OIDC_CLIENT_ID"]],
        HEAD,
    )
    assert no_session(client)  # over here at once, whatever the provider does

    # The provider asks the person to confirm, then sends the browser back to sign-in.
    with urllib.request.urlopen(ending, timeout=5) as confirm:
        assert b"End session" in confirm.read()
    back = provider.post_form(
        f"{provider.url}/oauth2/end_session/confirm",
        {"redirect_uri": "http://localhost/sign-in"},
    )
    assert back == "http://localhost/sign-in"
    assert "Đã đăng xuất." in text(client.get("/sign-in"))


def test_an_account_of_nobody_in_the_directory_is_refused_without_a_session(
    client: FlaskClient, provider: OidcProvider
) -> None:
    answer = signed_in_as(client, provider, STRANGER)
    refused(client, answer, 403, "khong-co-trong-danh-ba", "không gắn với người nào trong danh bạ")


def test_an_account_without_the_claim_is_refused_and_says_which(
    client: FlaskClient, provider: OidcProvider
) -> None:
    answer = signed_in_as(client, provider, NAMELESS)
    refused(client, answer, 401, "thiếu thông tin preferred_username")


def test_a_tampered_or_missing_state_is_a_page_not_an_error(
    client: FlaskClient, provider: OidcProvider
) -> None:
    back = provider.authorize(begin(client), HEAD)
    query = parse_qs(urlsplit(back).query)
    forged = back.replace(f"state={query['state'][0]}", "state=forged")
    answer = come_back(client, forged)
    refused(client, answer, 401, "yêu cầu đăng nhập không hợp lệ")
    # A callback no sign-in began (a stale bookmark, a forged link)
    for path in ("/sign-in/oidc/callback", "/sign-in/oidc/callback?code=x&state=y"):
        assert client.get(path).status_code == 401
    assert no_session(client)


def test_a_code_carried_to_another_browser_is_refused_by_pkce(
    web_app: Flask, provider: OidcProvider
) -> None:
    """An authorization code stolen on its way back (code injection): the thief's own sign-in
    has its own state and code verifier, and the provider refuses the code with it."""
    victim, thief = web_app.test_client(), web_app.test_client()
    stolen = parse_qs(urlsplit(provider.authorize(begin(victim), HEAD)).query)["code"][0]
    state = parse_qs(urlsplit(begin(thief)).query)["state"][0]
    answer = thief.get(f"/sign-in/oidc/callback?code={stolen}&state={state}")
    assert answer.status_code == 401
    assert no_session(thief)
    assert "PKCE check failed" in provider.log.read_text()


def test_a_refusal_at_the_provider_is_a_page_not_an_error(
    client: FlaskClient, provider: OidcProvider
) -> None:
    back = provider.post_form(begin(client), {"action": "deny"})
    assert "error=access_denied" in back
    answer = come_back(client, back)
    refused(client, answer, 401, "bị từ chối")


def test_next_is_kept_through_the_round_trip_and_stays_on_this_site(
    client: FlaskClient, provider: OidcProvider
) -> None:
    for asked, landed in (
        ("/me", "/me"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
    ):
        authorization = begin(client, asked)
        answer = come_back(client, provider.authorize(authorization, HEAD))
        assert answer.headers["Location"] == landed


def test_an_unreachable_provider_is_a_page_and_no_provider_no_button(
    app_with: AppWith, tmp_path: Path
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with app_with(OIDC_ISSUER=closed, OIDC_CLIENT_ID="c", OIDC_CLIENT_SECRET="s") as flask_app:
        client = flask_app.test_client()
        for path in ("/sign-in/oidc", "/sign-in/oidc/callback?code=x&state=y"):
            answer = client.get(path)
            assert answer.status_code == 503
            assert "Không kết nối được với hệ thống định danh" in text(answer)
    with app_with() as flask_app:
        client = flask_app.test_client()
        page = client.get("/sign-in")
        assert "/sign-in/oidc" not in text(page)
        assert "form-action 'self';" in page.headers["Content-Security-Policy"]
        assert client.get("/sign-in/oidc").status_code == 404
        assert client.get("/sign-in/oidc/callback").status_code == 404
