"""The inspection page for an organisation (with those under it) and a period: every table
filtered, the scope said in words, the downloads filtered the same way, and every unusable
filter a 422 page that says what to write instead."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from projections import queries
from tests.e2e.test_exports import rows_of
from tests.e2e.test_http_api import Driver, plain
from tests.e2e.test_pages import in_session
from tests.factories import Clock, oid, proposal, ward_directory
from tests.integration.test_tamper import wait_for
from web.schemas.directory import DirectoryFileSchema

WARD, CITY = str(oid("ben-thanh-ubnd")), str(oid("hcm-ubnd"))


@pytest.fixture
def submitted(client: FlaskClient, auth: Any, clock: Clock, web_app: Flask) -> dict[str, str]:
    """Two proposals nobody has received: the ward's, submitted on 02/03/2026, and the
    city's, on 11/05/2026. An inspector of the city is signed in to the pages."""
    ward = Driver(client, auth)
    ward.draft(title="Sổ tay điện tử của phường")
    ward.post("submit", "can-bo", proposal())
    clock.now = datetime(2026, 5, 11, 3, 0, tzinfo=UTC)
    city = Driver(client, auth)
    city.draft("tp-pho", title="Bản đồ số của thành phố", employing_organisation_id=CITY)
    city.post("submit", "tp-pho", proposal())
    log = client.get("/api/health").get_json()["log_position"]
    wait_for(client, lambda health: health["views_position"] >= log)
    in_session(client, web_app, "tp-chu-tich")
    return {"ward": ward.id, "city": city.id}


def unreceived(client: FlaskClient, query: str = "") -> list[str]:
    """The titles the page lists as submitted but never received, for `query`."""
    html = client.get(f"/inspection?{query}").get_data(as_text=True)
    section = html.split('id="unreceived"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a href="/initiatives/[^"]+">([^<]+)</a>', section)


def said(client: FlaskClient, query: str) -> str:
    """The sentence that says what the page shows."""
    html = client.get(f"/inspection?{query}").get_data(as_text=True)
    return re.sub(r"\s+", " ", html.split('<p id="scope-said">', 1)[1].split("</p>", 1)[0])


def test_the_page_is_filtered_by_organisation_with_those_under_it_and_by_period(
    client: FlaskClient, submitted: dict[str, str]
) -> None:
    both = ["Sổ tay điện tử của phường", "Bản đồ số của thành phố"]
    assert unreceived(client) == both
    assert said(client, "") == "Toàn bộ hệ thống, mọi thời điểm."
    assert unreceived(client, f"organisation={WARD}") == ["Sổ tay điện tử của phường"]
    assert unreceived(client, f"organisation={CITY}") == both, "the ward is under the city"
    assert said(client, f"organisation={WARD}") == (
        "Cơ quan: Ủy ban nhân dân phường Bến Thành và các đơn vị trực thuộc. "
    )
    assert unreceived(client, "period=2026-03") == ["Sổ tay điện tử của phường"]
    assert unreceived(client, "period=2026-Q2") == ["Bản đồ số của thành phố"]
    assert unreceived(client, "period=2026") == both
    assert unreceived(client, "period=2025") == []
    assert unreceived(client, "from=2026-03-03&to=2026-05-11") == ["Bản đồ số của thành phố"]
    assert unreceived(client, "from=2026-03-02&to=2026-03-02") == ["Sổ tay điện tử của phường"]
    assert unreceived(client, f"organisation={WARD}&period=2026-Q2") == []
    assert said(client, "period=2026-Q1") == (
        "Kỳ: từ 01/01/2026 đến 31/03/2026 — đề xuất có hoạt động trong kỳ, thời hạn đến hạn"
        " trong kỳ, lượt xem trong kỳ."
    )


def test_a_download_keeps_the_filters(client: FlaskClient, submitted: dict[str, str]) -> None:
    header, *rows = rows_of(
        client.get(f"/inspection?period=2026-03&organisation={CITY}&export=csv&table=unreceived")
    )
    assert [dict(zip(header, row, strict=True))["Mã đề xuất"] for row in rows] == [
        submitted["ward"]
    ]
    header, *rows = rows_of(client.get("/inspection?export=csv&table=unreceived"))
    assert len(rows) == 2


