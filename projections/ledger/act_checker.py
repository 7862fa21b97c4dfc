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
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import IO, cast

from projections.ledger.acts import checked_acts

_LENGTH = struct.Struct(">I")


class ActCheckerError(Exception):
    """The checking process stopped or answered out of turn."""


class ActChecker:
    """A process that checks act signatures; `close()` ends it. An answer that does not come
    within `timeout` seconds (a process stopped or stuck) is an error, like a process gone."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._lock = threading.Lock()

    def checked(
        self, publics: dict[int, bytes], records: list[tuple[bytes, int, str, bytes]]
    ) -> bytes:
        """`acts.checked_acts`, run by the process."""
        if not records:
            return b""
        with self._lock:
            try:
                process = self._started()
                stdin, stdout = cast(IO[bytes], process.stdin), cast(IO[bytes], process.stdout)
                _write(stdin, marshal.dumps((publics, records)))
                answer = _read(stdout, time.monotonic() + self.timeout)
            except TimeoutError as error:
                process.kill()  # stuck: it will not answer this one, nor any after it
                raise ActCheckerError(f"the act checking process stopped: {error}") from error
            except (OSError, ValueError, struct.error) as error:
                raise ActCheckerError(f"the act checking process stopped: {error}") from error
        if answer is None or len(answer) != len(records):
            raise ActCheckerError("the act checking process stopped or answered out of turn")
        return answer

    def close(self) -> None:
        """End the process: it exits when its input closes, or is killed 10 s later. Never
        waits for a check under way (that check then fails, as with a process gone)."""
        self._closed = True
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):  # it may have died with our bytes unread
            cast(IO[bytes], process.stdin).close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(OSError):
            cast(IO[bytes], process.stdout).close()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._closed:
            raise ValueError("the act checker is closed")
        if self._process is None:
            # -P: the modules come from the installed project, never from the current folder.
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=0,
            )
        return self._process


def _write(stream: IO[bytes], frame: bytes) -> None:
    data = memoryview(_LENGTH.pack(len(frame)) + frame)
    while data:  # an unbuffered pipe may take part of it at a time
        data = data[stream.write(data) or 0 :]
    stream.flush()


def _read(stream: IO[bytes], deadline: float | None = None) -> bytes | None:
    """One frame, or None at the end of the stream; TimeoutError past `deadline` (on an
    unbuffered stream: what `select` says is what `read` gets)."""
    head = _exactly(stream, _LENGTH.size, deadline)
    if head is None:
        return None
    (length,) = _LENGTH.unpack(head)
    return _exactly(stream, length, deadline)


def _exactly(stream: IO[bytes], size: int, deadline: float | None) -> bytes | None:
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
                raise TimeoutError("the act checking process did not answer in time")
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def main() -> None:
    """Answer each batch on standard input until it closes (an interrupt is the parent's to
    handle: it closes our input)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (frame := _read(stdin)) is not None:
        _write(stdout, checked_acts(*marshal.loads(frame)))


if __name__ == "__main__":
    main()
