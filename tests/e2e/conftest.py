"""Fixtures of the HTTP tests."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_http_api import Driver
from tests.factories import oversight_directory


@pytest.fixture
def http(client: FlaskClient, auth: Any) -> Driver:
    """A driver for one initiative over HTTP."""
    return Driver(client, auth)


@pytest.fixture
def oversight(web_app: Flask) -> None:
    """The bodies and officers of the later stages (`oversight_directory`) in the directory."""
    web_app.extensions["ledger.service"].get().import_directory(oversight_directory(), "test")
