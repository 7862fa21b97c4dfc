"""The daily reminders by e-mail: each person's digest (projections/reminders.py), written in
their language, handed to the SMTP server at most once a day.

At most once, and why. A digest is recorded (`reminder_sendings`, key: digest, day, person;
state `sending`) and committed before its SMTP transaction starts, and marked `sent` after the
server accepted it. A sender that dies between the two leaves a `sending` row, and no pass of
that day sends it again: the server may or may not have taken the message, and only a second
copy could tell, so the service chooses to risk one lost digest rather than a duplicate. The
loss is bounded: a digest is the whole of what is pending, not news of a change, so the next
working day's digest lists everything still due. What is certain is retried the same day: a
server that cannot be reached (nothing recorded), or that answers a refusal (`failed`, offered
again up to MAX_ATTEMPTS times). `ledger reminders send --retry-unconfirmed` sends the
unconfirmed ones again, with the same Message-ID (mail clients fold a second copy into the
first): at least once, when the operator knows the server did not take them.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from domain.calendar import WorkingCalendar, vietnam
from domain.values import VIETNAM_TZ, utc_now
from projections.db import Database, Row
from projections.reminders import (
    FAILED,
    MAX_ATTEMPTS,
    SENDING,
    SENT,
    Digest,
    Sending,
    claim,
    digests,
    mark_failed,
    mark_sent,
    sendings,
)
from projections.worker import rebuilding
from web.config import Settings

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30.0  # seconds for each answer of the SMTP server
RETRY_AFTER = 300.0  # seconds before the worker offers the day's undelivered digests again
# Outcomes of a pass that a later pass of the same day may change.
RETRYABLE = frozenset({"refused", "not tried"})


class RefusedError(Exception):
    """The SMTP server did not take the message (it answered a refusal, or could not be
    reached): it was not delivered."""


class UnconfirmedError(Exception):
    """The connection failed while the message was handed over: it may have been delivered."""


class Mailer:
    """One connection to the SMTP server (SMTP_HOST), opened on first use and again after a
    failure; STARTTLS and a login when configured."""

    def __init__(self, settings: Settings, timeout: float = SMTP_TIMEOUT) -> None:
        self.settings = settings
        self.timeout = timeout
        self.sender = parseaddr(settings.smtp_from)[1]
        self._conn: smtplib.SMTP | None = None

    def connect(self) -> None:
        """Be connected (RefusedError when the server cannot be reached or refuses us)."""
        if self._conn is not None:
            return
        settings = self.settings
        try:
            conn = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self.timeout)
            try:
                conn.ehlo()
                if settings.smtp_starttls:
                    conn.starttls(context=ssl.create_default_context())
                    conn.ehlo()
                if settings.smtp_user:
                    _login(conn, settings.smtp_user, settings.smtp_password)
            except BaseException:
                conn.close()
                raise
        except (smtplib.SMTPException, OSError, ValueError) as error:
            raise RefusedError(
                f"SMTP server {settings.smtp_host}:{settings.smtp_port}: {error}"
            ) from error
        self._conn = conn

    def deliver(self, recipient: str, message: bytes) -> None:
        """Hand one message over. RefusedError: it was not taken (the envelope or the content
        refused, or the connection lost before the content went); UnconfirmedError: the
        connection failed after the content began to go, so it may have been taken."""
        self.connect()
        conn = self._conn
        assert conn is not None
        try:
            code, reply = conn.mail(self.sender)
            if code == 250:
                code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                conn.rset()
                raise RefusedError(f"{code} {reply.decode(errors='replace')}")
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise RefusedError(f"SMTP envelope: {error}") from error
        try:
            code, reply = conn.data(message)
        except smtplib.SMTPDataError as error:  # DATA refused: nothing went
            raise RefusedError(f"{error.smtp_code} {error.smtp_error!r}") from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise UnconfirmedError(f"SMTP connection lost while sending: {error}") from error
        if code != 250:
            raise RefusedError(f"{code} {reply.decode(errors='replace')}")

    def close(self) -> None:
        """Say goodbye (or just drop a broken connection)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()


