"""Fixtures of the HTTP tests."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.e2e.test_http_api import Driver


@pytest.fixture
def http(client: FlaskClient, auth: Any) -> Driver:
    """A driver for one initiative over HTTP."""
    return Driver(client, auth)
