"""The reminders without a server: their settings, the worker's schedule, the words of a
digest (the SMTP tests: tests/e2e/test_reminders.py)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.calendar import vietnam
from projections.reminders import CLOCK, INBOX, SUPERVISION, Digest, Item, Recipient
from tests.factories import refusal
from web.config import Settings
from web.reminder_mail import body, compose
from web.reminders import Outcome, ReminderDuty, chained, due_day

MONDAY = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 07:30 in Vietnam
SEVEN = time(7, 0)


# --- settings ---------------------------------------------------------------------------------


def test_the_reminders_are_off_unless_a_time_is_set() -> None:
    settings = Settings.load({})
    assert (settings.reminders_at, settings.reminders_days, settings.smtp_port) == (
        None,
        "working",
        25,
    )
    on = Settings.load({"REMINDERS_AT": "07:30", "SMTP_HOST": "mail", "SMTP_FROM": "a@b.vn"})
    assert on.reminders_at == time(7, 30)


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"REMINDERS_AT": "7:30"}, "REMINDERS_AT must be a time of day as HH:MM, not '7:30'"),
        ({"REMINDERS_AT": "24:00"}, "REMINDERS_AT must be a time of day as HH:MM (00:00 to"),
        ({"REMINDERS_AT": "07:00"}, "REMINDERS_AT needs SMTP_HOST and SMTP_FROM"),
        ({"REMINDERS_DAYS": "weekends"}, "REMINDERS_DAYS must be working or all"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT must be a port number (1 to 65535), not 70000"),
        ({"SMTP_PORT": "0"}, "SMTP_PORT must be at least 1, not 0"),
        ({"SMTP_FROM": "Sổ, sáng kiến <a@b.vn>"}, "SMTP_FROM must be one address such as"),
        ({"SMTP_FROM": "a@b.vn, c@d.vn"}, "SMTP_FROM must be one address such as"),
        (
            {"SMTP_USER": "u", "SMTP_PASSWORD": "p"},
            "SMTP_USER and SMTP_PASSWORD need SMTP_STARTTLS",
        ),
        ({"SMTP_USER": "u", "SMTP_STARTTLS": "on"}, "SMTP_USER and SMTP_PASSWORD go together"),
        ({"PAGES_URL": "ftp://x"}, "PAGES_URL must be an http:// or https:// address"),
    ],
)
def test_mail_settings_that_cannot_work_stop_the_process(
    values: dict[str, str], error: str
) -> None:
    assert refusal(values).startswith(error)


# --- the worker's schedule -----------------------------------------------------------------


def test_the_days_digests_are_due_from_the_set_time_on_working_days() -> None:
    calendar = vietnam()
    monday = date(2026, 3, 2)
    assert due_day(MONDAY, SEVEN, None, None, calendar) == monday
    assert due_day(MONDAY, time(7, 31), None, None, calendar) is None  # not yet
    assert due_day(MONDAY, SEVEN, monday, None, calendar) is None  # done today
    assert due_day(MONDAY, SEVEN, date(2026, 2, 27), None, calendar) == monday
    assert due_day(MONDAY, SEVEN, None, MONDAY + timedelta(minutes=5), calendar) is None
    assert due_day(MONDAY, SEVEN, None, MONDAY - timedelta(seconds=1), calendar) == monday
    sunday = MONDAY - timedelta(days=1)
    assert due_day(sunday, SEVEN, None, None, calendar) is None  # not a working day
    assert due_day(sunday, SEVEN, None, None, None) == date(2026, 3, 1)  # REMINDERS_DAYS=all
    # 17:30 UTC on Sunday is 00:30 on Monday in Vietnam.
    assert due_day(sunday.replace(hour=17), time(0, 0), None, None, calendar) == monday


class FakeReminders:
    """Passes that answer as told; their days recorded."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.days: list[date] = []
        self.calendar = vietnam()
        self.db = self
        self.closed = 0

    def send(self, day: date, stopping: threading.Event) -> list[Outcome]:
        self.days.append(day)
        return [Outcome(f"p{n}", what, 1) for n, what in enumerate(self.answers.pop(0))]

    def close(self) -> None:
        self.closed += 1


