"""Real processes: the README's `ledger run` and the Procfile's gunicorn line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.ports import free_port
from tests.server_process import script_env
from web.cli import main as _  # noqa: F401 - the console script must be importable

BIN = Path(sys.executable).parent


def gunicorn(port: int, *options: str, workers: int = 2, threads: int = 4) -> list[str]:
    """The command of a gunicorn serving the app on `port` (`options` first, e.g. --config)."""
    return [
        str(BIN / "gunicorn"),
        *options,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "web:create_app()",
    ]


def get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def serving(args: list[str], env: dict[str, str], cwd: Path, port: int) -> Iterator[Any]:
    """The server `args` start, once it answers health; stopped after. Its output goes to a
    file (`process.log`), never to a pipe nobody reads: once the pipe's 64 KB filled, gunicorn
    and its workers blocked writing their logs, and requests waited until the test's timeout."""
    log = cwd / f"server-{port}-{time.monotonic_ns()}.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, text=True
        )
    process.log = log  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(f"http://127.0.0.1:{port}/api/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            process.kill()
            process.wait()
            pytest.fail(f"server did not start:\n{log.read_text(encoding='utf-8')}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)  # gunicorn lets requests in flight finish first
        except subprocess.TimeoutExpired:
            process.kill()  # never leave a server behind, even when the test failed
            process.wait()


@pytest.mark.long
def test_ledger_run_serves_the_demo_and_prints_tokens(tmp_path: Path) -> None:
    port = free_port()
    env = {**script_env(), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    with serving([str(BIN / "ledger"), "run", "--port", str(port)], env, tmp_path, port) as proc:
        status, body = get(f"http://127.0.0.1:{port}/api/health")
        assert status == 200
        assert b'"storage": "sqlite"' in body or b'"storage":"sqlite"' in body
        assert (tmp_path / "var" / "ledger.sqlite3").exists()
        proc.terminate()
        proc.wait(timeout=10)
        output = proc.log.read_text(encoding="utf-8")
    assert f"API docs: http://127.0.0.1:{port}/api/docs" in output
    token = next(
        line.split(": ", 1)[1]
        for line in output.splitlines()
        if line.strip().startswith("head, ward Bến Thành")
    )
    with serving([str(BIN / "ledger"), "run", "--port", str(port)], env, tmp_path, port):
        status, body = get(f"http://127.0.0.1:{port}/api/v1/people/by-key/pham-minh-tuan", token)
    assert status == 200
    assert "Phạm Minh Tuấn".encode() in body


def procfile_command(name: str, port: int) -> list[str]:
    """A Procfile line as a shell would run it (the process replaces the shell)."""
    procfile = (Path(__file__).parents[2] / "Procfile").read_text()
    line = next(line for line in procfile.splitlines() if line.startswith(f"{name}:"))
    command = line.split(":", 1)[1].strip().replace("${PORT:-8000}", str(port))
    return ["sh", "-c", f"PATH={BIN}:$PATH exec env {command}"]


@pytest.mark.long
def test_the_procfile_web_line_serves_through_gunicorn_in_production(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **script_env(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}",
        "JWT_SECRET": "s" * 40,
        "SECRET_KEY": "k" * 40,
        "LEDGER_ORIGIN": "ledger.hcm.example/initiatives",
        "PORT": str(port),
    }
    subprocess.run([str(BIN / "ledger"), "migrate"], env=env, check=True, capture_output=True)
    with serving(procfile_command("web", port), env, tmp_path, port):
        status, body = get(f"http://127.0.0.1:{port}/api/v1/people")
        assert status == 401
        assert b"Authorization: Bearer" in body
        status, page = get(f"http://127.0.0.1:{port}/sign-in")
    assert status == 200
    assert "Môi trường thử nghiệm".encode() not in page


@pytest.mark.attack(1)
def test_the_procfile_with_nothing_configured_refuses_to_start(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "PORT": str(port),
        "HOME": str(tmp_path),
        "PYTHONPATH": script_env()["PYTHONPATH"],
    }
    for name in ("web", "worker", "release"):
        done = subprocess.run(
            procfile_command(name, port),
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0, name
        output = done.stdout + done.stderr
        assert "LEDGER_ENV=production refuses to start; set DATABASE_URL" in output, output
    assert not (tmp_path / "var").exists()  # no development secret or key was made
