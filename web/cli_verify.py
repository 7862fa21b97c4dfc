"""`ledger verify`: receipts and dossiers offline, the whole log, consistency with an older
checkpoint. Inspectors run `verify receipt` and `verify dossier` on their own machines against
files a cadre hands them: this module loads click and the ledger's verifier, never the service,
its schemas or a database driver (tests/unit/test_import_rules.py). `verify log` reads the log's
database: it is in web/cli_ledger.py; `verify consistency`, over HTTP alone with `--url`, is in
web/cli_monitor.py beside `ledger monitor`; each is imported only when it runs or is listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from projections.ledger.verify import (
    TrustedKeys,
    VerificationError,
    describe,
    verify_dossier,
    verify_receipt,
)
from web.cli import LazyGroup
from web.cli_keys import trusted_options

NOT_VERIFIED = "NOT VERIFIED / KHÔNG HỢP LỆ"


@click.group(
    cls=LazyGroup,
    lazy={
        "consistency": "web.cli_monitor:verify_consistency_command",
        "log": "web.cli_ledger:verify_log_command",
    },
)
def verify() -> None:
    """Check receipts, the whole log, and consistency with an older checkpoint."""


@contextmanager
def refused(verdict: str, *errors: type[Exception]) -> Iterator[None]:
    """`errors` raised within end the command with `verdict` and the error."""
    try:
        yield
    except errors as error:
        raise click.ClickException(f"{verdict}: {error}") from error


_FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@verify.command("receipt")
@_FILE
@trusted_options
def verify_receipt_command(file: Path, trusted: TrustedKeys) -> None:
    """Verify a receipt offline: signatures, cosignatures, inclusion, record bytes; print
    what it proves."""
    with refused(NOT_VERIFIED, ValueError, VerificationError):
        verified = verify_receipt(json.loads(file.read_text(encoding="utf-8")), trusted)
    click.echo("VERIFIED / HỢP LỆ")
    for line in describe(verified):
        click.echo(line)


@verify.command("dossier")
@_FILE
@trusted_options
def verify_dossier_command(file: Path, trusted: TrustedKeys) -> None:
    """Verify an inspection dossier offline: manifest, receipts, checkpoints, consistency."""
    with refused(NOT_VERIFIED, VerificationError):
        verified = verify_dossier(file.read_bytes(), trusted)
    click.echo("VERIFIED / HỢP LỆ")
    if verified.printed:
        click.echo(
            "story.pdf: bản in của story.html, không được kiểm tra (story.html đã được kiểm"
            " tra) / a rendering of story.html, not checked (story.html is)"
        )
    click.echo(
        f"Đề xuất / Initiative {verified.initiative_id}: {len(verified.receipts)}"
        f" sự kiện / events, proven in the tree of {verified.checkpoint.size} leaves"
        f" ({verified.checkpoint.origin}), consistent with the first checkpoint of"
        f" {verified.first_checkpoint.size} leaves"
    )
    for receipt in verified.receipts:
        click.echo(
            "  "
            + describe(receipt)[0].replace("Sự kiện / Event: ", f"v{receipt.record.version}: ")
        )
    for document in verified.documents:  # each one's bytes are those a proven event records
        click.echo(f"  {document.describe()}")
