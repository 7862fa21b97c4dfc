"""Browser tests: Playwright driving Debian's Chromium against `ledger run` on a free port.

Mandatory in CI (`.ci/run` installs chromium from Debian's packages); elsewhere they skip with
a loud notice when Chromium is missing. Screenshots of every page land in
`test-artifacts/screenshots/`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.ports import free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Chromium on a machine without network or screen (the flags the probe found necessary)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=vi",  # the date picker shows dd/mm/yyyy as a Vietnamese browser does
]


def require_chromium() -> None:
    """Fail in CI, skip loudly elsewhere, when the browser is missing."""
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} not found (apt-get install chromium)"
    if IN_CI:
        pytest.fail(f"browser tests are mandatory in CI: {reason}")
    pytest.skip(f"SKIPPED BROWSER TESTS (not in CI): {reason}")


def _caught_up(url: str) -> bool:
    """Whether the server at `url` answers health with every view caught up with the log."""
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=2) as answer:
            health = json.load(answer)
    except OSError:
        return False
    return bool(health.get("log_position")) and health.get("views_lag") == 0


@contextmanager
def ledger_run(home: Path, port: int, **settings: str) -> Iterator[str]:
    """`ledger run` (SQLite, demo data, in-process worker) in `home` on `port`, with
    `settings` added to the environment: its address, once it answers."""
    env = {**os.environ, "CHECKPOINT_INTERVAL": "0.5", "READ_WAIT_SECONDS": "10", **settings}
    env.pop("DATABASE_URL", None)
    ledger = shutil.which("ledger", path=str(Path(sys.executable).parent)) or "ledger"
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [ledger, "run", "--port", str(port)], cwd=home, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    # Ready once it answers and its views hold the demo data (the sign-in picker lists the
    # directory's people from a view the in-process worker fills after the server starts).
    while not _caught_up(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError((home / "server.log").read_text())
        time.sleep(0.3)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fresh directory `server` runs in (its database, its development secret)."""
    return tmp_path_factory.mktemp("ledger-run")


@pytest.fixture(scope="module")
def server(server_home: Path) -> Iterator[str]:
    """`ledger run` (SQLite, demo data, in-process worker) in a fresh directory."""
    require_chromium()
    with ledger_run(server_home, free_port()) as url:
        yield url


def ledger_token(home: Path, person: str) -> str:
    """A bearer token for `person`, minted by `ledger token issue` beside the server in `home`
    (its development secret), for the API."""
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    ledger = shutil.which("ledger", path=str(Path(sys.executable).parent)) or "ledger"
    issued = subprocess.run(
        [ledger, "token", "issue", "--person", person],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return issued.stdout.strip()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium driven by Playwright (no browser download: Debian's build)."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
