"""A reminder digest as an e-mail (web/reminders.py sends it): its texts in Vietnamese and
English (messages of the pages' catalogue), the day and the clocks said in the person's
language, the message and its stable Message-ID."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from domain.values import VIETNAM_TZ
from projections.reminders import (
    CLOCK,
    DIGEST,
    INBOX,
    SECTIONS,
    SUPERVISION,
    UNSUPERVISED_DAYS,
    Digest,
    Item,
)
from projections.terms import N_
from web.config import Settings
from web.pages.labels import CHOICES, CLOCKS

# The heading of each section; every text of a digest is a message of the pages' catalogue
# (web/translations), marked N_: the Vietnamese its id, the English from the catalogue.
HEADINGS: dict[str, str] = {
    CLOCK: N_("Thời hạn sắp đến hoặc đã quá"),
    INBOX: N_("Đề xuất chờ xử lý"),
    SUPERVISION: N_("Thí điểm chưa được kiểm tra, giám sát trong %(days)s ngày"),
}
SERVICE = N_("Sổ đề xuất đổi mới, sáng tạo")  # the service's name, as the pages say it


@functools.cache
def _english() -> NullTranslations:
    """The pages' English catalogue (web/translations)."""
    return Translations.load(str(Path(__file__).parent / "translations"), ["en"])


def said(message: str, language: str) -> str:
    """A message of the catalogue (its Vietnamese, the message id) in `language`."""
    return _english().gettext(message) if language == "en" else message


def text(message: str, language: str, **values: Any) -> str:
    """One text of a digest in `language`, with its values."""
    return said(message, language) % values


def label(table: Mapping[str, Any], code: str, language: str) -> str:
    """What the pages call a code (a clock's name, a status) in `language`; an unlabelled
    code as it is (a clock added later still comes through)."""
    return said(str(table.get(code, code)), language)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shown(day: date | str, language: str) -> str:
    """A date as people write it: 02/03/2026; in English 2 Mar 2026 (whatever the locale)."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    if language == "en":
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


# The message ----------------------------------------------------------------------------------


def message_id(settings: Settings, digest: Digest) -> str:
    """The digest's Message-ID: the same for the same person and day, whoever sends it."""
    domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or "initiative-ledger.invalid"
    return f"<reminder.{DIGEST}.{digest.day.isoformat()}.{digest.recipient.person_id}@{domain}>"


def compose(settings: Settings, digest: Digest, now: datetime) -> EmailMessage:
    """The digest as an e-mail in its recipient's language (ValueError: a bad address)."""
    person, language = digest.recipient, digest.recipient.language
    message = EmailMessage(policy=SMTP)
    if settings.smtp_from:
        name, address = parseaddr(settings.smtp_from)
        message["From"] = Address(display_name=name, addr_spec=address)
    message["To"] = Address(display_name=person.full_name, addr_spec=person.email or "")
    message["Subject"] = text(
        N_("[%(service)s] 1 việc cần xử lý ngày %(day)s")
        if len(digest.items) == 1
        else N_("[%(service)s] %(count)s việc cần xử lý ngày %(day)s"),
        language,
        service=said(SERVICE, language),
        day=shown(digest.day, language),
        count=len(digest.items),
    )
    message["Date"] = format_datetime(now.astimezone(VIETNAM_TZ))
    message["Message-ID"] = message_id(settings, digest)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies
    message.set_content(body(settings, digest), cte="quoted-printable")
    message["Content-Language"] = language  # (set_content drops the Content-* headers)
    return message


def body(settings: Settings, digest: Digest) -> str:
    """The digest's text: a greeting, then each section with its items."""
    language = digest.recipient.language
    lines = [
        text(N_("Kính gửi ông/bà %(name)s,"), language, name=digest.recipient.full_name),
        "",
        text(
            N_("Sau đây là những việc đang chờ ông/bà xử lý ngày %(day)s."),
            language,
            day=shown(digest.day, language),
        ),
    ]
    for section in SECTIONS:
        items = digest.section(section)
        if not items:
            continue
        heading = text(HEADINGS[section], language, days=UNSUPERVISED_DAYS)
        lines += ["", f"{heading.upper()} ({len(items)})"]
        for item in items:
            lines += _item(settings, item, language)
        if section == INBOX and settings.pages_url:
            url = f"{settings.pages_url.rstrip('/')}/inbox"
            lines.append(text(N_("Hộp đề xuất: %(url)s"), language, url=url))
    footer = N_(
        "Thư tự động của %(service)s, xin đừng trả lời thư này. Muốn nhận thư bằng tiếng Anh,"
        " hoặc không nhận nữa, xin báo quản trị hệ thống."
    )
    lines += ["", "-- ", text(footer, language, service=said(SERVICE, language))]
    return "\n".join(lines) + "\n"


def _item(settings: Settings, item: Item, language: str) -> list[str]:
    """An item's lines: its title and organisation, where it stands, its page."""
    lines = [f"- {item.title} ({item.organisation})" if item.organisation else f"- {item.title}"]
    lines.append(f"  {_standing(item, language)}")
    if settings.pages_url:
        url = f"{settings.pages_url.rstrip('/')}/initiatives/{item.initiative_id}"
        lines.append(f"  {text(N_('Xem: %(url)s'), language, url=url)}")
    return lines


def _standing(item: Item, language: str) -> str:
    """Where an item stands: the clock or status, the due date and the working days."""
    if item.section == SUPERVISION:
        last = (
            text(
                N_("giám sát lần gần nhất %(date)s"), language, date=shown(item.last_on, language)
            )
            if item.last_on
            else said(N_("chưa có lần giám sát nào"), language)
        )
        return f"{label(CHOICES, item.what, language)}: {last}"
    what = label(CLOCKS if item.section == CLOCK else CHOICES, item.what, language)
    if item.due_on is None:
        return what
    due = text(N_("hạn %(date)s"), language, date=shown(item.due_on, language))
    parts = [due, _days(item, language)]
    if item.provisional:
        parts.append(said(N_("hạn tính theo ngày nghỉ chưa được xác nhận"), language))
    return f"{what}: {', '.join(parts)}"


def _days(item: Item, language: str) -> str:
    """The working days left, or overdue (a clock past its due date without a count of days:
    overdue)."""
    left = item.working_days_left or 0
    overdue = 0 if item.overdue_by is None and left < 0 else item.overdue_by
    if overdue == 0:
        return said(N_("đã quá hạn"), language)
    if overdue == 1:
        return said(N_("quá hạn 1 ngày làm việc"), language)
    if overdue is not None:
        return text(N_("quá hạn %(n)s ngày làm việc"), language, n=overdue)
    if left == 0:
        return said(N_("hết hạn hôm nay"), language)
    if left == 1:
        return said(N_("còn 1 ngày làm việc"), language)
    return text(N_("còn %(n)s ngày làm việc"), language, n=left)


# SMTP -----------------------------------------------------------------------------------------
