"""`ledger`: every command of the service, its log and its witness. Each command is in the module
of its kind and is imported by name when it runs (click's "lazily loading subcommands"), so a
command loads what it needs only: `ledger witness serve`, run on an inspectorate's machine and
dozens of times by the tests, never imports the service, its schemas or a database driver, nor
do `ledger verify receipt|dossier`, `ledger monitor` and `ledger verify consistency --url`, run
by inspectors on their own machines. `ledger --help` imports them all to list them.

- web/cli_service.py: migrate, directory, token, demo, worker, projections, run
- web/cli_calendar.py: calendar
- web/cli_ledger.py: the log's own commands (keys, checkpoint, verify log, dossier)
- web/cli_verify.py: verify, whose offline checks of receipts and dossiers load no service
- web/cli_monitor.py: monitor and verify consistency, which follow the log over HTTP and load no
  service (but for the operator's check against the database)
- web/cli_witness.py: witness
- web/cli_backup.py: backup, which keeps the proof
- web/cli_reminders.py: reminders
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from typing import Any

import click

from web.json_log import JsonFormatter

# Each command's "module:object", imported when the command is run or listed.
COMMANDS = {
    "backup": "web.cli_backup:backup",
    "calendar": "web.cli_calendar:calendar",
    "checkpoint": "web.cli_ledger:checkpoint",
    "demo": "web.cli_service:demo",
    "directory": "web.cli_service:directory",
    "dossier": "web.cli_ledger:dossier",
    "keys": "web.cli_ledger:keys",
    "migrate": "web.cli_service:migrate_command",
    "monitor": "web.cli_monitor:monitor",
    "projections": "web.cli_service:projections",
    "reminders": "web.cli_reminders:reminders",
    "run": "web.cli_service:run",
    "token": "web.cli_service:token",
    "verify": "web.cli_verify:verify",
    "witness": "web.cli_witness:witness",
    "worker": "web.cli_service:worker",
}


class LazyGroup(click.Group):
    """A group whose commands are named with the "module:object" they are imported from when one
    is run, listed or completed (`lazy`), besides any added as usual."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module, _, name = self.lazy[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), name)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[cmd_name]} is no click command")
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # click suggests a close name ("Did you mean 'witness'?") among the commands it holds;
        # these are the lazy ones too.
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as error:
            raise click.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None


@click.group(cls=LazyGroup, lazy=COMMANDS)
def main() -> None:
    """Initiative ledger: the record of cadres' innovation initiatives."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler])
