"""What every `ledger` command shares: its settings and the application it acts on."""

from __future__ import annotations

import dataclasses

import click

from projections.ledger.check import LogReport
from projections.storage import Storage, StorageConfigError
from web.config import ConfigError, Settings
from web.service import ServiceHolder


def load_settings(writes: bool = False) -> Settings:
    """The settings of a maintenance command or the worker: no statement timeout (a rebuild or a
    full verification may run one long statement; keepalives still find a dead peer). A
    command that `writes` refuses a reader node's settings (LEDGER_NODE=reader): it runs
    against the primary."""
    try:
        settings = dataclasses.replace(Settings.load(), statement_timeout=0)
    except (ConfigError, StorageConfigError, OSError) as error:
        raise click.ClickException(f"configuration: {error}") from error
    if writes and settings.reader:
        command = click.get_current_context().command_path
        raise click.ClickException(
            f"LEDGER_NODE=reader: `{command}` writes, and a reader node's database is a"
            " read-only replica; run it with the primary's settings (LEDGER_NODE unset)"
        )
    return settings


def open_service(
    settings: Settings, signing: bool = False, storage: Storage | None = None
) -> ServiceHolder:
    """The application of a command: it checks acts; `signing` ones record acts too. On the
    configured store, or on `storage` (a backup being checked)."""
    try:
        return ServiceHolder(storage or settings.storage, settings.act_keys(signing))
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


def echo_log_report(report: LogReport, checked: str) -> None:
    """A full verification's counts (after `checked`) and each mismatch; exit 1 when the log
    does not prove its history."""
    click.echo(f"{checked} {report.leaves} leaves and {report.checkpoints} checkpoints")
    if not report.ok:
        for problem in report.problems:
            click.echo(f"MISMATCH: {problem}")
        raise SystemExit(1)
