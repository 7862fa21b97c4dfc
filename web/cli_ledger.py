"""`ledger keys`, `checkpoint`, `verify log` and `dossier`: the tamper-evident log's own commands
(its keys, checkpoints, verification and dossiers against its database). The `verify` group and
its offline checks, which load none of the service, are web/cli_verify.py; `monitor` and `verify
consistency`, which follow the log over HTTP, web/cli_monitor.py; the log's witness
web/cli_witness.py."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from domain.errors import DomainError
from projections.attachments import AttachmentStore
from projections.db import Database
from projections.ledger import verifications
from projections.ledger.check import verify_log
from projections.ledger.dossier import stream_dossier
from projections.ledger.receipts import NotYetProvableError
from projections.ledger.store import Checkpointer
from web.cli_keys import parse_verifier
from web.cli_support import echo_log_report, load_settings, open_service
from web.key_files import write_new_key
from web.story_pdf import story_pdf

log = logging.getLogger("ledger")


@click.group()
def keys() -> None:
    """The ledger's keys: the checkpoint signing key and the act signing key."""


@keys.command("generate")
@click.option("--name", help="Key name (default: LEDGER_ORIGIN; with --acts, <origin>/acts).")
@click.option(
    "--acts",
    is_flag=True,
    help="The act signing key of the web processes (ACT_KEY_FILE) instead of the checkpoint key.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Private key file (default: LEDGER_KEY_FILE, or ACT_KEY_FILE with --acts); the"
    " verifier key goes beside it as <file>.pub.",
)
def keys_generate(name: str | None, acts: bool, out: Path | None) -> None:
    """Write a new Ed25519 key pair; print the verifier key to publish."""
    settings = load_settings()
    default = settings.act_key_file if acts else settings.ledger_key_file
    path = out or default
    if path.exists():
        raise click.ClickException(f"{path} exists; a ledger key is never overwritten")
    origin = settings.ledger_origin
    signer = write_new_key(path, name or (f"{origin}/acts" if acts else origin))
    click.echo(signer.verifier.encode())


@click.command()
def checkpoint() -> None:
    """Sign a checkpoint of the ledger now (if it grew since the last one)."""
    settings = load_settings()
    signer = settings.signer()
    if signer is None:
        raise click.ClickException(f"no signing key at {settings.ledger_key_file}")
    db = Database(settings.storage)
    try:
        issued = Checkpointer(db, signer, settings.ledger_origin, 0).issue()
    finally:
        db.close()
    if issued:
        click.echo(issued.note, nl=False)
    else:
        click.echo("the ledger has not grown since the last checkpoint")


@click.group()
def dossier() -> None:
    """Inspection dossiers."""


@dossier.command("export")
@click.argument("initiative_id", type=click.UUID)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", is_flag=True, help="add story.pdf (the summary and first events printed)")
def dossier_export(initiative_id: Any, out: Path | None, pdf: bool) -> None:
    """Write the dossier ZIP of one initiative (operators; not logged as an inspector read)."""
    settings = load_settings()
    holder = open_service(settings)
    db = Database(settings.storage)
    path = out or Path(f"dossier-{initiative_id}.zip")
    partial = path.with_name(path.name + ".part")  # renamed once whole: never half a dossier
    size = 0
    try:
        app = holder.get()
        app.get_initiative(initiative_id)  # NotFoundError for an unknown initiative
        printer = story_pdf if pdf else None
        documents = AttachmentStore(db, settings.attachment_objects).intact
        chunks = stream_dossier(app, settings.ledger_store(db), initiative_id, printer, documents)
        with partial.open("wb") as file:
            for chunk in chunks:
                size += file.write(chunk)
        partial.replace(path)
    except (DomainError, NotYetProvableError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        partial.unlink(missing_ok=True)
        db.close()
        holder.close()
    click.echo(f"wrote {path} ({size:,} bytes)")


@click.command("log")
@click.option("--key", help="Verifier key to check checkpoint signatures (default: configured).")
def verify_log_command(key: str | None) -> None:
    """Recompute every leaf and checkpoint root from the stored events."""
    settings = load_settings()
    verifier = parse_verifier(key) if key else settings.verifier()
    holder = open_service(settings)
    db = Database(settings.storage)
    try:
        report = verify_log(
            holder.get(), db, verifier, progress=lambda n: log.info("checked %d leaves", n)
        )
        verifications.record(db, report)
    finally:
        db.close()
        holder.close()
    echo_log_report(report, "checked")
    click.echo("the ledger matches the event store")
