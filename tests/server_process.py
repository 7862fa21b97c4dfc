"""A server a test runs as a process of its own (moto's S3, the OpenID provider, the SMTP
server): its output in a log, ready once it answers, stopped at the end."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

ROOT = Path(__file__).resolve().parents[1]


def script_env() -> dict[str, str]:
    """The environment of a server that is one of the tests' scripts: this process's, with
    this checkout and this interpreter's paths to import from."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}


class ServerProcess:
    """`command` in its own process, its output in `log`; constructed once `answers()` (a
    subclass's) is true, looked at every 50 ms: a RuntimeError with the log when the process
    ends first or does not answer within `within` seconds. A context manager: stopped on
    leaving."""

    def __init__(
        self,
        what: str,
        command: list[str],
        log: Path,
        within: float,
        env: dict[str, str] | None = None,
    ) -> None:
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + within
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{what} did not start:\n{log.read_text()}")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether the server answers yet."""
        raise NotImplementedError

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if it has not ended 15 s later (a machine under load can be that
        slow; these servers are the tests' tools, not what is tested)."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
