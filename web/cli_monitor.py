"""`ledger monitor` and `ledger verify consistency`: following a log over HTTP alone and
reporting a rewrite. An inspector runs them apart from the log's operator: this module loads
click and the ledger's notes, proofs and tiles, never the service, its schemas or a database
driver (tests/unit/test_import_rules.py). Only `verify consistency` without `--url`, the
operator's check against the database, imports the settings and the store when it runs."""

from __future__ import annotations

import time
from pathlib import Path

import click

from projections.ledger.merkle import ProofError, verify_consistency
from projections.ledger.monitor import EquivocationError, http_fetch, observe
from projections.ledger.note import Checkpoint, NoteError, verify_checkpoint
from projections.ledger.verify import TrustedKeys, VerificationError
from web.cli_keys import parse_verifier, trusted_keys, trusted_options, witness_options, witnessed
from web.cli_verify import NOT_VERIFIED, refused

_NOT_CONSISTENT = "NOT CONSISTENT / KHÔNG NHẤT QUÁN"


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
    checked, current = _consistent_in_database(saved, keys)
    click.echo(
        f"CONSISTENT / NHẤT QUÁN: the log of {current.size} leaves extends the saved"
        f" checkpoint of {checked.size} leaves ({checked.origin})"
    )


def _consistent_in_database(saved: str, keys: tuple[str, ...]) -> tuple[Checkpoint, Checkpoint]:
    """The `saved` checkpoint and the database's newest, once proven that the newest extends
    it. The settings and the store are imported here: an inspector checking over HTTP (and
    `ledger monitor`) loads neither."""
    from projections.db import Database
    from projections.ledger.store import LedgerStore
    from web.cli_support import load_settings

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
    return checked, current


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
