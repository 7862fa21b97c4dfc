"""`ledger migrate`, `directory import`, `token issue`, `demo`, `worker`, `projections` and
`run`: the commands that act on the service, its store and its views (web/cli.py lists every
command and the module it is in)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click

from domain.errors import DomainError
from domain.values import person_id
from projections import parallel
from projections.db import Database
from projections.ledger.sealing import SealedActError
from projections.worker import (
    BATCH,
    SQLITE_BATCH,
    Worker,
    all_views,
    rebuildable,
    status,
)
from web.cli_support import load_settings, open_service
from web.config import ConfigError
from web.key_files import write_new_key
from web.reminders import chained, reminder_duty
from web.service import ledger_duties, migrate

# `ledger worker` and `migrate` run often and load no web framework: the commands that need
# one (token, directory import, run) import it when they run.

log = logging.getLogger("ledger")

DEMO_PEOPLE = {
    "bui-van-long": "proposer (staff, ward Bến Thành)",
    "vo-thi-lan": "clerk, ward Bến Thành",
    "ngo-thi-hoa": "party committee, ward Bến Thành",
    "pham-minh-tuan": "head, ward Bến Thành",
    "hoang-duc-anh": "deputy, ward Bến Thành",
    "nguyen-van-thanh": "head, city people's committee",
}


@click.command("migrate")
def migrate_command() -> None:
    """Create the PostgreSQL schema (if configured) and every table."""
    settings = load_settings(writes=True)
    migrate(settings.storage, settings.service_role or None)
    click.echo(f"migrated {settings.storage.describe()}")


@click.group()
def directory() -> None:
    """Organisations, people and positions."""


@directory.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def directory_import(file: Path) -> None:
    """Import a YAML or JSON directory file; only differences are recorded."""
    import yaml
    from marshmallow import ValidationError

    from web.schemas.directory import DirectoryFileSchema

    raw = file.read_bytes()
    try:
        parsed: Any = json.loads(raw) if file.suffix == ".json" else yaml.safe_load(raw)
        data = DirectoryFileSchema().load(parsed or {})
    except (ValueError, yaml.YAMLError) as error:
        raise click.ClickException(f"{file}: not valid JSON or YAML: {error}") from error
    except ValidationError as error:
        messages = json.dumps(error.messages, ensure_ascii=False)
        raise click.ClickException(f"{file}: {messages}") from error
    source = f"directory import {file.name} sha256:{hashlib.sha256(raw).hexdigest()}"
    holder = open_service(load_settings(writes=True), signing=True)
    try:
        report = holder.get().import_directory(data, source)
    except DomainError as error:
        raise click.ClickException(f"{file}: {error}") from error
    finally:
        holder.close()
    click.echo(json.dumps(report))


@click.group()
def token() -> None:
    """Bearer tokens."""


_TTL = re.compile(r"^(\d+)([smhd]?)$")


def _seconds(ttl: str) -> int:
    match = _TTL.match(ttl)
    if not match:
        raise click.BadParameter("use a number with s, m, h or d, such as 8h")
    return int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]


@token.command("issue")
@click.option("--person", "person", required=True, help="Directory key (or id) of the person.")
@click.option("--ttl", default="8h", show_default=True, help="Lifetime: 30m, 8h, 7d…")
@click.option(
    "--private-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Signing key when JWT_ALGORITHM is asymmetric.",
)
def token_issue(person: str, ttl: str, private_key: Path | None) -> None:
    """Mint a token for a person of the directory."""
    from web.auth import issue_token

    settings = load_settings()
    if _seconds(ttl) > settings.jwt_max_ttl:
        raise click.BadParameter(
            f"at most {settings.jwt_max_ttl} s (JWT_MAX_TTL)", param_hint="--ttl"
        )
    holder = open_service(settings)
    try:
        pid = person_id(person)
        if not holder.get().person_exists(pid):
            raise click.ClickException(f"no person with key '{person}' in the directory")
    finally:
        holder.close()
    key = private_key.read_text("ascii") if private_key else None
    click.echo(issue_token(settings, person, _seconds(ttl), key))


@click.command()
def demo() -> None:
    """Load the demo directory and a handful of initiatives."""
    from web.demo import load_demo

    settings = load_settings(writes=True)
    migrate(settings.storage)
    holder = open_service(settings, signing=True)
    try:
        report = load_demo(holder.get())
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    finally:
        holder.close()
    click.echo(json.dumps(report))


@click.command()
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    help=f"Events a batch holds at most [default: {BATCH:,} on PostgreSQL,"
    f" {SQLITE_BATCH:,} on SQLite].",
)
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.01, 60),
    help="Seconds between polls (PostgreSQL also wakes on NOTIFY).",
)
def worker(batch_size: int | None, poll: float) -> None:
    """Follow the event log and keep every view up to date until SIGTERM."""
    settings = load_settings(writes=True)
    holder = open_service(settings)
    loop = Worker(
        holder.get(), Database(settings.storage), batch_size=batch_size, poll_interval=poll
    )
    signal.signal(signal.SIGTERM, lambda *_: loop.stop())
    signal.signal(signal.SIGINT, lambda *_: loop.stop())
    loop.on_batch = lambda n, position: log.info("applied %d events up to %d", n, position)
    if settings.production:
        try:
            settings.checkpoint_signer()
        except ConfigError as error:
            raise click.ClickException(str(error)) from error
    duties = ledger_duties(settings, Database(settings.storage), holder.get)
    if duties is None:
        click.echo(
            f"no signing key at {settings.ledger_key_file}: leaves are sealed but no"
            " checkpoint is issued (see `ledger keys generate`)",
            err=True,
        )
    reminders_duty = reminder_duty(settings)
    loop.after_catch_up = chained(duties, reminders_duty)
    click.echo(f"worker following {settings.storage.describe()}")
    if reminders_duty is not None:
        days = "every day" if settings.reminders_days == "all" else "every working day"
        click.echo(f"reminders {days} at {settings.reminders_at:%H:%M} Vietnam time")
    try:
        loop.run()
    finally:
        if reminders_duty is not None:
            reminders_duty.stop()
        holder.close()
    click.echo("worker stopped")


@click.group()
def projections() -> None:
    """The read models (views)."""


@projections.command("status")
def projections_status() -> None:
    """Each view's position and lag, in events and seconds."""
    settings = load_settings()
    holder = open_service(settings)
    db = Database(settings.storage)
    try:
        for row in status(holder.get(), db, all_views()):
            click.echo(json.dumps(row))
    finally:
        db.close()
        holder.close()


