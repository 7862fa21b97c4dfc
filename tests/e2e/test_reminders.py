"""The daily reminders against a real SMTP server (aiosmtpd, `tests/smtp_server.py`, in a
process of its own): who gets which digest, in which language, with which words; each person's
at most once a day, through a sender's crash, a server that refuses, cannot be reached or is
lost mid-message, two senders at once; people who opted out; STARTTLS with a login; and the
worker sending them at REMINDERS_AT."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner, Result

from domain.application import LedgerApplication
from domain.values import local_date, utc_now
from projections.db import Database
from projections.reminders import sendings
from projections.storage import Storage
from projections.worker import Worker
from tests.concurrency import AtOnce
from tests.conftest import PG_URL
from tests.e2e.crashing_reminders import CRASHED
from tests.e2e.test_processes import free_port
from tests.factories import Clock, Scenario, pid, ward_directory
from tests.mailbox import SmtpServer, certificate, received, smtp_server, to
from web.cli import main
from web.config import Settings
from web.reminders import Reminders

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-03-02"  # the factories' NOW: a Monday
SENDER = "no-reply@ben-thanh.gov.vn"
FROM = f'"Sổ đề xuất đổi mới, sáng tạo" <{SENDER}>'
PAGES = "https://so-sang-kien.ben-thanh.gov.vn"
# The clerk (van-thu) has no address in the directory.
ADDRESSES = {
    "chu-tich": "hong.nt@ben-thanh.gov.vn",
    "pho-1": "binh.tv@ben-thanh.gov.vn",
    "pho-2": "chau.lm@ben-thanh.gov.vn",
    "can-bo": "dung.pd@ben-thanh.gov.vn",
}


def url_of(storage: Storage) -> str:
    return f"sqlite:///{storage.sqlite_path}" if storage.kind == "sqlite" else PG_URL


@pytest.fixture(scope="module")
def module_mailbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="module")
def module_smtp(module_mailbox: Path) -> Iterator[SmtpServer]:
    """One SMTP server for the module's tests (a process each cost ~0.2 s of CPU)."""
    with smtp_server(module_mailbox) as server:
        yield server


@pytest.fixture
def mailbox(module_mailbox: Path) -> Path:
    """Where the SMTP servers of a test keep what they accept: emptied before each test (a
    message is written before the server acknowledges it, so none is still arriving)."""
    for kept in module_mailbox.iterdir():
        kept.unlink()
    return module_mailbox


@pytest.fixture
def smtp(module_smtp: SmtpServer, mailbox: Path) -> SmtpServer:
    """The module's SMTP server, its mailbox empty."""
    return module_smtp


def with_addresses(app: LedgerApplication) -> None:
    """The ward's directory again, now with the addresses of ADDRESSES."""
    directory = ward_directory()
    for person in directory["people"]:
        if person["key"] in ADDRESSES:
            person["email"] = ADDRESSES[person["key"]]
    report = app.import_directory(directory, "test: addresses")
    assert (report["people_changed"], report["events"]) == (4, 4)


@pytest.fixture
def proposal(stored_app: LedgerApplication, clock: Clock, db: Database) -> str:
    """A proposal submitted to the ward on DAY (its receipt due in 2 working days), the
    directory with addresses, and the views up to date: the id of the initiative."""
    with_addresses(stored_app)
    scenario = Scenario(stored_app, clock)
    scenario.draft()
    scenario.submit()
    Worker(stored_app, db).catch_up()
    return str(scenario.id)


