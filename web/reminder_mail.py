"""A reminder digest as an e-mail (web/reminders.py sends it): its texts in Vietnamese and
English, the day and the clocks said in the person's language, the message and its stable
Message-ID."""

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
from web.config import Settings
from web.pages.labels import CHOICES, CLOCKS

# Every text of a digest: (Vietnamese, English).
TEXTS: dict[str, tuple[str, str]] = {
    "service": ("Sổ đề xuất đổi mới, sáng tạo", "Initiative ledger"),
    "subject": (
        "[{service}] {count} việc cần xử lý ngày {day}",
        "[{service}] {count} items to act on, {day}",
    ),
    "subject 1": (
        "[{service}] 1 việc cần xử lý ngày {day}",
        "[{service}] 1 item to act on, {day}",
    ),
    "greeting": ("Kính gửi ông/bà {name},", "Dear {name},"),
    "intro": (
        "Sau đây là những việc đang chờ ông/bà xử lý ngày {day}.",
        "Here is what awaits your action on {day}.",
    ),
    CLOCK: ("Thời hạn sắp đến hoặc đã quá", "Deadlines due soon or missed"),
    INBOX: ("Đề xuất chờ xử lý", "Proposals awaiting a decision"),
    SUPERVISION: (
        "Thí điểm chưa được kiểm tra, giám sát trong {days} ngày",
        "Pilots without supervision for {days} days",
    ),
    "due": ("hạn {date}", "due {date}"),
    "due today": ("hết hạn hôm nay", "due today"),
    "left": ("còn {n} ngày làm việc", "{n} working days left"),
    "left 1": ("còn 1 ngày làm việc", "1 working day left"),
    "overdue": ("quá hạn {n} ngày làm việc", "overdue by {n} working days"),
    "overdue 1": ("quá hạn 1 ngày làm việc", "overdue by 1 working day"),
    "overdue 0": ("đã quá hạn", "overdue"),
    "provisional": (
        "hạn tính theo ngày nghỉ chưa được xác nhận",
        "the due date rests on a holiday not yet confirmed",
    ),
    "last supervised": ("giám sát lần gần nhất {date}", "last supervised {date}"),
    "never supervised": ("chưa có lần giám sát nào", "never supervised"),
    "open": ("Xem: {url}", "Open: {url}"),
    "inbox link": ("Hộp đề xuất: {url}", "Inbox: {url}"),
    "footer": (
        "Thư tự động của {service}, xin đừng trả lời thư này. Muốn nhận thư bằng tiếng Anh,"
        " hoặc không nhận nữa, xin báo quản trị hệ thống.",
        "An automatic message of the {service}; please do not reply. To receive it in"
        " Vietnamese, or no longer receive it, ask the service's administrator.",
    ),
}


def text(which: str, language: str, **values: Any) -> str:
    """One text of a digest in `language`, with its values."""
    vietnamese, english = TEXTS[which]
    return (english if language == "en" else vietnamese).format(**values)


@functools.cache
def _english() -> NullTranslations:
    """The pages' English catalogue (web/translations): the labels of clocks and statuses."""
    return Translations.load(str(Path(__file__).parent / "translations"), ["en"])


def label(table: Mapping[str, Any], code: str, language: str) -> str:
    """What the pages call a code (a clock's name, a status) in `language`; an unlabelled
    code as it is (a clock added later still comes through)."""
    vietnamese = str(table.get(code, code))
    return _english().gettext(vietnamese) if language == "en" else vietnamese


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
    service = text("service", language)
    message = EmailMessage(policy=SMTP)
    if settings.smtp_from:
        name, address = parseaddr(settings.smtp_from)
        message["From"] = Address(display_name=name, addr_spec=address)
    message["To"] = Address(display_name=person.full_name, addr_spec=person.email or "")
    message["Subject"] = text(
        "subject 1" if len(digest.items) == 1 else "subject",
        language,
        service=service,
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
        text("greeting", language, name=digest.recipient.full_name),
        "",
        text("intro", language, day=shown(digest.day, language)),
    ]
    for section in SECTIONS:
        items = digest.section(section)
        if not items:
            continue
        heading = text(section, language, days=UNSUPERVISED_DAYS)
        lines += ["", f"{heading.upper()} ({len(items)})"]
        for item in items:
            lines += _item(settings, item, language)
        if section == INBOX and settings.pages_url:
            lines.append(
                text("inbox link", language, url=f"{settings.pages_url.rstrip('/')}/inbox")
            )
    lines += ["", "-- ", text("footer", language, service=text("service", language))]
    return "\n".join(lines) + "\n"


def _item(settings: Settings, item: Item, language: str) -> list[str]:
    """An item's lines: its title and organisation, where it stands, its page."""
    lines = [f"- {item.title} ({item.organisation})" if item.organisation else f"- {item.title}"]
    lines.append(f"  {_standing(item, language)}")
    if settings.pages_url:
        url = f"{settings.pages_url.rstrip('/')}/initiatives/{item.initiative_id}"
        lines.append(f"  {text('open', language, url=url)}")
    return lines


def _standing(item: Item, language: str) -> str:
    """Where an item stands: the clock or status, the due date and the working days."""
    if item.section == SUPERVISION:
        last = (
            text("last supervised", language, date=shown(item.last_on, language))
            if item.last_on
            else text("never supervised", language)
        )
        return f"{label(CHOICES, item.what, language)}: {last}"
    what = label(CLOCKS if item.section == CLOCK else CHOICES, item.what, language)
    if item.due_on is None:
        return what
    parts = [text("due", language, date=shown(item.due_on, language)), _days(item, language)]
    if item.provisional:
        parts.append(text("provisional", language))
    return f"{what}: {', '.join(parts)}"


def _days(item: Item, language: str) -> str:
    """The working days left, or overdue."""
    if item.overdue_by is not None:
        if item.overdue_by in (0, 1):
            return text(f"overdue {item.overdue_by}", language)
        return text("overdue", language, n=item.overdue_by)
    left = item.working_days_left or 0
    if left < 0:
        return text("overdue 0", language)
    if left in (0, 1):
        return text("due today" if left == 0 else "left 1", language)
    return text("left", language, n=left)


# SMTP -----------------------------------------------------------------------------------------
