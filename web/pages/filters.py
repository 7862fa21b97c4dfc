"""Template filters: dates as dd/mm/yyyy, Vietnamese numbers and money, labels of codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_currency, format_decimal, get_locale
from flask_babel import gettext as _

from domain.values import VIETNAM_TZ
from web.pages import labels


def day(value: Any) -> str:
    """A date (or the date of a moment, in Vietnam) as dd/mm/yyyy."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM_TZ) if value.tzinfo else value
    return f"{value:%d/%m/%Y}"


def moment(value: Any) -> str:
    """A moment as dd/mm/yyyy HH:MM, Vietnam time."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo:
        value = value.astimezone(VIETNAM_TZ)
    return f"{value:%d/%m/%Y %H:%M}"


def number(value: Any) -> str:
    """1.234.567 in Vietnamese, 1,234,567 in English."""
    if value is None:
        return "—"
    return str(format_decimal(value))


def money(value: Any) -> str:
    """An amount of đồng: 1.234.567 ₫."""
    if value is None:
        return "—"
    return str(format_currency(value, "VND"))


def days_left(value: Any) -> str:
    """Working days left on a clock, or how many it is overdue: never a negative count."""
    if value is None:
        return "—"
    if value < 0:
        return str(_("Quá hạn %(n)s ngày làm việc", n=number(-value)))
    return str(_("Còn %(n)s ngày làm việc", n=number(value)))


def install(app: Flask) -> None:
    """Register the filters and the page globals."""
    app.jinja_env.filters.update(
        day=day,
        moment=moment,
        number=number,
        money=money,
        days_left=days_left,
        choice=labels.choice_label,
        field=labels.field_label,
        command=labels.command_label,
        event=labels.event_label,
        clock=lambda code: str(labels.CLOCKS.get(code, code)),
        waiting=labels.waiting_label,
    )
    app.jinja_env.globals.update(current_locale=lambda: str(get_locale() or "vi"))
