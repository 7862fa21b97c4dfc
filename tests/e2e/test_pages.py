"""The pages through Flask's test client: sessions, CSRF, redirects, errors, language, forms."""

from __future__ import annotations

import csv
import html
import io
import re
import time
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_http_api import Driver
from tests.factories import oid, proposal
from web.pages import views

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: FlaskClient, path: str = "/sign-in") -> str:
    found = CSRF.search(client.get(path).get_data(as_text=True))
    assert found is not None
    return found.group(1)


def signed_in(client: FlaskClient, web_app: Flask, key: str) -> None:
    from web.auth import issue_token

    token = issue_token(web_app.extensions["ledger.settings"], key)
    answer = client.post("/sign-in", data={"token": token, "csrf_token": csrf_of(client)})
    assert answer.status_code == 302


def in_session(client: FlaskClient, web_app: Flask, key: str) -> None:
    """Signed in as `key`, in a session that serves the pages."""
    signed_in(client, web_app, key)
    assert client.get("/inbox").status_code == 200


def sent_to_sign_in(client: FlaskClient) -> str:
    """The sign-in page a request for a page is sent to once the session has ended."""
    answer = client.get("/inbox")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/sign-in")
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def drafted(client: FlaskClient, token: str) -> str:
    """Open a draft through the page; its address."""
    answer = client.post(
        "/initiatives/new",
        data={
            "csrf_token": token,
            "title": "Một cửa điện tử",
            "employing_organisation_id": str(oid("ben-thanh-ubnd")),
        },
    )
    assert answer.status_code == 302
    return str(answer.headers["Location"])


def test_pages_send_those_without_a_session_to_sign_in(client: FlaskClient) -> None:
    answer = client.get("/initiatives?status=draft")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/sign-in?next=/initiatives?status%3Ddraft"


def test_a_token_signs_in_and_returns_to_the_page_asked_for(
    client: FlaskClient, web_app: Flask
) -> None:
    from web.auth import issue_token

    token = issue_token(web_app.extensions["ledger.settings"], "chu-tich")
    answer = client.post(
        "/sign-in?next=/inbox", data={"token": token, "csrf_token": csrf_of(client)}
    )
    assert answer.headers["Location"] == "/inbox"
    page = client.get("/inbox").get_data(as_text=True)
    assert "Nguyễn Thị Hồng" in page  # the header names who is signed in
    assert "Đề xuất chờ quyết định" in page


