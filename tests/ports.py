"""Ports for the servers the tests start (gunicorn, witnesses, SMTP, the identity provider,
a replica).

A port the kernel picks (`bind(("127.0.0.1", 0))`) is free only for a moment: the other xdist
process may be handed the same one before the server binds it, or an outgoing connection may
take it (they draw from the same ephemeral range), and a server that binds 127.0.0.1 beside
one bound to 0.0.0.0 silently takes its connections — a request then waits for an answer that
never comes. So each test process hands out ports from a block of its own, below the kernel's
ephemeral range (32768 and up here), each at most once, and only one nothing listens on.
"""

from __future__ import annotations

import itertools
import os
import random
import socket

BLOCK = 2000  # ports per test process
FIRST = 20000  # below /proc/sys/net/ipv4/ip_local_port_range
_OFFSET = random.randrange(BLOCK)  # a rerun does not meet a server an earlier run left
_NEXT = itertools.count()


def free_port() -> int:
    """A port of this test process's block that nothing is bound to now, never handed out
    before by this process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    base = FIRST + (int(worker) % 6 if worker.isdigit() else 0) * BLOCK
    for _ in range(BLOCK):
        port = base + (_OFFSET + next(_NEXT)) % BLOCK
        with socket.socket() as probe:
            try:
                probe.bind(("0.0.0.0", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port left in {base}-{base + BLOCK - 1}")
