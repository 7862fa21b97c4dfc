"""Benchmarks, run on demand (never timed in the test suite)."""

from __future__ import annotations

from typing import Any

from domain.application import LedgerApplication
from web.config import Settings


def application(env: dict[str, str], **kwargs: Any) -> LedgerApplication:
    """The application as the service runs it: acts signed with the development act key
    (ACT_KEY_FILE, generated under var/ on first use) and checked."""
    acts = Settings.load({"JWT_SECRET": ""}).act_keys(signing=True)
    return LedgerApplication(env=env, mapper=acts.mapper, **kwargs)