@pytest.fixture
def env(
    storage: Storage, smtp: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The environment of a `ledger` command on the test's store and SMTP server."""
    values = {
        "DATABASE_URL": url_of(storage),
        "DATABASE_SCHEMA": storage.schema,
        "DEV_SECRET_FILE": str(tmp_path / "secret"),
        "LEDGER_KEY_FILE": str(tmp_path / "no-ledger-key"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_FROM": FROM,
        "PAGES_URL": PAGES,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JWT_SECRET", raising=False)
    return values


UseSmtp = Callable[[int | None], None]


@pytest.fixture
def use_smtp(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> UseSmtp:
    """Point the `ledger` commands at the SMTP server on a port (one that refuses, dies, or
    nobody listens on), or, given None, back at the test's own, which takes every message."""

    def point_at(port: int | None) -> None:
        monkeypatch.setenv("SMTP_PORT", env["SMTP_PORT"] if port is None else str(port))

    return point_at


def ledger(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def send(*options: str) -> list[dict[str, Any]]:
    """`ledger reminders send --on DAY`: its lines of outcome (exit code not checked)."""
    result = ledger("reminders", "send", "--on", DAY, *options)
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def outcomes(lines: list[dict[str, Any]]) -> dict[str, str]:
    return {line["person"]: line["outcome"] for line in lines}


def message_id(key: str, day: str = DAY) -> str:
    return f"<reminder.daily.{day}.{pid(key)}@ben-thanh.gov.vn>"


def vietnamese_digest(initiative: str) -> str:
    page = f"{PAGES}/initiatives/{initiative}"
    return (
        "Kính gửi ông/bà Nguyễn Thị Hồng,\n"
        "\n"
        "Sau đây là những việc đang chờ ông/bà xử lý ngày 02/03/2026.\n"
        "\n"
        "THỜI HẠN SẮP ĐẾN HOẶC ĐÃ QUÁ (1)\n"
        "- Một cửa điện tử (Ủy ban nhân dân phường Bến Thành)\n"
        "  Vào sổ đề xuất (2 ngày làm việc): hạn 04/03/2026, còn 2 ngày làm việc\n"
        f"  Xem: {page}\n"
        "\n"
        "ĐỀ XUẤT CHỜ XỬ LÝ (1)\n"
        "- Một cửa điện tử (Ủy ban nhân dân phường Bến Thành)\n"
        "  Đã nộp\n"
        f"  Xem: {page}\n"
        f"Hộp đề xuất: {PAGES}/inbox\n"
        "\n"
        "-- \n"
        "Thư tự động của Sổ đề xuất đổi mới, sáng tạo, xin đừng trả lời thư này. Muốn nhận"
        " thư bằng tiếng Anh, hoặc không nhận nữa, xin báo quản trị hệ thống.\n"
    )


def english_digest(initiative: str) -> str:
    page = f"{PAGES}/initiatives/{initiative}"
    return (
        "Dear Lê Minh Châu,\n"
        "\n"
        "Here is what awaits your action on 2 Mar 2026.\n"
        "\n"
        "DEADLINES DUE SOON OR MISSED (1)\n"
        "- Một cửa điện tử (Ủy ban nhân dân phường Bến Thành)\n"
        "  Logging the proposal in (2 working days): due 4 Mar 2026, 2 working days left\n"
        f"  Open: {page}\n"
        "\n"
        "PROPOSALS AWAITING A DECISION (1)\n"
        "- Một cửa điện tử (Ủy ban nhân dân phường Bến Thành)\n"
        "  Submitted\n"
        f"  Open: {page}\n"
        f"Inbox: {PAGES}/inbox\n"
        "\n"
        "-- \n"
        "An automatic message of the Initiative ledger; please do not reply. To receive it in"
        " Vietnamese, or no longer receive it, ask the service's administrator.\n"
    )


def choose(*options: str) -> dict[str, Any]:
    result = ledger("reminders", "prefer", *options)
    assert result.exit_code == 0, result.output
    return cast(dict[str, Any], json.loads(result.output))


# --- who gets what -------------------------------------------------------------------------


def test_each_person_who_must_act_gets_their_digest_in_their_language_once(
    env: dict[str, str], proposal: str, mailbox: Path
) -> None:
    assert choose("--person", "pho-1", "--opt-out") == {
        "person": "pho-1",
        "language": "vi",
        "opted_out": True,
    }
    assert choose("--person", "pho-2", "--language", "en")["language"] == "en"

    result = ledger("reminders", "send", "--on", DAY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        json.dumps(line, ensure_ascii=False)
        for line in (
            {
                "person": "chu-tich",
                "outcome": "sent",
                "items": 2,
                "address": ADDRESSES["chu-tich"],
                "message_id": message_id("chu-tich"),
            },
            {"person": "pho-1", "outcome": "opted out", "items": 2, "address": ADDRESSES["pho-1"]},
            {
                "person": "pho-2",
                "outcome": "sent",
                "items": 2,
                "address": ADDRESSES["pho-2"],
                "message_id": message_id("pho-2"),
            },
            {"person": "van-thu", "outcome": "no address", "items": 2},
        )
    ] + ["reminders of 2026-03-02: 1 no address, 1 opted out, 2 sent"]

    vietnamese, english = received(mailbox)
    assert vietnamese.envelope == {
        "mail_from": SENDER,
        "rcpt_tos": [ADDRESSES["chu-tich"]],
        "login": None,
        "tls": False,
    }
    assert english.to == [ADDRESSES["pho-2"]]
    first = vietnamese.message
    (sender,) = first["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Sổ đề xuất đổi mới, sáng tạo", SENDER)
    assert (first["To"], first["Subject"]) == (
        f"Nguyễn Thị Hồng <{ADDRESSES['chu-tich']}>",
        "[Sổ đề xuất đổi mới, sáng tạo] 2 việc cần xử lý ngày 02/03/2026",
    )
    assert (first["Message-ID"], first["Content-Language"], first["Auto-Submitted"]) == (
        message_id("chu-tich"),
        "vi",
        "auto-generated",
    )
    assert first.get_content_type() == "text/plain"
    # (the lines end as SMTP carries them, CRLF)
    assert first.get_content() == vietnamese_digest(proposal).replace("\n", "\r\n")
    second = english.message
    assert (second["To"], second["Subject"], second["Content-Language"]) == (
        f"Lê Minh Châu <{ADDRESSES['pho-2']}>",
        "[Initiative ledger] 2 items to act on, 2 Mar 2026",
        "en",
    )
    assert second.get_content() == english_digest(proposal).replace("\n", "\r\n")

    # Again: nothing is sent twice (the server writes a message before it answers 250).
    assert outcomes(send()) == {
        "chu-tich": "already sent",
        "pho-1": "opted out",
        "pho-2": "already sent",
        "van-thu": "no address",
    }
    assert to(mailbox) == {ADDRESSES["chu-tich"]: 1, ADDRESSES["pho-2"]: 1}

    # Opted in again, pho-1 gets the day's digest; the record says who got what, and when.
    assert choose("--person", "pho-1", "--opt-in")["opted_out"] is False
    assert outcomes(send())["pho-1"] == "sent"
    status = ledger("reminders", "status", "--on", DAY)
    rows = [json.loads(line) for line in status.output.splitlines()[:-1]]
    assert [(r["key"], r["address"], r["language"], r["items"], r["status"]) for r in rows] == [
        ("chu-tich", ADDRESSES["chu-tich"], "vi", 2, "sent"),
        ("pho-1", ADDRESSES["pho-1"], "vi", 2, "sent"),
        ("pho-2", ADDRESSES["pho-2"], "en", 2, "sent"),
    ]
    assert [r["message_id"] for r in rows] == [
        message_id(k) for k in ("chu-tich", "pho-1", "pho-2")
    ]
    assert all(r["sent_at"] >= r["claimed_at"] for r in rows)
    assert status.output.splitlines()[-1] == "reminders of 2026-03-02: 3 recorded"


def test_a_dry_run_sends_and_records_nothing(
    env: dict[str, str], proposal: str, mailbox: Path, db: Database
) -> None:
    result = ledger("reminders", "send", "--on", DAY, "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()[:-1]]
    assert [(line["person"], line["outcome"], line.get("subject")) for line in lines] == [
        (
            "chu-tich",
            "would send",
            "[Sổ đề xuất đổi mới, sáng tạo] 2 việc cần xử lý ngày 02/03/2026",
        ),
        ("pho-1", "would send", "[Sổ đề xuất đổi mới, sáng tạo] 2 việc cần xử lý ngày 02/03/2026"),
        ("pho-2", "would send", "[Sổ đề xuất đổi mới, sáng tạo] 2 việc cần xử lý ngày 02/03/2026"),
        ("van-thu", "no address", None),
    ]
    assert list(mailbox.glob("*.eml")) == []
    assert sendings(db, dt.date(2026, 3, 2)) == []


def test_choices_are_for_people_of_the_directory(env: dict[str, str], proposal: str) -> None:
    unknown = ledger("reminders", "prefer", "--person", "nobody", "--opt-out")
    assert unknown.exit_code == 1
    assert "no person with key 'nobody'" in unknown.output
    assert ledger("reminders", "prefer", "--person", "pho-1").exit_code == 2
    assert ledger("reminders", "prefer", "--person", "pho-1", "--language", "fr").exit_code == 2


# --- at most once -------------------------------------------------------------------------------


@pytest.mark.parametrize("point", ["claim", "accepted"])
def test_a_sender_that_dies_mid_sending_never_sends_that_digest_twice(
    env: dict[str, str], proposal: str, mailbox: Path, db: Database, point: str
) -> None:
    """Killed after recording its intent (`claim`) or after the server accepted the message
    but before marking it sent (`accepted`): the next passes do not send that digest again
    (at most once), send the others, and `--retry-unconfirmed` sends it with its Message-ID."""
    crash = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "e2e" / "crashing_reminders.py"), DAY, point],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crash.returncode == CRASHED, crash.stderr
    delivered = {ADDRESSES["chu-tich"]: 1} if point == "accepted" else {}
    assert to(mailbox) == delivered
    (row,) = sendings(db, dt.date(2026, 3, 2))
    assert (row["key"], row["status"], row["sent_at"]) == ("chu-tich", "sending", None)

    result = ledger("reminders", "send", "--on", DAY)
    assert result.exit_code == 1
    assert "unconfirmed" in result.output.splitlines()[-1]
    assert outcomes(send()) == {
        "chu-tich": "unconfirmed",
        "pho-1": "already sent",
        "pho-2": "already sent",
        "van-thu": "no address",
    }
    assert to(mailbox) == {**delivered, ADDRESSES["pho-1"]: 1, ADDRESSES["pho-2"]: 1}

    # The operator, having read the SMTP server's log, sends the unconfirmed one again.
    assert outcomes(send("--retry-unconfirmed"))["chu-tich"] == "sent"
    copies = [r.message for r in received(mailbox) if r.to == [ADDRESSES["chu-tich"]]]
    assert len(copies) == len(delivered) + 1
    assert {m["Message-ID"] for m in copies} == {message_id("chu-tich")}
    assert {r["status"] for r in sendings(db, dt.date(2026, 3, 2))} == {"sent"}


def test_two_senders_at_once_send_each_digest_once(
    env: dict[str, str], proposal: str, mailbox: Path
) -> None:
    settings = Settings.load()
    found: list[str] = []

    def sender(_: int) -> None:
        db = Database(settings.storage)
        try:
            found.extend(o.outcome for o in Reminders(settings, db).send(dt.date(2026, 3, 2)))
        finally:
            db.close()

    AtOnce(sender, range(2)).join(timeout=60)
    assert to(mailbox) == {ADDRESSES[k]: 1 for k in ("chu-tich", "pho-1", "pho-2")}
    counts = Counter(found)
    assert counts["sent"] == 3
    assert counts["already sent"] + counts["unconfirmed"] == 3  # the other's, or in flight
    assert counts["no address"] == 2


# --- a server that refuses, cannot be reached, or is lost --------------------------------------


def test_an_unreachable_server_sends_and_records_nothing_until_it_answers(
    proposal: str, mailbox: Path, db: Database, use_smtp: UseSmtp
) -> None:
    use_smtp(free_port())  # nobody listens there
    result = ledger("reminders", "send", "--on", DAY)
    assert result.exit_code == 1
    assert outcomes(send()) == {
        "chu-tich": "not tried",
        "pho-1": "not tried",
        "pho-2": "not tried",
        "van-thu": "no address",
    }
    assert sendings(db, dt.date(2026, 3, 2)) == []
    use_smtp(None)
    assert Counter(outcomes(send()).values()) == {"sent": 3, "no address": 1}
    assert to(mailbox) == {ADDRESSES[k]: 1 for k in ("chu-tich", "pho-1", "pho-2")}

    # Once sent, the record answers: the server is not asked, down or not.
    use_smtp(free_port())
    again = ledger("reminders", "send", "--on", DAY)
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == "reminders of 2026-03-02: 3 already sent, 1 no address"


def test_a_refused_digest_is_offered_again_then_given_up(
    proposal: str, mailbox: Path, db: Database, tmp_path: Path, use_smtp: UseSmtp
) -> None:
    with smtp_server(mailbox, "--refuse", ADDRESSES["pho-2"]) as refusing:
        use_smtp(refusing.port)
        first = send()
        assert outcomes(first)["pho-2"] == "refused"
        assert [line["detail"] for line in first if line["person"] == "pho-2"] == [
            "550 5.1.1 no such mailbox here"
        ]
        assert outcomes(send())["pho-2"] == "refused"
    (row,) = [r for r in sendings(db, dt.date(2026, 3, 2)) if r["key"] == "pho-2"]
    assert (row["status"], row["attempts"], row["error"]) == (
        "failed",
        2,
        "550 5.1.1 no such mailbox here",
    )
    use_smtp(None)  # a server that takes it
    assert outcomes(send())["pho-2"] == "sent"
    assert to(mailbox) == {ADDRESSES[k]: 1 for k in ("chu-tich", "pho-1", "pho-2")}

    # Refused MAX_ATTEMPTS times in a day, a digest is given up for the day.
    other = "2026-03-03"
    with smtp_server(tmp_path / "refusing", "--refuse", ADDRESSES["pho-2"]) as refusing:
        use_smtp(refusing.port)
        tries = [outcomes(send_on(other))["pho-2"] for _ in range(4)]
    assert tries == ["refused", "refused", "refused", "gave up"]


def send_on(day: str) -> list[dict[str, Any]]:
    result = ledger("reminders", "send", "--on", day)
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_a_server_lost_after_taking_a_message_leaves_it_unconfirmed(
    proposal: str, mailbox: Path, db: Database, use_smtp: UseSmtp
) -> None:
    """The server keeps the message and dies before its answer: the sender cannot know, so it
    does not send that digest again; the digests after it wait for a server."""
    with smtp_server(mailbox, "--die-after-data") as dying:
        use_smtp(dying.port)
        assert outcomes(send()) == {
            "chu-tich": "unconfirmed",
            "pho-1": "not tried",
            "pho-2": "not tried",
            "van-thu": "no address",
        }
    assert to(mailbox) == {ADDRESSES["chu-tich"]: 1}
    use_smtp(None)
    assert outcomes(send()) == {
        "chu-tich": "unconfirmed",
        "pho-1": "sent",
        "pho-2": "sent",
        "van-thu": "no address",
    }
    assert to(mailbox) == {ADDRESSES[k]: 1 for k in ("chu-tich", "pho-1", "pho-2")}
    statuses = {r["key"]: r["status"] for r in sendings(db, dt.date(2026, 3, 2))}
    assert statuses == {"chu-tich": "sending", "pho-1": "sent", "pho-2": "sent"}


# --- STARTTLS and a login ------------------------------------------------------------------


def test_starttls_with_a_login_and_only_to_a_trusted_server(
    env: dict[str, str],
    proposal: str,
    mailbox: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, key = certificate(tmp_path)
    options = ("--tls", str(cert), str(key), "--login", "reminders", "mật-khẩu-thử")
    with smtp_server(mailbox, *options) as secure:
        for name, value in {
            "SMTP_PORT": str(secure.port),
            "SMTP_STARTTLS": "on",
            "SMTP_USER": "reminders",
            "SMTP_PASSWORD": "mật-khẩu-thử",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))  # trusts no one
        untrusted = send()
        assert {line["outcome"] for line in untrusted if "address" in line} == {"not tried"}
        assert "CERTIFICATE_VERIFY_FAILED" in untrusted[0]["detail"]
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        assert Counter(outcomes(send()).values()) == {"sent": 3, "no address": 1}
    envelopes = [r.envelope for r in received(mailbox)]
    assert [(e["login"], e["tls"]) for e in envelopes] == [("reminders", True)] * 3


def test_a_password_never_goes_without_starttls(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main,
        ["reminders", "send", "--dry-run"],
        env={"SMTP_USER": "reminders", "SMTP_PASSWORD": "x"},
    )
    assert result.exit_code == 1
    assert "SMTP_USER and SMTP_PASSWORD need SMTP_STARTTLS=on" in result.output


# --- the worker ------------------------------------------------------------------------------


def wait_for_line(path: Path, text: str, process: subprocess.Popen[bytes]) -> str:
    """The first line of the file `path` holding `text`, once the process wrote it."""
    deadline = time.monotonic() + 60
    while True:
        lines = [line for line in path.read_text().splitlines() if text in line]
        if lines:
            return lines[0]
        assert process.poll() is None, path.read_text()
        assert time.monotonic() < deadline, f"no {text!r} in:\n{path.read_text()}"
        time.sleep(0.05)


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`ledger worker` with the reminders due from midnight, every day."""
    settings = {**env, "REMINDERS_AT": "00:00", "REMINDERS_DAYS": "all"}
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "ledger"), "worker", "--poll", "0.05"],
            env={**os.environ, **settings, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)  # once: a second one could land as Python exits
        process.wait(timeout=30)


def test_the_worker_sends_the_days_digests_at_reminders_at_and_once(
    env: dict[str, str],
    stored_app: LedgerApplication,
    clock: Clock,
    mailbox: Path,
    tmp_path: Path,
) -> None:
    clock.now = utc_now()  # the worker's day is today in Vietnam
    with_addresses(stored_app)
    scenario = Scenario(stored_app, clock)
    scenario.draft()
    scenario.submit()
    today = local_date(clock.now)
    shown = f"{today.day:02d}/{today.month:02d}/{today.year}"
    with worker(env, tmp_path / "worker-1.log") as first:
        line = wait_for_line(tmp_path / "worker-1.log", f"reminders of {today}", first)
        assert "'sent': 3" in line
    assert first.returncode == 0  # stopped by SIGTERM, cleanly
    log = (tmp_path / "worker-1.log").read_text()
    assert "reminders every day at 00:00 Vietnam time" in log
    assert "worker stopped" in log
    messages = received(mailbox)
    assert sorted(r.to[0] for r in messages) == sorted(
        ADDRESSES[k] for k in ("chu-tich", "pho-1", "pho-2")
    )
    assert {str(r.message["Subject"]) for r in messages} == {
        f"[Sổ đề xuất đổi mới, sáng tạo] 2 việc cần xử lý ngày {shown}"
    }

    # Restarted the same day, the worker finds them sent.
    with worker(env, tmp_path / "worker-2.log") as second:
        line = wait_for_line(tmp_path / "worker-2.log", f"reminders of {today}", second)
        assert "'already sent': 3" in line
    assert len(received(mailbox)) == 3
