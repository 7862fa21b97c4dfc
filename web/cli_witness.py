"""`ledger witness`: a witness that countersigns the checkpoints of the logs it follows, run by
another body than the log's operator. It loads click, werkzeug and the ledger's notes and
cosignatures, never the service, its schemas or a database driver
(tests/unit/test_import_rules.py): an inspectorate's machine runs it alone, and the tests start
dozens of them."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click
from werkzeug.serving import make_server

from projections.ledger.cosignature import WitnessSigner
from projections.ledger.note import NoteError
from projections.ledger.witness import Witness
from web.cli_keys import trusted_keys
from web.key_files import create_once
from web.witness import create_witness_app


@click.group()
def witness() -> None:
    """A witness that countersigns the checkpoints of logs it follows (c2sp.org/tlog-witness).

    Run it apart from the log's operator: by an inspection commission or an inspectorate.
    """


@witness.command("init")
@click.option("--name", required=True, help="The witness's name, e.g. ubkt.hcm.example/w1.")
@click.option(
    "--key-file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the private key (0600, never overwritten).",
)
def witness_init(name: str, key_file: Path) -> None:
    """Make a witness key; print its verifier key (give it to the logs and their verifiers)."""
    if key_file.exists():
        raise click.ClickException(f"{key_file} exists; a witness key is never overwritten")
    try:
        signer = WitnessSigner.generate(name)
    except NoteError as error:
        raise click.ClickException(str(error)) from error
    if not create_once(key_file, signer.encode() + "\n"):  # another process's, meanwhile
        raise click.ClickException(f"{key_file} exists; a witness key is never overwritten")
    Path(f"{key_file}.pub").write_text(signer.key.encode() + "\n", encoding="ascii")
    click.echo(signer.key.encode())


@witness.command("serve")
@click.option("--bind", default="127.0.0.1:7380", show_default=True, help="HOST:PORT")
@click.option(
    "--key-file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--db",
    "db_path",
    default="var/witness.sqlite3",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The witness's own state (SQLite): the last checkpoint cosigned per log.",
)
@click.option(
    "--log",
    "logs",
    multiple=True,
    required=True,
    help="A log's checkpoint verifier key (text or file); its name is the log's origin.",
)
def witness_serve(bind: str, key_file: Path, db_path: Path, logs: tuple[str, ...]) -> None:
    """Answer add-checkpoint for the given logs until SIGTERM."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("HOST:PORT", param_hint="--bind")
    try:
        signer = WitnessSigner.parse(key_file.read_text(encoding="ascii"))
        keys = trusted_keys(logs, "--log").verifiers
    except NoteError as error:
        raise click.ClickException(str(error)) from error
    state = Witness(db_path, signer, keys)
    server = make_server(host, int(port), create_witness_app(state), threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    click.echo(f"witness {signer.key.encode()} for {', '.join(k.name for k in keys)}")
    click.echo(f"listening on http://{host}:{server.port}")
    sys.stdout.flush()
    server.serve_forever()
    click.echo("witness stopped")
