"""Act signatures checked in a process of their own, for a worker that reads ahead.

The library checks an Ed25519 signature (~150 us here) holding the interpreter's lock, so a
thread cannot overlap it with the worker's Python; a second process can, on the second core.
`ActChecker` starts `python -m projections.ledger.act_checker` on first use and speaks to it
over its standard input and output: a request is the trusted keys and a batch of stored
records, the answer one byte per record (1: an act that verifies; `acts.checked_acts`). Both
ends are this module (`marshal` frames), so the child imports nothing of the service and
never the caller's `__main__`.
"""

from __future__ import annotations

import contextlib
import marshal
import struct
import subprocess
import sys
import threading
from typing import IO, cast

from projections.ledger.acts import checked_acts

_LENGTH = struct.Struct(">I")


class ActCheckerError(Exception):
    """The checking process stopped or answered out of turn."""


class ActChecker:
    """A process that checks act signatures; `close()` ends it."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def checked(
        self, publics: dict[int, bytes], records: list[tuple[bytes, int, str, bytes]]
    ) -> bytes:
        """`acts.checked_acts`, run by the process."""
        if not records:
            return b""
        with self._lock:
            process = self._started()
            stdin, stdout = cast(IO[bytes], process.stdin), cast(IO[bytes], process.stdout)
            try:
                _write(stdin, marshal.dumps((publics, records)))
                answer = _read(stdout)
            except OSError as error:
                raise ActCheckerError(f"the act checking process stopped: {error}") from error
        if answer is None or len(answer) != len(records):
            raise ActCheckerError("the act checking process stopped or answered out of turn")
        return answer

    def close(self) -> None:
        """End the process (it exits when its input closes)."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(OSError):  # it may have died with our bytes unread
                cast(IO[bytes], process.stdin).close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            cast(IO[bytes], process.stdout).close()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        return self._process


def _write(stream: IO[bytes], frame: bytes) -> None:
    stream.write(_LENGTH.pack(len(frame)) + frame)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes | None:
    """One frame, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    frame = stream.read(length)
    return frame if len(frame) == length else None


def main() -> None:
    """Answer each batch on standard input until it closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (frame := _read(stdin)) is not None:
        _write(stdout, checked_acts(*marshal.loads(frame)))


if __name__ == "__main__":
    main()