def run(duty: ReminderDuty) -> None:
    """One call of the duty, and its pass (if it started one) to its end."""
    duty()
    thread = duty._thread
    if thread is not None:
        thread.join(10)


def test_the_worker_retries_what_was_not_delivered_then_rests_until_the_next_day() -> None:
    now = [MONDAY - timedelta(hours=1)]
    fake = FakeReminders(["sent", "refused"], ["already sent", "sent"], ["sent"])
    duty = ReminderDuty(fake, SEVEN, clock=lambda: now[0], retry_after=300)  # type: ignore[arg-type]
    run(duty)
    assert fake.days == []  # 06:30
    now[0] = MONDAY
    run(duty)
    assert (fake.days, duty.retry_at, duty.finished) == (
        [date(2026, 3, 2)],
        MONDAY + timedelta(seconds=300),
        None,
    )
    now[0] = MONDAY + timedelta(seconds=299)
    run(duty)
    assert len(fake.days) == 1
    now[0] = MONDAY + timedelta(seconds=300)
    run(duty)
    assert (len(fake.days), duty.finished) == (2, date(2026, 3, 2))
    now[0] = MONDAY + timedelta(hours=5)
    run(duty)
    assert len(fake.days) == 2
    now[0] = MONDAY + timedelta(days=1)
    run(duty)
    assert fake.days == [date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 3)]
    assert fake.closed == 3  # each pass's connection


def test_duties_run_one_after_the_other() -> None:
    ran: list[str] = []
    both = chained(lambda: ran.append("ledger"), None, lambda: ran.append("reminders"))
    assert both is not None
    both()
    assert ran == ["ledger", "reminders"]
    assert chained(None, None) is None


# --- the words --------------------------------------------------------------------------------


def digest(language: str, *items: Item) -> Digest:
    person = Recipient("id", "pho-2", "Lê Minh Châu", "chau@b.vn", language, False)
    return Digest(person, date(2026, 3, 9), items)


OVERDUE = Item(
    CLOCK, "i1", "Số hóa hồ sơ", "UBND phường", "approval_decision", "2026-03-04", None, 3
)
TODAY = Item(CLOCK, "i2", "Một cửa", "", "evaluation", "2026-03-09", 0, provisional=True)
ONE = Item(CLOCK, "i3", "Kho dữ liệu", "UBND", "a_clock_added_later", "2026-03-10", 1)
WAITING = Item(INBOX, "i4", "Một cửa", "UBND", "under_review", "2026-03-11", 2)
NEVER = Item(SUPERVISION, "i5", "Thí điểm A", "UBND", "in_progress")
LAST = Item(SUPERVISION, "i6", "Thí điểm B", "UBND", "suspended", last_on="2026-01-31")


def settings(**values: str) -> Settings:
    return Settings.load({"SMTP_HOST": "mail", "SMTP_FROM": "no-reply@b.vn", **values})