def test_a_bad_token_is_refused_with_a_reason_and_no_session(client: FlaskClient) -> None:
    answer = client.post("/sign-in", data={"token": "not.a.jwt", "csrf_token": csrf_of(client)})
    assert answer.status_code == 401
    assert "Không đăng nhập được" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_the_picker_is_off_outside_development(client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Chọn người dùng" not in page
    answer = client.post(
        "/sign-in", data={"person": str(oid("ben-thanh-ubnd")), "csrf_token": csrf_of(client)}
    )
    assert answer.status_code == 401


def test_a_post_without_the_csrf_token_is_refused(client: FlaskClient, web_app: Flask) -> None:
    signed_in(client, web_app, "chu-tich")
    answer = client.post("/sign-out")
    assert answer.status_code == 400
    assert answer.mimetype == "text/html"
    assert "CSRF" in answer.get_data(as_text=True)
    assert client.get("/inbox").status_code == 200  # still signed in


def test_an_expired_session_signs_out_with_a_notice(client: FlaskClient, web_app: Flask) -> None:
    signed_in(client, web_app, "chu-tich")
    ttl = web_app.extensions["ledger.settings"].session_ttl
    with client.session_transaction() as session:
        session["since"] = time.time() - ttl - 1
    assert "Phiên làm việc đã hết hạn" in sent_to_sign_in(client)


def test_sign_in_never_redirects_off_site(client: FlaskClient, web_app: Flask) -> None:
    from web.auth import issue_token

    token = issue_token(web_app.extensions["ledger.settings"], "chu-tich")
    for target in ("//evil.example/", "https://evil.example/", "javascript:alert(1)"):
        answer = client.post(
            f"/sign-in?next={target}", data={"token": token, "csrf_token": csrf_of(client)}
        )
        assert answer.headers["Location"] == "/"


def test_the_session_cookie_is_http_only_and_same_site(
    client: FlaskClient, web_app: Flask
) -> None:
    from web.auth import issue_token

    token = issue_token(web_app.extensions["ledger.settings"], "chu-tich")
    answer = client.post("/sign-in", data={"token": token, "csrf_token": csrf_of(client)})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie  # outside development (a JWT secret is configured)


def test_pages_run_no_script_and_load_nothing_from_elsewhere(client: FlaskClient) -> None:
    answer = client.get("/sign-in")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src" not in policy
    assert "default-src 'none'" in policy
    assert "<script" not in answer.get_data(as_text=True)


def test_a_command_with_missing_fields_shows_the_messages_next_to_them(
    client: FlaskClient, web_app: Flask
) -> None:
    signed_in(client, web_app, "can-bo")
    token = csrf_of(client, "/initiatives/new")
    page_url = drafted(client, token)
    answer = client.post(
        f"{page_url}/do/submit", data={"csrf_token": token, "necessity": "Cần thiết"}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert '<details id="form-submit" open>' in page
    assert re.search(r'id="submit-f-purpose-err">Bắt buộc nhập\.</p>', page)
    assert "submit-f-necessity-err" not in page
    assert "Cần thiết</textarea>" in page  # what was typed is kept


def test_a_command_the_rules_refuse_says_why(client: FlaskClient, web_app: Flask) -> None:
    signed_in(client, web_app, "can-bo")
    token = csrf_of(client, "/initiatives/new")
    created = drafted(client, token)
    answer = client.post(
        f"{created}/do/receive",
        data={"csrf_token": token, "receipt_date": "2026-03-02", "incoming_number": "1/VP"},
    )
    assert answer.status_code == 409
    assert "Đề xuất chưa được nộp" in answer.get_data(as_text=True)  # the page's language
    assert "the initiative has not been submitted" not in answer.get_data(as_text=True)
    assert client.post(f"{created}/do/no-such", data={"csrf_token": token}).status_code == 404
    client.post("/language", data={"lang": "en", "next": "/inbox", "csrf_token": token})
    answer = client.post(
        f"{created}/do/receive",
        data={"csrf_token": token, "receipt_date": "2026-03-02", "incoming_number": "1/VP"},
    )
    assert "the initiative has not been submitted" in answer.get_data(as_text=True)


def test_english_is_a_switch_away_and_dates_stay_day_first(
    client: FlaskClient, web_app: Flask
) -> None:
    signed_in(client, web_app, "chu-tich")
    answer = client.post(
        "/language", data={"lang": "en", "next": "/inbox", "csrf_token": csrf_of(client, "/inbox")}
    )
    assert answer.headers["Location"] == "/inbox"
    page = client.get("/inbox").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Proposals awaiting a decision" in page


def test_number_and_money_formats_follow_the_language(web_app: Flask) -> None:
    from flask_babel import force_locale

    from web.pages.filters import day, money, number

    with web_app.test_request_context():
        assert number(1234567) == "1.234.567"
        assert money(2500000) == "2.500.000\xa0₫"
        with force_locale("en"):
            assert number(1234567) == "1,234,567"
        assert day("2026-03-02") == "02/03/2026"
        assert day("2026-03-01T20:30:00+00:00") == "02/03/2026"  # Vietnam is UTC+7


def test_a_clock_never_shows_a_negative_count_of_days(web_app: Flask) -> None:
    from flask_babel import force_locale

    from web.pages.filters import days_left

    with web_app.test_request_context():
        assert [days_left(n) for n in (-305, 0, 3, None)] == [
            "Quá hạn 305 ngày làm việc",
            "Còn 0 ngày làm việc",
            "Còn 3 ngày làm việc",
            "—",
        ]
        with force_locale("en"):
            assert days_left(-1234) == "1,234 working days overdue"


def test_every_page_of_a_development_instance_says_so(client: FlaskClient, web_app: Flask) -> None:
    assert not web_app.extensions["ledger.settings"].production
    for path in ("/sign-in", "/ledger"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert 'id="development"' in page
        assert "Môi trường thử nghiệm (development): không dùng cho hồ sơ thật." in page


@pytest.mark.attack(8)
@pytest.mark.usefixtures("oversight")
def test_a_full_verification_is_for_inspectors_and_the_ledger_page_shows_its_result(
    client: FlaskClient, web_app: Flask
) -> None:
    signed_in(client, web_app, "can-bo")
    refused = client.post("/ledger", data={"csrf_token": csrf_of(client, "/ledger")})
    assert refused.status_code == 403
    assert "chỉ dành cho thanh tra viên, kiểm tra viên và người quản trị" in refused.get_data(
        as_text=True
    )  # the page's language
    client.post("/sign-out", data={"csrf_token": csrf_of(client, "/ledger")})
    signed_in(client, web_app, "kiem-tra")
    done = client.post("/ledger", data={"csrf_token": csrf_of(client, "/ledger")})
    assert done.status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_of(client, "/ledger")})
    signed_in(client, web_app, "can-bo")  # anyone reads the result (it once answered 500)
    page = client.get("/ledger")
    assert page.status_code == 200
    assert "toàn vẹn" in page.get_data(as_text=True)


@pytest.mark.attack(11)
def test_a_session_signed_out_is_dead_even_if_its_cookie_is_replayed(
    client: FlaskClient, web_app: Flask
) -> None:
    in_session(client, web_app, "chu-tich")
    with client.session_transaction() as session:
        stolen = dict(session)
    client.post("/sign-out", data={"csrf_token": csrf_of(client, "/inbox")})
    with client.session_transaction() as session:
        session.update(stolen)  # the old cookie, replayed
    sent_to_sign_in(client)


@pytest.mark.attack(11)
def test_a_change_of_positions_ends_the_persons_sessions(
    client: FlaskClient, web_app: Flask
) -> None:
    from tests.factories import ward_directory

    in_session(client, web_app, "pho-1")
    ward = ward_directory()
    ward["positions"][1]["valid_to"] = date(2026, 12, 31)  # the deputy's term gets an end
    web_app.extensions["ledger.service"].get().import_directory(ward, "test")
    page = sent_to_sign_in(client)
    assert "Phiên làm việc đã kết thúc vì chức vụ của bạn vừa thay đổi" in page


def reading(client: FlaskClient, position: int) -> None:
    """The session's pages read the views once they hold `position`."""
    with client.session_transaction() as session:
        session["seen"] = position


def cells(page: str, kind: str) -> list[str]:
    """The texts of the cells of a kind (`waiting-for`, `next-actor`) on a page."""
    return [html.unescape(t) for t in re.findall(rf'<td class="{kind}">([^<]*)</td>', page)]


def test_the_inbox_and_my_record_say_what_each_waits_for_and_who_must_act(
    http: Driver, client: FlaskClient, web_app: Flask
) -> None:
    http.to_review()  # submitted by the cadre, received by the clerk on Monday 02/03/2026
    position = client.get("/api/health").get_json()["log_position"]
    in_session(client, web_app, "chu-tich")
    reading(client, position)
    inbox = client.get("/inbox").get_data(as_text=True)
    assert cells(inbox, "waiting-for") == ["Chờ ý kiến cấp ủy"]
    assert cells(inbox, "next-actor") == [
        "Cấp ủy viên / Người đứng đầu / Cấp phó — Đảng ủy phường Bến Thành"
    ]
    in_session(client, web_app, "can-bo")
    reading(client, position)
    mine = client.get("/me").get_data(as_text=True)
    clocks = mine[
        mine.index('<table id="clocks">') : mine.index("</table>", mine.index('id="clocks"'))
    ]
    assert "Quyết định chủ trương (7 ngày làm việc)" in clocks
    assert "11/03/2026" in clocks
    assert "Còn 7 ngày làm việc" in clocks
    assert cells(clocks, "waiting-for") == ["Chờ ý kiến cấp ủy"]
    assert cells(clocks, "next-actor") == [
        "Cấp ủy viên / Người đứng đầu / Cấp phó — Đảng ủy phường Bến Thành"
    ]
    client.post(
        "/language", data={"lang": "en", "next": "/me", "csrf_token": csrf_of(client, "/me")}
    )
    english = client.get("/me").get_data(as_text=True)
    assert cells(english, "waiting-for") == ["Waiting for the party committee's opinion"]
    assert cells(english, "next-actor") == [
        "Party committee member / Head / Deputy — Đảng ủy phường Bến Thành"
    ]
    asked = http.post(
        "request-clarification",
        "chu-tich",
        {"items": ["Làm rõ nguồn kinh phí"], "due_date": "2026-03-09"},
    )
    reading(client, asked["position"])
    mine = client.get("/me").get_data(as_text=True)
    assert cells(mine, "waiting-for") == ["Clarification requested from the proposer"]
    assert cells(mine, "next-actor") == ["Proposers: Phạm Đức Dũng"]


def test_my_record_without_running_clocks_says_so(client: FlaskClient, web_app: Flask) -> None:
    in_session(client, web_app, "pho-2")
    assert "Không có thời hạn nào đang tính." in client.get("/me").get_data(as_text=True)


def test_a_list_page_with_a_cursor_it_did_not_issue_says_so_in_vietnamese(
    client: FlaskClient, web_app: Flask
) -> None:
    in_session(client, web_app, "chu-tich")
    answer = client.get("/initiatives?cursor=zzz")
    assert answer.status_code == 422
    page = html.unescape(re.sub(r"\s+", " ", answer.get_data(as_text=True)))
    assert "con trỏ trang không phải do hệ thống này cấp" in page
    assert "the cursor is not one this service issued" not in page


def test_the_home_page_shows_the_clocks_of_its_organisation_and_those_under_it(
    client: FlaskClient, web_app: Flask, auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read by the database for the organisation and those under it (not the whole
    province's clocks filtered in Python): the ward's head sees the ward's, the city's head the
    city's and the ward's."""
    ward = Driver(client, auth)
    ward.draft(title="Sáng kiến của phường")
    ward.post("submit", "can-bo", proposal())
    city = Driver(client, auth)
    city.draft(
        "tp-pho", title="Sáng kiến của thành phố", employing_organisation_id=str(oid("hcm-ubnd"))
    )
    city.post("submit", "tp-pho", proposal())
    position = web_app.extensions["ledger.service"].get().last_position()
    assert client.get(f"/api/v1/initiatives?min_position={position}", headers=auth("can-bo"))

    def home(key: str) -> str:
        signed_in(client, web_app, key)
        answer = client.get("/")
        assert answer.status_code == 200
        return html.unescape(answer.get_data(as_text=True))

    shown = home("chu-tich")
    assert "Sáng kiến của phường" in shown
    assert "Sáng kiến của thành phố" not in shown
    shown = home("tp-chu-tich")
    assert "Sáng kiến của phường" in shown
    assert "Sáng kiến của thành phố" in shown
    assert 'id="clocks-shown"' not in shown
    # At most SHOWN rows of each list, the earliest first, and how many there are.
    monkeypatch.setattr(views, "SHOWN", 1)
    shown = home("tp-chu-tich")
    assert ("Sáng kiến của phường" in shown) != ("Sáng kiến của thành phố" in shown)
    hint = re.search(r'<p class="hint" id="clocks-shown">([^<]*)</p>', shown)
    assert hint is not None
    assert hint.group(1) == (
        "Hiển thị 0 trên 0 thời hạn trễ và 1 trên 2 thời hạn đang tính, sớm nhất trước;"
        " tải về để xem tất cả."
    )
    assert re.search(r'id="missed">0<', shown)
    # A download of the list holds every row; beyond EXPORT_LIMIT it is refused, in words.
    downloaded = client.get("/?export=csv&table=running").get_data().decode("utf-8")
    _header, *rows = csv.reader(io.StringIO(downloaded.removeprefix("\ufeff")))
    assert len(rows) == 2
    assert {"Sáng kiến của phường", "Sáng kiến của thành phố"} <= {v for row in rows for v in row}
    monkeypatch.setattr(views, "EXPORT_LIMIT", 1)
    refused = client.get("/?export=csv&table=running")
    assert refused.status_code == 422
    assert "Danh sách có hơn 1 dòng: hãy chọn một đơn vị trực thuộc để tải xuống" in html.unescape(
        refused.get_data(as_text=True)
    )
    assert client.get("/?export=csv&table=missed").status_code == 200  # none missed
    # Both are due within 2 working days: both at risk, counted (not read off the row shown).
    assert [row[_header.index("Số ngày làm việc còn lại")] for row in rows] == ["2", "2"]
    shown = home("tp-chu-tich")
    assert re.search(r'id="at-risk">2<', shown)
    # The day after they were due: missed, none at risk.
    (due_on,) = {row[_header.index("Hạn")] for row in rows}
    after = datetime.strptime(due_on, "%d/%m/%Y").date() + timedelta(days=1)
    monkeypatch.setattr(views, "today", lambda: after)
    shown = home("tp-chu-tich")
    assert re.search(r'id="at-risk">0<', shown)
    assert re.search(r'id="missed">2<', shown)