def test_initiatives_are_those_active_in_the_period(
    web_app: Flask, submitted: dict[str, str]
) -> None:
    """Created before the period ended and acted on since it began (Vietnam days)."""
    database = web_app.extensions["ledger.reads"].db

    def active(since: str | None, until: str | None) -> list[str]:
        found = queries.list_initiatives(
            database, {"active_since": since, "active_until": until}, "created_at", 10, None
        )
        return [row["id"] for row in found["items"]]

    # 02/03/2026 began at 17:00 UTC on 01/03; the ward's proposal was made at 03:00 UTC.
    assert active("2026-03-01T17:00:00+00:00", "2026-03-02T17:00:00+00:00") == [submitted["ward"]]
    assert active("2026-03-02T17:00:00+00:00", None) == [submitted["city"]]
    assert active(None, "2026-03-01T17:00:00+00:00") == []
    assert active(None, None) == [submitted["ward"], submitted["city"]]


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        (
            "period=2026-13",
            "Kỳ là một năm (2026), một nửa năm (2026-H1), một quý (2026-Q3) hoặc một tháng"
            " (2026-07), không phải '2026-13'",
        ),
        (
            "period=Q3",
            "Kỳ là một năm (2026), một nửa năm (2026-H1), một quý (2026-Q3) hoặc một tháng",
        ),
        ("from=31/03/2026", "phải là ngày, ví dụ 2025-07-31, không phải '31/03/2026'"),
        ("from=2026-05-01&to=2026-04-01", "Kỳ kết thúc (2026-04-01) trước khi bắt đầu"),
        ("period=2026&from=2026-01-01", "Chọn một kỳ hoặc khoảng ngày (từ, đến), không chọn"),
        ("organisation=ben-thanh", "Danh bạ không có cơ quan, đơn vị 'ben-thanh'"),
        (f"organisation={oid('nowhere')}", f"Danh bạ không có cơ quan, đơn vị '{oid('nowhere')}'"),
    ],
)
def test_an_unusable_filter_is_a_422_page_that_says_why(
    client: FlaskClient, web_app: Flask, query: str, detail: str
) -> None:
    in_session(client, web_app, "tp-chu-tich")
    answer = client.get(f"/inspection?{query}")
    assert answer.status_code == 422
    assert detail in answer.get_data(as_text=True).replace("&#39;", "'")


def test_meetings_without_a_quorum_are_flagged_and_exported(
    client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    """Two meetings of the ward on 02/03/2026, each with a quorum when recorded (more than
    half of the three eligible members): all three present, and two of them. The ward's
    working regulation is then entered in the directory, in force from 01/03/2026: every
    member. The second meeting lacks the quorum its day's rule requires, and is flagged; the
    first is not (the service now refuses such a meeting: the record may hold older ones)."""
    everyone = received(Driver(client, auth), "Một cửa số của phường")
    everyone.opinion_and_vote({"chu-tich": "for", "pho-1": "for", "pho-2": "for"})
    two = received(Driver(client, auth), "Tra cứu hồ sơ đất đai trực tuyến")
    two.opinion_and_vote({"chu-tich": "for", "pho-1": "for"})
    ward = next(o for o in ward_directory()["organisations"] if o["key"] == "ben-thanh-ubnd")
    rule = {"valid_from": "2026-03-01", "at_least": "1/1"}
    file = DirectoryFileSchema().load(plain({"organisations": [{**ward, "quorum": [rule]}]}))
    web_app.extensions["ledger.service"].get().import_directory(file, "test")
    log = client.get("/api/health").get_json()["log_position"]
    wait_for(client, lambda health: health["views_position"] >= log)
    in_session(client, web_app, "tp-chu-tich")

    html = client.get("/inspection").get_data(as_text=True)
    section = html.split('id="without-quorum">', 1)[1].split("</section>", 1)[0]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section)).strip().split(" Tải về")[0] == (
        "Họp tập thể lãnh đạo không đủ số thành viên tối thiểu (1) Tra cứu hồ sơ đất đai trực"
        " tuyến — Ủy ban nhân dân phường Bến Thành: họp ngày 02/03/2026, 2 trên 3 thành viên"
        " có quyền biểu quyết dự họp, cần tất cả (3)"
    )
    assert "Một cửa số của phường" not in section
    assert unflagged(client, "period=2026-02")
    assert unflagged(client, f"organisation={oid('ben-thanh-dang-uy')}")

    header, *rows = rows_of(
        client.get("/inspection?period=2026-03&export=csv&table=without_quorum")
    )
    assert [dict(zip(header, row, strict=True)) for row in rows] == [
        {
            "Mã đề xuất": two.id,
            "Tên đề xuất": "Tra cứu hồ sơ đất đai trực tuyến",
            "Mã cơ quan": WARD,
            "Ngày họp": "02/03/2026",
            "Số thành viên có quyền biểu quyết dự họp": "2",
            "Số thành viên có quyền biểu quyết": "3",
            "Số thành viên cần có mặt": "3",
            "Số thành viên tối thiểu theo quy định": "tất cả",
        }
    ]


def received(http: Driver, title: str) -> Driver:
    """`title` drafted and submitted by the ward's cadre, received by its clerk on 02/03/2026."""
    http.draft(title=title)
    http.post("submit", "can-bo", proposal())
    http.post("receive", "van-thu", {"receipt_date": "2026-03-02", "incoming_number": "9/VT"})
    return http


def unflagged(client: FlaskClient, query: str) -> bool:
    """Whether the page flags no meeting for `query`."""
    html = client.get(f"/inspection?{query}").get_data(as_text=True)
    section = html.split('id="without-quorum"', 1)[1].split("</section>", 1)[0]
    return '<span class="count">(0)</span>' in section
