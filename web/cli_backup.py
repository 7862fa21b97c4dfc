"""`ledger backup`: a copy of the store taken while the service runs, that keeps the proof.

SQLite: SQLite's online backup API copies the file in one read transaction (writers go on in
WAL mode), into a new file beside the destination renamed into place once complete; the copy
is then verified like `ledger verify log` (every leaf recomputed from its event, every
checkpoint's root and signature), so a backup that could not prove its own history is never
reported as made.

PostgreSQL: `pg_dump --format=custom` of the store's schema, under a snapshot exported by a
transaction of ours that reads the newest checkpoint first: the checkpoint printed is exactly
the one the dump holds. A dump is checked after its restore (docs/operations.md, "Backups").
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import click
import psycopg
from psycopg import sql

from projections.db import Database
from projections.ledger.check import verify_log
from projections.ledger.store import LedgerStore, StoredCheckpoint
from projections.storage import Storage
from web.cli_support import echo_log_report, load_settings, open_service
from web.config import Settings


@click.command()
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--skip-verify",
    is_flag=True,
    help="SQLite: do not verify the copy (it is verified by default).",
)
def backup(destination: Path, skip_verify: bool) -> None:
    """Back up the store to DESTINATION (a new file) while the service runs."""
    if destination.exists():
        raise click.ClickException(f"{destination} exists: a backup never overwrites a file")
    settings = load_settings()
    storage = settings.storage
    destination.parent.mkdir(parents=True, exist_ok=True)
    draft = destination.with_name(f".{destination.name}.{os.getpid()}.part")
    held: StoredCheckpoint | None = None
    try:
        if storage.kind == "sqlite":
            _copy_sqlite(storage, draft)
        else:
            held = _dump_postgres(storage, draft)
        os.link(draft, destination)  # never replaces a file made meanwhile
    except FileExistsError:
        raise click.ClickException(
            f"{destination} exists: a backup never overwrites a file"
        ) from None
    finally:
        draft.unlink(missing_ok=True)
    size = destination.stat().st_size
    if storage.kind != "sqlite":
        click.echo(f"wrote {destination} ({size:,} bytes): pg_dump of {storage.describe()}")
        click.echo(f"it holds {_checkpoint_line(held)} (as the database has it)")
        click.echo("check it after a restore: `ledger verify log` (docs/operations.md)")
        return
    click.echo(f"wrote {destination} ({size:,} bytes): SQLite online backup")
    copy = dataclasses.replace(storage, sqlite_path=destination.resolve())
    if skip_verify:
        click.echo(f"it holds {_checkpoint_line(_newest(copy))}, NOT verified (--skip-verify)")
        return
    _verify_copy(copy, settings)


def _copy_sqlite(storage: Storage, draft: Path) -> None:
    """The whole database in one step: one read transaction, so one consistent state."""
    assert storage.sqlite_path is not None
    if not storage.sqlite_path.exists():
        raise click.ClickException(f"no database at {storage.sqlite_path}")
    source = sqlite3.connect(f"file:{storage.sqlite_path}?mode=ro", uri=True, timeout=15)
    target = sqlite3.connect(draft)
    try:
        source.backup(target, pages=-1)
        target.commit()
    finally:
        target.close()
        source.close()


def _dump_postgres(storage: Storage, draft: Path) -> StoredCheckpoint | None:
    """pg_dump under our snapshot; the newest checkpoint that snapshot holds."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise click.ClickException(
            "pg_dump not found: install the PostgreSQL client tools (the server's major version)"
        )
    env = {**os.environ, "PGPASSWORD": storage.password} if storage.password else None
    with storage.connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        held = _newest_in(conn, storage.schema or "public")
        # The operator classes of the history's GiST indexes (migrations r0012): named, a
        # restore into a new database creates the extension before the indexes. Only when
        # the database has it: pg_dump refuses a name that matches no extension.
        gist = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'").fetchone()
        command = [
            pg_dump,
            "--format=custom",
            f"--snapshot={row[0]}",
            f"--schema={storage.schema or 'public'}",
            *(["--extension=btree_gist"] if gist else []),
            f"--host={storage.host}",
            f"--port={storage.port}",
            f"--username={storage.user}",
            f"--file={draft}",
            str(storage.dbname),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        conn.rollback()
    if done.returncode != 0:
        raise click.ClickException(f"pg_dump failed: {done.stderr.strip()}")
    return held


def _newest_in(conn: psycopg.Connection[Any], schema: str) -> StoredCheckpoint | None:
    """The newest checkpoint as the open transaction of `conn` sees it."""
    query = sql.SQL(
        "SELECT size, root, note, created_at FROM {} ORDER BY size DESC LIMIT 1"
    ).format(sql.Identifier(schema, "ledger_checkpoints"))
    row = conn.execute(query).fetchone()
    if row is None:
        return None
    return StoredCheckpoint(int(row[0]), bytes(row[1]), str(row[2]), str(row[3]))


def _newest(storage: Storage) -> StoredCheckpoint | None:
    db = Database(storage)
    try:
        return LedgerStore(db).newest()
    finally:
        db.close()


def _checkpoint_line(checkpoint: StoredCheckpoint | None) -> str:
    if checkpoint is None:
        return "no checkpoint yet"
    return f"the checkpoint of {checkpoint.size} leaves, root {checkpoint.root.hex()}"


def _verify_copy(copy: Storage, settings: Settings) -> None:
    """`ledger verify log` on the copy; exit 1 when it does not prove its history."""
    holder = open_service(settings, storage=copy)
    db = Database(copy)
    try:
        report = verify_log(holder.get(), db, settings.verifier())
        held = LedgerStore(db).newest()
    finally:
        db.close()
        holder.close()
    echo_log_report(report, "verified the copy:")
    click.echo(f"it holds {_checkpoint_line(held)}" + (", and proves it" if held else ""))
