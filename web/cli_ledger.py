"""`ledger keys`, `checkpoint`, `verify log`, `verify consistency`, `dossier` and `monitor`: the
tamper-evident log's own commands (its keys, checkpoints, verification against its database and
remote verification). The `verify` group and its offline checks, which load none of the
service, are web/cli_verify.py; the log's witness is web/cli_witness.py."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import click

from domain.errors import DomainError
from projections.attachments import AttachmentStore
from projections.db import Database
from projections.ledger import verifications
from projections.ledger.check import verify_log
from projections.ledger.dossier import stream_dossier
from projections.ledger.merkle import ProofError, verify_consistency
from projections.ledger.monitor import EquivocationError, http_fetch, observe
from projections.ledger.note import NoteError, verify_checkpoint
from projections.ledger.receipts import NotYetProvableError
from projections.ledger.store import Checkpointer, LedgerStore
from projections.ledger.verify import TrustedKeys, VerificationError
from web.cli_keys import parse_verifier, trusted_keys, trusted_options, witness_options, witnessed
from web.cli_support import echo_log_report, load_settings, open_service
from web.cli_verify import NOT_VERIFIED, refused
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


_NOT_CONSISTENT = "NOT CONSISTENT / KHÔNG NHẤT QUÁN"


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


@click.command("consistency")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--url",
    help="The log's tiles prefix (https://…/log): check over HTTP, no database or account.",
)
@click.option(
    "--key", "keys", multiple=True, help="The log's verifier key(s) (default: configured)."
)
@witness_options
def verify_consistency_command(
    old: Path,
    url: str | None,
    keys: tuple[str, ...],
    witnesses: tuple[str, ...],
    quorum: int | None,
) -> None:
    """Prove the current log extends an older, saved checkpoint (append-only since then)."""
    # A saved file may have gained a trailing newline (editors, shells): one is the note's.
    saved = old.read_text(encoding="utf-8").rstrip("\n") + "\n"
    if url is not None:
        if not keys:
            raise click.ClickException("--url needs the log's verifier key: pass --key")
        trusted = witnessed(trusted_keys(keys), witnesses, quorum)
        with refused(_NOT_CONSISTENT, OSError, VerificationError, EquivocationError):
            seen = observe(http_fetch(url), trusted, saved)
        click.echo(seen.describe())
        return
    if witnesses or quorum:
        raise click.ClickException(
            "--witness and --quorum check the log's served checkpoint: use them with --url"
        )
    settings = load_settings()
    verifier = parse_verifier(keys[0]) if keys else settings.verifier()
    if verifier is None:
        raise click.ClickException("no verifier key: pass --key")
    db = Database(settings.storage)
    try:
        with refused(_NOT_CONSISTENT, NoteError, ProofError):
            checked = verify_checkpoint(saved, verifier)
            store = LedgerStore(db)
            latest = store.newest()
            if latest is None:
                raise click.ClickException("the ledger has no checkpoint")
            current = verify_checkpoint(latest.note, verifier, origin=checked.origin)
            proof = store.consistency(checked.size, current.size) if checked.size else []
            verify_consistency(checked.size, current.size, proof, checked.root, current.root)
    finally:
        db.close()
    click.echo(
        f"CONSISTENT / NHẤT QUÁN: the log of {current.size} leaves extends the saved"
        f" checkpoint of {checked.size} leaves ({checked.origin})"
    )


@click.command()
@click.argument("url")
@trusted_options
@click.option(
    "--state",
    default="monitor-checkpoint.txt",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The last verified checkpoint (created on the first run, replaced after each check).",
)
@click.option("--follow", is_flag=True, help="Keep checking every --interval seconds.")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(1, 86400))
def monitor(url: str, trusted: TrustedKeys, state: Path, follow: bool, interval: float) -> None:
    """Follow a remote log over HTTP only (its /log tiles): check every new checkpoint's
    signatures and witnesses, prove it extends the last one verified, report equivocation."""
    fetch = http_fetch(url)
    while True:
        saved = state.read_text(encoding="utf-8") if state.exists() else None
        try:
            seen = observe(fetch, trusted, saved)
        except EquivocationError as error:
            evidence = state.with_name(f"{state.name}.equivocation-{int(time.time())}.txt")
            try:
                evidence.write_text(
                    f"saved:\n{saved}\nserved:\n{fetch('checkpoint').decode()}", "utf-8"
                )
            except OSError:
                evidence.write_text(f"saved:\n{saved}\n", "utf-8")
            raise click.ClickException(
                f"EQUIVOCATION / MÂU THUẪN: {error} (evidence kept in {evidence})"
            ) from error
        except (OSError, VerificationError) as error:
            if not follow:
                raise click.ClickException(f"{NOT_VERIFIED}: {error}") from error
            click.echo(f"not verified this time: {error}", err=True)
        else:
            draft = state.with_name(state.name + ".tmp")
            draft.write_text(seen.note, encoding="utf-8")
            draft.replace(state)
            witnessed = ", ".join(sorted(seen.cosignatures)) or "no witness required"
            click.echo(f"{seen.describe()}; cosigned by: {witnessed}")
        if not follow:
            return
        time.sleep(interval)