def test_every_standing_of_an_item_in_vietnamese() -> None:
    text = body(settings(), digest("vi", OVERDUE, TODAY, ONE, WAITING, NEVER, LAST))
    sections = text.split("\n\n")[2:-1]
    assert sections == [
        "THỜI HẠN SẮP ĐẾN HOẶC ĐÃ QUÁ (3)\n"
        "- Số hóa hồ sơ (UBND phường)\n"
        "  Quyết định chủ trương (7 ngày làm việc): hạn 04/03/2026, quá hạn 3 ngày làm việc\n"
        "- Một cửa\n"
        "  Đánh giá kết quả (7 ngày làm việc): hạn 09/03/2026, hết hạn hôm nay,"
        " hạn tính theo ngày nghỉ chưa được xác nhận\n"
        "- Kho dữ liệu (UBND)\n"
        "  a_clock_added_later: hạn 10/03/2026, còn 1 ngày làm việc",
        "ĐỀ XUẤT CHỜ XỬ LÝ (1)\n"
        "- Một cửa (UBND)\n"
        "  Đang xem xét: hạn 11/03/2026, còn 2 ngày làm việc",
        "THÍ ĐIỂM CHƯA ĐƯỢC KIỂM TRA, GIÁM SÁT TRONG 30 NGÀY (2)\n"
        "- Thí điểm A (UBND)\n"
        "  Đang triển khai: chưa có lần giám sát nào\n"
        "- Thí điểm B (UBND)\n"
        "  Tạm dừng: giám sát lần gần nhất 31/01/2026",
    ]


def test_every_standing_of_an_item_in_english() -> None:
    # ("Tạm dừng" is both the command and the status: the catalogue says "Suspend")
    text = body(
        settings(), digest("en", OVERDUE, TODAY, WAITING, replace(LAST, what="in_progress"))
    )
    assert text.split("\n\n")[2:-1] == [
        "DEADLINES DUE SOON OR MISSED (2)\n"
        "- Số hóa hồ sơ (UBND phường)\n"
        "  Decision in principle (7 working days): due 4 Mar 2026, overdue by 3 working days\n"
        "- Một cửa\n"
        "  Evaluation (7 working days): due 9 Mar 2026, due today,"
        " the due date rests on a holiday not yet confirmed",
        "PROPOSALS AWAITING A DECISION (1)\n"
        "- Một cửa (UBND)\n"
        "  Under review: due 11 Mar 2026, 2 working days left",
        "PILOTS WITHOUT SUPERVISION FOR 30 DAYS (1)\n"
        "- Thí điểm B (UBND)\n"
        "  In progress: last supervised 31 Jan 2026",
    ]


def test_one_item_is_one_in_the_subject() -> None:
    now = datetime(2026, 3, 9, 0, 5, tzinfo=UTC)
    english = compose(settings(), digest("en", NEVER), now)
    assert english["Subject"] == "[Initiative ledger] 1 item to act on, 9 Mar 2026"
    assert english["Date"] == "Mon, 09 Mar 2026 07:05:00 +0700"
    assert english["Message-ID"] == "<reminder.daily.2026-03-09.id@b.vn>"
    vietnamese = compose(settings(), digest("vi", NEVER, LAST), now)
    assert (
        vietnamese["Subject"] == "[Sổ đề xuất đổi mới, sáng tạo] 2 việc cần xử lý ngày 09/03/2026"
    )


def test_links_to_the_pages_when_their_address_is_known() -> None:
    text = body(settings(PAGES_URL="https://so.example.gov.vn/"), digest("vi", WAITING))
    assert "  Xem: https://so.example.gov.vn/initiatives/i4\n" in text
    assert "Hộp đề xuất: https://so.example.gov.vn/inbox\n" in text


def test_a_bad_address_is_refused_when_composed() -> None:
    person = Recipient("id", "x", "X", "not an address", "vi", False)
    with pytest.raises(ValueError):  # noqa: PT011 - email's own error, a ValueError
        compose(settings(), Digest(person, date(2026, 3, 9), (NEVER,)), MONDAY)


def test_no_pass_starts_while_the_views_are_not_ready() -> None:
    now = [MONDAY]
    ready = [False]
    fake = FakeReminders(["sent"])
    duty = ReminderDuty(fake, SEVEN, clock=lambda: now[0], ready=lambda: ready[0])  # type: ignore[arg-type]
    run(duty)
    assert (fake.days, duty.finished) == ([], None)  # a rebuild is writing the views
    ready[0] = True
    run(duty)
    assert (fake.days, duty.finished) == ([date(2026, 3, 2)], date(2026, 3, 2))
