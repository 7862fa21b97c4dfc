"""Single sign-on in the browser: the sign-in page's button, the provider's own sign-in form
(a real OpenID provider process, tests/oidc_provider.py), back signed in, and signed out here
and at the provider."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, free_port, ledger_run, require_chromium
from tests.oidc_provider import OidcProvider, running_provider

ACCOUNT = "cb-0042"  # the cadre's account at the provider (its `sub`)
PERSON = "bui-van-long"  # their directory key, the provider's preferred_username
NAME = "Bùi Văn Long"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    require_chromium()
    yield from running_provider(free_port(), tmp_path_factory.mktemp("oidc") / "provider.log")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, provider: OidcProvider) -> Iterator[str]:
    """`ledger run` with single sign-on through `provider`, where it is registered."""
    port = free_port()
    client_id, secret = provider.register(f"http://127.0.0.1:{port}/sign-in/oidc/callback")
    provider.set_user(ACCOUNT, preferred_username=PERSON, name=NAME)
    settings = {
        "OIDC_ISSUER": provider.url,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": secret,
    }
    with ledger_run(tmp_path_factory.mktemp("ledger-sso"), port, **settings) as url:
        yield url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, locale="vi-VN")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def at(origin: str, path: str) -> re.Pattern[str]:
    """An address of `origin` beginning with `path`."""
    return re.compile(re.escape(origin + path))


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_sign_in_with_the_agency_account_and_out_again(
    page: Any, server: str, provider: OidcProvider
) -> None:
    from playwright.sync_api import expect

    page.goto("/me")  # not signed in: sent to sign in, the page asked for kept
    page.wait_for_url(at(server, "/sign-in?next="))
    shot(page, "sso-01-sign-in")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản công vụ").click()

    # The provider's own sign-in page
    page.wait_for_url(at(provider.url, "/oauth2/authorize?"))
    shot(page, "sso-02-provider")
    page.get_by_placeholder("sub").fill(ACCOUNT)
    page.get_by_role("button", name="Authorize").click()

    # Back, signed in as the directory person the account names, on the page asked for
    page.wait_for_url(f"{server}/me")
    expect(page.locator(".who")).to_have_text(NAME)
    shot(page, "sso-03-signed-in")

    # Sign-out ends the session here, then at the provider, which sends the browser back
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(at(provider.url, "/oauth2/end_session?"))
    assert "id_token_hint=" in page.url
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(at(server, "/sign-in"))
    expect(page.get_by_role("status")).to_have_text("Đã đăng xuất.")
    shot(page, "sso-04-signed-out")
    page.goto("/me")
    page.wait_for_url(at(server, "/sign-in?next="))
    expect(page.locator(".who")).to_have_count(0)
