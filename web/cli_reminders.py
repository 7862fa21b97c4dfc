"""`ledger reminders`: send the day's digests, record a person's choices, list what was sent
(web/reminders.py; docs/operations.md "Reminders")."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import click

from domain.values import local_date, person_id, utc_now
from projections.db import Database, StorageUnavailableError
from projections.reminders import LANGUAGES, prefer, sendings
from web.cli_support import load_settings
from web.reminders import RETRYABLE, Reminders

_DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.group()
def reminders() -> None:
    """The daily reminders by e-mail."""


@reminders.command("send")
@click.option("--on", "on", type=_DAY, help="The digests of this day (YYYY-MM-DD), not today's.")
@click.option("--dry-run", is_flag=True, help="Compose and list them; send and record nothing.")
@click.option(
    "--retry-unconfirmed",
    is_flag=True,
    help="Send again those a stopped sender left unconfirmed (same Message-ID): only when the"
    " SMTP server's log shows it did not take them.",
)
def send(on: datetime | None, dry_run: bool, retry_unconfirmed: bool) -> None:
    """Send the day's digests, each person's at most once (exit 1 when some were not
    delivered, or are unconfirmed)."""
    settings = load_settings()
    if not dry_run and not (settings.smtp_host and settings.smtp_from):
        raise click.ClickException("set SMTP_HOST and SMTP_FROM (or use --dry-run)")
    day = on.date() if on else local_date(utc_now())
    db = Database(settings.storage)
    try:
        outcomes = Reminders(settings, db).send(day, dry_run, retry_unconfirmed)
    except StorageUnavailableError as error:
        raise click.ClickException(f"database: {error}") from error
    finally:
        db.close()
    for outcome in outcomes:
        click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False))
    counts = Counter(o.outcome for o in outcomes)
    summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing to send"
    click.echo(f"reminders of {day}: {summary}")
    if RETRYABLE & set(counts):
        raise click.ClickException("some digests were not delivered: run this again later")
    if counts["unconfirmed"] or counts["gave up"]:
        raise click.ClickException(
            "some digests are unconfirmed or were refused all day: see `ledger reminders"
            " status` (docs/operations.md, Reminders)"
        )


def _person(db: Database, key: str) -> tuple[str, str]:
    """The id and key of a person of the directory (by key or id)."""
    rows = db.query(
        "SELECT id, key FROM dir_people WHERE (id = ? OR id = ?) AND to_position IS NULL",
        [str(person_id(key)), key],
    )
    if not rows:
        raise click.ClickException(f"no person with key '{key}' in the directory")
    return rows[0]["id"], rows[0]["key"]


@reminders.command("prefer")
@click.option("--person", "key", required=True, help="Directory key (or id) of the person.")
@click.option("--language", type=click.Choice(LANGUAGES), help="The language of their digest.")
@click.option("--opt-out/--opt-in", "opted_out", default=None, help="Stop, or resume, them.")
def prefer_command(key: str, language: str | None, opted_out: bool | None) -> None:
    """Record a person's choice: their digest's language, or no digest at all."""
    if language is None and opted_out is None:
        raise click.UsageError("say --language, --opt-out or --opt-in")
    settings = load_settings()
    db = Database(settings.storage)
    try:
        found, found_key = _person(db, key)
        chosen, out = prefer(db, found, utc_now(), language, opted_out)
    finally:
        db.close()
    click.echo(json.dumps({"person": found_key, "language": chosen, "opted_out": out}))


@reminders.command("status")
@click.option("--on", "on", type=_DAY, help="The sendings of this day (YYYY-MM-DD), not today's.")
def status(on: datetime | None) -> None:
    """The day's sendings: who, to which address, the Message-ID, when, and their state
    (`sending` left by a sender that stopped: not confirmed, not sent again)."""
    settings = load_settings()
    day = on.date() if on else local_date(utc_now())
    db = Database(settings.storage)
    try:
        rows = sendings(db, day)
    finally:
        db.close()
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))
    click.echo(f"reminders of {day}: {len(rows)} recorded")
