"""`ledger checkpoint`, `ledger verify log` and `ledger verify consistency` on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.store import LedgerStore
from projections.storage import Storage
from projections.worker import Worker
from tests.conftest import _url
from tests.factories import Clock, Life
from tests.integration.test_ledger import tamper_with_event
from web.cli import main
from web.config import ConfigError, Settings


@pytest.fixture
def env(
    storage: Storage, ledger_key: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, str]:
    values = {
        "DATABASE_URL": _url(storage),
        "DATABASE_SCHEMA": storage.schema,
        "LEDGER_KEY_FILE": str(ledger_key),
        "LEDGER_ORIGIN": "ledger.example/test",
        "DEV_SECRET_FILE": str(tmp_path / "secret"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_an_inspector_proves_the_log_only_grew_since_a_saved_checkpoint(
    env: dict[str, str],
    storage: Storage,
    stored_app: LedgerApplication,
    clock: Clock,
    tmp_path: Path,
    ledger_key: Path,
    db: Database,
) -> None:
    first = Life(stored_app, clock)
    first.to_approval()
    Worker(stored_app, db).catch_up()
    saved = tmp_path / "checkpoint-2026.txt"
    saved.write_text(run("checkpoint"), encoding="utf-8")
    assert run("checkpoint").strip() == "the ledger has not grown since the last checkpoint"
    Life(stored_app, clock).to_review()
    Worker(stored_app, db).catch_up()
    run("checkpoint")
    key = f"{ledger_key}.pub"
    output = run("verify", "consistency", str(saved), "--key", key)
    assert output.startswith("CONSISTENT / NHẤT QUÁN: the log of")
    assert run("verify", "log").endswith("the ledger matches the event store\n")
    leaf = LedgerStore(db).leaf(first.id, 6)
    assert leaf is not None
    tamper_with_event(storage, db, leaf["position"])
    report = run("verify", "log", code=1)
    assert (
        f"MISMATCH: event {first.id} version 6 at log position {leaf['position']}"
        f" (leaf {leaf['index']}) no longer matches its leaf"
    ) in report


def test_production_refuses_to_start_without_its_settings(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LEDGER_ENV", "production")
    for name in ("DATABASE_URL", "JWT_SECRET", "SECRET_KEY", "LEDGER_ORIGIN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError) as raised:
        Settings.load()
    assert str(raised.value) == (
        "LEDGER_ENV=production refuses to start; set DATABASE_URL (postgresql://…);"
        " JWT_SECRET (or JWT_ALGORITHM=RS256 with JWT_PUBLIC_KEY_FILE); SECRET_KEY (32+"
        " characters); LEDGER_ORIGIN (the log's own name, e.g. ledger.hcm.gov.vn/initiatives)"
    )
    production = {
        "DATABASE_URL": env["DATABASE_URL"],
        "JWT_SECRET": "j" * 40,
        "SECRET_KEY": "k" * 40,
        "LEDGER_ORIGIN": "ledger.hcm.example/initiatives",
    }
    for name, value in production.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="SIGN_IN_PICKER off"):
        Settings.load({"SIGN_IN_PICKER": "true"})
    with pytest.raises(ConfigError, match="SIGN_IN_PICKER must be yes or no"):
        Settings.load({"SIGN_IN_PICKER": "maybe"})
    with pytest.raises(ConfigError, match=r"set LEDGER_ORIGIN \(the log's own name"):
        Settings.load({"LEDGER_ORIGIN": "  "})  # empty is unset, never a log without a name
    settings = Settings.load({"SESSION_COOKIE_SECURE": "0", "LEDGER_ENV": "Production"})
    assert (settings.sign_in_picker, settings.session_cookie_secure) == (False, True)
    assert settings.production
    monkeypatch.setenv("LEDGER_KEY_FILE", str(tmp_path / "missing-key"))
    output = run("worker", code=1)
    assert f"LEDGER_KEY_FILE {tmp_path / 'missing-key'} does not exist" in output


# A bad value of each kind of setting, and what the operator is told (after the setting's name).
BAD_SETTINGS = {
    "JWT_LEEWAY=abc": "must be a whole number, not 'abc'",
    "SESSION_TTL=-5": "must not be negative, not -5",
    "CHECKPOINT_INTERVAL=soon": "must be a number of seconds, not 'soon'",
    "READING_TTL=nan": "must be a finite number of seconds ≥ 0, not nan",
    "LEDGER_ENV=prod": "must be development or production, not 'prod'",
    "HEAVY_READS=0": "must be at least 1, not 0",
    "IN_PROCESS_WORKER=maybe": "must be yes or no (1/0, true/false, on/off), not 'maybe'",
    "RATE_LIMIT=lots": "must be like '300 per minute; 30 per second' (or 'off'), not 'lots'",
}


@pytest.mark.parametrize(("setting", "complaint"), BAD_SETTINGS.items(), ids=list(BAD_SETTINGS))
def test_a_bad_setting_is_one_clear_line(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, setting: str, complaint: str
) -> None:
    name, value = setting.split("=", 1)
    message = f"{name} {complaint}"
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        Settings.load()
    assert str(raised.value).startswith(message)
    output = run("migrate", code=1)
    assert output.startswith(f"Error: configuration: {message}")
    assert len(output.strip().splitlines()) == 1


def test_every_bad_setting_is_named_in_the_same_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """All settings are checked before any is used: the operator fixes them in one go."""
    with pytest.raises(ConfigError) as raised:
        Settings.load({"JWT_LEEWAY": "-1", "ASOF_CACHE": "two", "RATE_LIMIT": "off", "X": "y"})
    assert str(raised.value) == (
        "ASOF_CACHE must be a whole number, not 'two'; JWT_LEEWAY must not be negative, not -1"
    )
    settings = Settings.load({"RATE_LIMIT": "OFF", "JWT_LEEWAY": " 7 ", "TOKEN_TTL": ""})
    assert (settings.rate_limit, settings.jwt_leeway, settings.token_ttl) == ("", 7, 28800)
