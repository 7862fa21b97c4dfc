"""Waiting on a condition in tests: never a fixed sleep, always a generous deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], what: str, within: float = 60.0) -> T:
    """The first true value of `condition()`, looked at every 10 ms at first and at most every
    200 ms; the test fails ("never: `what`") after `within` seconds."""
    deadline = time.monotonic() + within
    pause = 0.01
    while not (found := condition()):
        assert time.monotonic() < deadline, f"never within {within:g} s: {what}"
        time.sleep(pause)
        pause = min(pause * 2, 0.2)
    return found
