"""The event store's recorder asks a second time after a broken connection, never after a
server that did not answer (it stays silent: a second wait only delays the 503)."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from projections.storage import NoAnswerError, _retried_once


def failing(times: int, cause: Exception) -> tuple[Any, list[int]]:
    """A recorder method (as eventsourcing wraps it) that fails `times` times, then answers."""
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("the statement failed") from cause
        return "answered"

    def wrapped() -> str:  # eventsourcing's retry decorator keeps the method in __wrapped__
        raise AssertionError("the library's ten attempts are not used")

    wrapped.__wrapped__ = attempt  # type: ignore[attr-defined]
    return _retried_once(wrapped), calls


def test_a_broken_connection_is_tried_once_more() -> None:
    method, calls = failing(1, ConnectionResetError("closed while idle"))
    assert method() == "answered"
    assert len(calls) == 2
    method, calls = failing(2, ConnectionResetError("closed while idle"))
    with pytest.raises(OperationalError):
        method()
    assert len(calls) == 2


def test_a_silent_server_is_not_asked_again_in_the_same_call() -> None:
    method, calls = failing(1, NoAnswerError("the database did not answer within 4 s"))
    with pytest.raises(OperationalError):
        method()
    assert len(calls) == 1
