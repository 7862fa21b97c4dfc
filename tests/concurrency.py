"""Test code run in threads that start at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any


class AtOnce:
    """Runs `work(argument)` for each argument, each in a thread of its own, started past one
    barrier so that they begin together (with the caller too when `caller` is set: it then
    calls `gate.wait()` itself). What a thread raises is kept, and `join` fails on it."""

    def __init__(
        self, work: Callable[[Any], object], arguments: Iterable[Any], caller: bool = False
    ) -> None:
        arguments = list(arguments)
        self.gate = threading.Barrier(len(arguments) + caller)
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(work, a)) for a in arguments]
        for thread in self.threads:
            thread.start()

    def _run(self, work: Callable[[Any], object], argument: Any) -> None:
        try:
            self.gate.wait()
            work(argument)
        except BaseException as error:  # reported by join()
            self.errors.append(error)

    def running(self) -> bool:
        """Whether any of the threads still runs."""
        return any(thread.is_alive() for thread in self.threads)

    def join(self, timeout: float | None = None) -> None:
        """Wait for every thread (up to `timeout` each); fail with what any of them raised."""
        for thread in self.threads:
            thread.join(timeout)
        assert not self.errors, self.errors
