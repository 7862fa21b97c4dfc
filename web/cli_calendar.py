"""`ledger calendar check`: what the working-day calendar (domain/calendars/vn-YYYY.json) leaves
uncertain in the year ahead. It needs the calendar only, not the service."""

from __future__ import annotations

from datetime import datetime

import click

from domain.calendar import FOLDER, vietnam
from domain.values import local_date, utc_now


@click.group()
def calendar() -> None:
    """The working-day calendar (domain/calendars/vn-YYYY.json)."""


@calendar.command("check")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Check as of this day (YYYY-MM-DD) rather than today in Vietnam.",
)
def calendar_check(on: datetime | None) -> None:
    """What the calendar leaves uncertain in the twelve months ahead: its provisional days, and
    the years without a file (exit code 1 when one is missing)."""
    today = on.date() if on else local_date(utc_now())
    outlook = vietnam().check(today)
    today_is = "" if on else " (today in Vietnam)"
    click.echo(f"calendar from {outlook.first}{today_is} to {outlook.last}")
    for entry in outlook.provisional:
        kind = "holiday" if entry.kind == "holiday" else "swapped working day"
        click.echo(f"provisional {entry.day} {kind}: {entry.name}")
    if not outlook.missing_years:
        click.echo(f"no year missing; provisional days to confirm: {len(outlook.provisional)}")
        return
    for year in outlook.missing_years:
        click.echo(f"missing {year}: no calendar file, counted Monday to Friday")
    years = ", ".join(str(y) for y in outlook.missing_years)
    files = ", ".join(f"{FOLDER}/vn-{y}.json" for y in outlook.missing_years)
    raise click.ClickException(
        f"no calendar file for {years}: add {files} (the year's public holidays and swapped"
        " working days as the government announced them, `provisional: true` on any day no"
        " source confirms yet), then run `ledger projections rebuild initiatives` so that the"
        " dashboards' due dates follow"
    )