@projections.command("rebuild")
@click.argument("view", required=False)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    help="Partitions of the log rebuilt at once on PostgreSQL [default: one per core, at least"
    " two]; 1: one batch after another (SQLite always).",
)
def projections_rebuild(view: str | None, processes: int | None) -> None:
    """Rebuild one view (or all) from the first event, with progress; others keep running."""
    views = rebuildable(all_views())
    names = [v.name for v in views]
    if view is not None and view not in names:
        raise click.BadParameter(f"one of {', '.join(names)}", param_hint="VIEW")
    chosen = [v for v in views if view is None or v.name == view]
    settings = load_settings(writes=True)
    holder = open_service(settings)
    db = Database(settings.storage)
    try:
        app = holder.get()
        head = app.recorder.max_notification_id() or 0
        started = time.monotonic()
        with click.progressbar(length=head, label="rebuilding", show_pos=True) as bar:
            applied = parallel.rebuild(app, db, chosen, processes, progress=bar.update)
        elapsed = max(time.monotonic() - started, 1e-9)
        click.echo(
            f"rebuilt {', '.join(v.name for v in chosen)}: {applied} events in"
            f" {elapsed:.1f} s ({applied / elapsed:,.0f} events/s)"
        )
    except (parallel.RebuildError, SealedActError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        db.close()
        holder.close()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--demo/--no-demo",
    "with_demo",
    default=True,
    show_default=True,
    help="Load the demo data into an empty store first.",
)
def run(host: str, port: int, with_demo: bool) -> None:
    """Single-machine trial: migrate, load the demo into an empty store, serve."""
    from werkzeug.serving import run_simple

    from web import create_app
    from web.auth import issue_token
    from web.demo import load_demo

    settings = load_settings(writes=True)
    migrate(settings.storage)
    if settings.signer() is None:
        write_new_key(settings.ledger_key_file, settings.ledger_origin)
        click.echo(f"generated a development ledger key at {settings.ledger_key_file}")
    holder = open_service(settings, signing=True)
    try:
        if with_demo and not holder.get().recorder.max_notification_id():
            load_demo(holder.get())
            click.echo("loaded the demo directory and initiatives")
    finally:
        holder.close()
    url = f"http://{host}:{port}"
    click.echo(f"storage: {settings.storage.describe()}")
    click.echo(f"API docs: {url}/api/docs   health: {url}/api/health")
    verifier = settings.verifier()
    if verifier:
        click.echo(f"ledger verifier key: {verifier.encode()}")
    if with_demo:
        click.echo("ready tokens (8 hours):")
        for key, role in DEMO_PEOPLE.items():
            click.echo(f"  {role}: {issue_token(settings, key)}")
    sys.stdout.flush()
    app = create_app({"IN_PROCESS_WORKER": "1"})
    app.extensions["ledger.reads"].start_worker()
    run_simple(host, port, app, threaded=True)