def _login(conn: smtplib.SMTP, user: str, password: str) -> None:
    """Log in: smtplib's choice of mechanism for ASCII credentials; else AUTH PLAIN in UTF-8
    (RFC 4616), which smtplib cannot send."""
    if (user + password).isascii():
        conn.login(user, password)
        return
    credentials = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = conn.docmd("AUTH", f"PLAIN {credentials}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


# A pass: every digest of a day ----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a pass did with one person's digest."""

    person: str  # the directory key
    outcome: str  # sent, already sent, unconfirmed, refused, gave up, not tried, ...
    items: int
    address: str | None = None
    message_id: str = ""
    subject: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        """For the CLI's output (empty fields left out)."""
        return {k: v for k, v in vars(self).items() if v not in ("", None)}


# What a sending found recorded already, as the pass reports it.
_HELD = {SENT: "already sent", FAILED: "gave up"}


class Reminders:
    """Sends the digests of a day: the worker at REMINDERS_AT, `ledger reminders send`."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Callable[[], datetime] = utc_now,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.calendar = calendar or vietnam()
        # Fault injection (crash tests): called once the intent is recorded, and once the
        # server accepted the message, before it is marked sent.
        self.after_claim: Callable[[], None] | None = None
        self.after_accepted: Callable[[], None] | None = None

    def send(
        self,
        day: date,
        dry_run: bool = False,
        unconfirmed: bool = False,
        stopping: threading.Event | None = None,
    ) -> list[Outcome]:
        """Every digest of `day`, each to its person at most once (`dry_run`: composed, not
        sent nor recorded; `unconfirmed`: those left unconfirmed are sent again)."""
        mailer = Mailer(self.settings)
        outcomes = []
        recorded = {row["person_id"]: row for row in sendings(self.db, day)}
        try:
            for digest in digests(self.db, day, self.calendar):
                if stopping is not None and stopping.is_set():
                    break
                row = recorded.get(digest.recipient.person_id)
                outcomes.append(self._one(digest, mailer, row, dry_run, unconfirmed))
        finally:
            mailer.close()
        return outcomes

    def _one(
        self,
        digest: Digest,
        mailer: Mailer,
        recorded: Row | None,
        dry_run: bool,
        unconfirmed: bool,
    ) -> Outcome:
        person = digest.recipient
        found = Outcome(person.key, "", len(digest.items), person.email)
        skipped = _skipped(digest, recorded, unconfirmed)
        if skipped:
            return _with(found, skipped)
        try:
            from web.reminder_mail import compose  # the pages' labels: loaded when mail is due

            message = compose(self.settings, digest, self.clock())
        except (ValueError, MessageError) as error:
            return _with(found, "bad address", detail=str(error))
        found = _with(found, "", message_id=str(message["Message-ID"]))
        if dry_run:
            return _with(found, "would send", subject=str(message["Subject"]))
        try:
            mailer.connect()
        except RefusedError as error:
            return _with(found, "not tried", detail=str(error))
        return self._deliver(digest, message, mailer, found, unconfirmed)

    def _deliver(
        self,
        digest: Digest,
        message: EmailMessage,
        mailer: Mailer,
        found: Outcome,
        unconfirmed: bool,
    ) -> Outcome:
        """Record the intent, hand the message over, mark it sent."""
        person = digest.recipient
        assert person.email is not None
        sending = Sending(
            digest.day,
            person.person_id,
            person.email,
            person.language,
            len(digest.items),
            found.message_id,
        )
        held = claim(self.db, sending, self.clock(), unconfirmed)
        if held is not None:
            return _with(found, _HELD.get(held, "unconfirmed"))
        if self.after_claim:
            self.after_claim()
        try:
            mailer.deliver(person.email, message.as_bytes())
        except RefusedError as error:
            mark_failed(self.db, digest.day, person.person_id, str(error))
            return _with(found, "refused", detail=str(error))
        except UnconfirmedError as error:
            log.error("reminder to %s of %s unconfirmed: %s", person.key, digest.day, error)
            return _with(found, "unconfirmed", detail=str(error))
        if self.after_accepted:
            self.after_accepted()
        mark_sent(self.db, digest.day, person.person_id, self.clock())
        return _with(found, "sent")


def _skipped(digest: Digest, recorded: Row | None, unconfirmed: bool) -> str | None:
    """Why a digest is not sent, without asking the SMTP server: the person's choice or
    address, or what the record of the day already says (which `claim` checks again)."""
    person = digest.recipient
    if person.opted_out:
        return "opted out"
    if not person.email:
        return "no address"
    if recorded is None:
        return None
    status = recorded["status"]
    if status == FAILED and recorded["attempts"] < MAX_ATTEMPTS:
        return None
    if status == SENDING and unconfirmed:
        return None
    return _HELD.get(status, "unconfirmed")


def _with(outcome: Outcome, what: str, **fields: str) -> Outcome:
    values = {**vars(outcome), **fields}
    if what:
        values["outcome"] = what
    return Outcome(**values)


# The worker's schedule ------------------------------------------------------------------------


def due_day(
    now: datetime,
    at: time,
    finished: date | None,
    retry_at: datetime | None,
    calendar: WorkingCalendar | None,
) -> date | None:
    """The day whose digests are due now: today in Vietnam (a working day of `calendar`,
    unless None: every day), from `at` on, until a pass of that day has `finished`; after a
    pass that left some undelivered, from `retry_at`."""
    local = now.astimezone(VIETNAM_TZ)
    day = local.date()
    if local.time() < at or finished == day:
        return None
    if calendar is not None and not calendar.is_working_day(day):
        return None
    if retry_at is not None and now < retry_at:
        return None
    return day


class ReminderDuty:
    """The worker's part (after each catch-up, so the views are current): at REMINDERS_AT on
    each working day (REMINDERS_DAYS=all: every day), a pass in a thread of its own, so the
    views keep up meanwhile. A
    restarted worker runs the day's pass again: what was sent, or recorded as being sent, is
    not sent again."""

    def __init__(
        self,
        reminders: Reminders,
        at: time,
        every_day: bool = False,
        clock: Callable[[], datetime] = utc_now,
        retry_after: float = RETRY_AFTER,
        ready: Callable[[], bool] = lambda: True,
    ) -> None:
        self.reminders = reminders
        self.ready = ready  # the views are current (none of them being rebuilt)
        self.at = at
        self.calendar = None if every_day else reminders.calendar
        self.clock = clock
        self.retry_after = retry_after
        self.finished: date | None = None
        self.retry_at: datetime | None = None
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self) -> None:
        """Start the day's pass if it is due and none is running."""
        if self._thread is not None and self._thread.is_alive():
            return
        day = due_day(self.clock(), self.at, self.finished, self.retry_at, self.calendar)
        if day is None or self.stopping.is_set() or not self.ready():
            return
        self._thread = threading.Thread(
            target=self._pass, args=(day,), name="ledger-reminders", daemon=True
        )
        self._thread.start()

    def _pass(self, day: date) -> None:
        try:
            outcomes = self.reminders.send(day, stopping=self.stopping)
        except Exception:
            log.exception("reminders of %s failed; retrying in %.0f s", day, self.retry_after)
            self.retry_at = self.clock() + timedelta(seconds=self.retry_after)
            return
        finally:
            self.reminders.db.close()  # this thread's connection
        counts = Counter(o.outcome for o in outcomes)
        log.info("reminders of %s: %s", day, dict(sorted(counts.items())))
        for outcome in outcomes:
            if outcome.outcome in RETRYABLE | {"unconfirmed", "gave up", "bad address"}:
                log.warning(
                    "reminder to %s: %s %s", outcome.person, outcome.outcome, outcome.detail
                )
        if self.stopping.is_set():
            return
        if RETRYABLE & set(counts):
            self.retry_at = self.clock() + timedelta(seconds=self.retry_after)
        else:
            self.finished = day

    def stop(self, timeout: float = SMTP_TIMEOUT) -> None:
        """Let a pass finish the digest it is sending, then return."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)


def reminder_duty(settings: Settings) -> ReminderDuty | None:
    """The worker's reminders (REMINDERS_AT), on a database of their own; None when off."""
    if settings.reminders_at is None:
        return None
    db = Database(settings.storage)
    return ReminderDuty(
        Reminders(settings, db),
        settings.reminders_at,
        every_day=settings.reminders_days == "all",
        # not from views a rebuild is writing (a part of the log): after it, that day
        ready=lambda: not rebuilding(db),
    )


def chained(*duties: Callable[[], object] | None) -> Callable[[], object] | None:
    """The worker's duties after each catch-up, one after the other (None: none)."""
    present = [duty for duty in duties if duty is not None]
    if not present:
        return None

    def run() -> None:
        for duty in present:
            duty()

    return run
