"""The web layer: the API, the pages and the operational CLI around one Flask application.

`create_app` (web/app.py) is the only place objects are wired. It is imported when it is
called, not with this package: the CLI's commands and the worker import `web.config` and what
they use without the whole application (a process starts in about half the time). The `ledger`
command (web/cli.py) imports each command's module when that command runs: the witness
(web/cli_witness.py) loads neither the service nor `web.config`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(
    config: Mapping[str, Any] | None = None, clock: Callable[[], datetime] | None = None
) -> Flask:
    """Build the web application (web/app.py); settings come from the environment, then
    `config`."""
    from web.app import create_app as build

    return build(config, clock)
