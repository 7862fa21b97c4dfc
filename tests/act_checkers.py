"""Watching the processes that check act signatures (projections/ledger/act_checker.py) in a
test: which were started, what they answered, or each killed as it starts."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from projections.ledger.act_checker import ActChecker


def watched(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every checking process started from now on, in order."""
    processes: list[subprocess.Popen[bytes]] = []
    started = ActChecker._started

    def kept(self: ActChecker) -> subprocess.Popen[bytes]:
        process = started(self)
        if process not in processes:
            processes.append(process)
        return process

    monkeypatch.setattr(ActChecker, "_started", kept)
    return processes


def answers(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every answer of a checking process from now on (a byte per record, 1: an act that
    verifies), in order."""
    answered: list[bytes] = []
    checked = ActChecker.checked

    def seen(self: ActChecker, *args: Any) -> bytes:
        answered.append(checked(self, *args))
        return answered[-1]

    monkeypatch.setattr(ActChecker, "checked", seen)
    return answered


def dead_on_arrival(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every checking process is killed as it starts (its first answer never comes)."""
    started = ActChecker._started

    def killed(self: ActChecker) -> subprocess.Popen[bytes]:
        process = started(self)
        process.kill()
        process.wait()
        return process

    monkeypatch.setattr(ActChecker, "_started", killed)
