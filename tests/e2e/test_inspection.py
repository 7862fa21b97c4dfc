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
from tests.e2e.test_http_api import Driver
from tests.e2e.test_pages import in_session
from tests.factories import Clock, oid, proposal
from tests.integration.test_tamper import wait_for

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
