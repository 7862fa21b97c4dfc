"""The single sign-on settings (OIDC_*): all or nothing, checked at start, in one line."""

from __future__ import annotations

import pytest

from tests.factories import refusal
from web.config import Settings

SSO = {
    "OIDC_ISSUER": "https://sso.example.gov.vn/realms/can-bo",
    "OIDC_CLIENT_ID": "so-sang-kien",
    "OIDC_CLIENT_SECRET": "s" * 32,
}
PRODUCTION = {
    "LEDGER_ENV": "production",
    "DATABASE_URL": "postgresql://ledger@db.example/ledger",
    "JWT_SECRET": "j" * 40,
    "SECRET_KEY": "k" * 40,
    "LEDGER_ORIGIN": "ledger.example.gov.vn/initiatives",
    "SIGN_IN_PICKER": "off",
}


def test_single_sign_on_is_off_unless_configured_and_has_sensible_defaults() -> None:
    assert not Settings.load({}).single_sign_on
    settings = Settings.load(SSO)
    assert settings.single_sign_on
    assert (settings.oidc_person_claim, settings.oidc_scopes) == (
        "preferred_username",
        "openid profile",
    )
    assert settings.oidc_origin == "https://sso.example.gov.vn"
    assert Settings.load({**PRODUCTION, **SSO}).single_sign_on


@pytest.mark.parametrize(
    ("values", "error"),
    [
        (
            {"OIDC_ISSUER": SSO["OIDC_ISSUER"]},
            "single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together;"
            " missing OIDC_CLIENT_ID, OIDC_CLIENT_SECRET",
        ),
        (
            {"OIDC_CLIENT_ID": "so-sang-kien", "OIDC_CLIENT_SECRET": "s"},
            "single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together;"
            " missing OIDC_ISSUER",
        ),
        (
            {**SSO, "OIDC_ISSUER": "sso.example.gov.vn"},
            "OIDC_ISSUER must be the provider's issuer, an http:// or https:// address",
        ),
        (
            {**SSO, "OIDC_ISSUER": "https://sso.example.gov.vn/?realm=x"},
            "OIDC_ISSUER must be the provider's issuer, without ? or #",
        ),
        ({**SSO, "OIDC_SCOPES": "profile email"}, "OIDC_SCOPES must include openid"),
        ({**SSO, "OIDC_PERSON_CLAIM": "ma can bo"}, "OIDC_PERSON_CLAIM must be one claim name"),
        (
            {**PRODUCTION, **SSO, "OIDC_ISSUER": "http://sso.example.gov.vn"},
            "OIDC_ISSUER must be an https:// address in production",
        ),
    ],
)
def test_single_sign_on_settings_that_cannot_work_stop_the_process_in_one_line(
    values: dict[str, str], error: str
) -> None:
    assert refusal(values).startswith(error)
