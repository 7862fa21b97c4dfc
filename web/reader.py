"""A reader web node (LEDGER_NODE=reader): the API's reads answered from a streaming replica of
the primary database, nothing ever written (docs/operations.md "Read replicas and topology").

Before any other check, a request that would write is refused with one 503 problem naming
the writer web nodes: every method but GET, HEAD and OPTIONS (the commands, readings,
idempotency keys), and the pages, whose sign-in opens a session kept on the server and whose
forms are commands. What a reader needs on a GET and would otherwise keep in the database is
kept in memory (the rate-limit counters: web/limits.py; its dashboards' answers,
web/answers.py, which it also finds in the shared cache rows the replica has); the
in-process worker is refused at start (web/config.py). Its database sessions are read-only
(default_transaction_read_only), so a write the code would still attempt fails in PostgreSQL,
and is answered with the same problem (web/problems.py), not a 500."""

from __future__ import annotations

from flask import Flask, Response, request

from web.problems import read_only_node, writer_nodes
from web.refusals import Sentence

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PAGE_ENDPOINTS = frozenset({"pages.static"})  # the pages' scripts and styles (API docs)


def refused() -> Response | None:
    """Before a request on a reader: the problem for what only a writer node does, or None."""
    if request.method not in READ_METHODS:
        return read_only_node(
            Sentence(
                "send {method} requests to {nodes}; nothing was recorded",
                method=request.method,
                nodes=writer_nodes(),
            )
        )
    if request.blueprint == "pages" and request.endpoint not in OPEN_PAGE_ENDPOINTS:
        return read_only_node(Sentence("the pages are served by {nodes}", nodes=writer_nodes()))
    return None


def install(app: Flask) -> None:
    """Refuse writes and the pages on this reader node (installed before the other checks:
    a refused request is not authenticated, rate-limited or read)."""
    app.before_request(refused)
