"""Fixtures of the HTTP tests."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.note import Signer
from projections.ledger.store import Checkpointer
from projections.worker import Worker
from tests.conftest import ORIGIN
from tests.e2e.test_http_api import Driver
from tests.factories import Clock, Life, oversight_directory


@pytest.fixture
def http(client: FlaskClient, auth: Any) -> Driver:
    """A driver for one initiative over HTTP."""
    return Driver(client, auth)


@pytest.fixture
def oversight(web_app: Flask) -> None:
    """The bodies and officers of the later stages (`oversight_directory`) in the directory."""
    web_app.extensions["ledger.service"].get().import_directory(oversight_directory(), "test")


def grow(app: LedgerApplication, db: Database, clock: Clock, key: Path) -> tuple[int, Life]:
    """Record an initiative to approval, seal it and sign a checkpoint; the log's size, and
    the initiative."""
    life = Life(app, clock)
    life.to_approval()
    Worker(app, db).catch_up()
    issued = Checkpointer(db, Signer.parse(key.read_text()), ORIGIN, 0).issue()
    assert issued is not None
    return issued.size, life


# `checkpointed()`: one more initiative recorded to approval, sealed and under a signed
# checkpoint (`grow`); the log's size then, and the initiative.
Checkpointed = Callable[[], tuple[int, Life]]


@pytest.fixture
def checkpointed(
    stored_app: LedgerApplication, db: Database, clock: Clock, ledger_key: Path
) -> Checkpointed:
    """`grow` on the test's application, views, clock and checkpoint key."""
    return functools.partial(grow, stored_app, db, clock, ledger_key)
