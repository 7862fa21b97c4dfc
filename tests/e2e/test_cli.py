"""The `ledger` command: migrate, directory import, tokens, demo, and the commands it lists."""

from __future__ import annotations

import json
from pathlib import Path

import click
import jwt
import pytest
import yaml
from click.testing import CliRunner

from domain.initiative import Initiative
from projections.storage import Storage
from tests.factories import stored_application, ward_directory
from web.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DEV_SECRET_FILE": str(tmp_path / "secret"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JWT_SECRET", raising=False)
    return values


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def log_size(env: dict[str, str]) -> int:
    storage = Storage.from_url(env["DATABASE_URL"])
    app = stored_application(storage)
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def directory_file(tmp_path: Path, name: str = "dir.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(ward_directory(), allow_unicode=True), encoding="utf-8")
    return path


def test_import_twice_records_once(env: dict[str, str], tmp_path: Path) -> None:
    assert invoke("migrate").startswith("migrated sqlite:///")
    first = json.loads(invoke("directory", "import", str(directory_file(tmp_path))))
    assert (first["events"], first["people_registered"]) == (30, 8)
    second = json.loads(invoke("directory", "import", str(directory_file(tmp_path))))
    assert second["events"] == 0
    assert log_size(env) == 30


def test_import_of_a_json_file_with_a_changed_position(
    env: dict[str, str], tmp_path: Path
) -> None:
    invoke("migrate")
    invoke("directory", "import", str(directory_file(tmp_path)))
    data = ward_directory()
    data["positions"][0]["valid_to"] = "2026-01-31"
    path = tmp_path / "dir.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    report = json.loads(invoke("directory", "import", str(path)))
    assert (report["positions_changed"], report["events"]) == (1, 1)


def test_an_invalid_file_is_refused_with_the_reason(env: dict[str, str], tmp_path: Path) -> None:
    invoke("migrate")
    path = tmp_path / "bad.yaml"
    path.write_text("people:\n  - {key: 'Bad Key', full_name: ''}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["directory", "import", str(path)])
    assert result.exit_code == 1
    assert "keys are lowercase" in result.output
    assert "must not be empty" in result.output
    assert log_size(env) == 0


def test_token_issue_names_the_person(env: dict[str, str], tmp_path: Path) -> None:
    invoke("migrate")
    invoke("directory", "import", str(directory_file(tmp_path)))
    token = invoke("token", "issue", "--person", "chu-tich", "--ttl", "30m").strip()
    secret = Path(env["DEV_SECRET_FILE"]).read_text().strip()
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience="initiative-ledger")
    assert (claims["sub"], claims["exp"] - claims["iat"]) == ("chu-tich", 1800)
    assert Path(env["DEV_SECRET_FILE"]).stat().st_mode & 0o777 == 0o600
    refused = CliRunner().invoke(main, ["token", "issue", "--person", "nobody"])
    assert refused.exit_code == 1
    assert "no person with key 'nobody'" in refused.output


def test_demo_loads_a_directory_and_initiatives(env: dict[str, str]) -> None:
    report = json.loads(invoke("demo"))
    assert (report["organisations_registered"], report["people_registered"]) == (15, 18)
    storage = Storage.from_url(env["DATABASE_URL"])
    app = stored_application(storage)
    try:
        ids = list(app._created_ids(Initiative.Drafted))
        statuses = sorted(app.get_initiative(i)["status"] for i in ids)
        children = [app.get_initiative(i) for i in app._created_ids(Initiative.Replicated)]
    finally:
        app.close()
    assert statuses == [
        "approved",
        "approved",
        "approved",
        "draft",
        "evaluated",
        "evaluated",
        "evaluated",
        "in_progress",
        "rejected",
        "submitted",
        "submitted",
        "under_review",
    ]
    assert len(children) == 1
    again = CliRunner().invoke(main, ["demo"])
    assert again.exit_code == 1
    assert "the demo loads only into an empty store" in again.output


def test_a_bad_database_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    result = CliRunner().invoke(main, ["migrate"])
    assert result.exit_code == 1
    assert "unsupported database URL scheme 'mysql'" in result.output


def test_every_command_loads_and_the_help_lists_each_with_its_summary() -> None:
    """web/cli.py imports a command's module by name when the command is asked for: a wrong
    name would show only when that command is run."""
    ctx = click.Context(main, info_name="ledger")
    names = main.list_commands(ctx)
    assert names == [
        *("backup", "calendar", "checkpoint", "demo", "directory", "dossier", "keys", "migrate"),
        *("monitor", "projections", "reminders", "run", "token", "verify", "witness", "worker"),
    ]
    listed = dict(
        line.split(maxsplit=1) for line in invoke("--help").split("Commands:\n")[1].splitlines()
    )
    assert sorted(listed) == names
    for name in names:
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command), name
        summary = command.get_short_help_str(limit=200)
        assert summary.startswith(listed[name].removesuffix("...")), name
        assert invoke(name, "--help").startswith(f"Usage: main {name} ")
    unknown = CliRunner().invoke(main, ["witnes"])
    assert unknown.exit_code == 2
    assert "No such command 'witnes'. Did you mean 'witness'?" in unknown.output
