"""Every dashboard as a spreadsheet (CSV and Excel) over HTTP, with its filters and its gate,
headed and labelled in the reader's language, and never a formula made of a title."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.e2e.test_http_api import Driver, problem_of
from tests.e2e.test_pages import in_session
from tests.factories import oid, pid, proposal
from tests.integration.test_tamper import wait_for
from web.exports import flatten
from web.pages import labels
from web.pages.downloads import EXPORTABLE

TRICK = '=HYPERLINK("http://evil.example","Bấm vào")'


def rows_of(answer: Any) -> list[list[str]]:
    """A CSV answer's rows (after its byte-order mark)."""
    text = answer.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def sheet_of(answer: Any) -> list[tuple[Any, ...]]:
    """An Excel answer's first sheet, as values."""
    book = load_workbook(io.BytesIO(answer.get_data()), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def reviewed(http: Driver, client: FlaskClient) -> str:
    """A proposal under review at ward Bến Thành, its title a formula; the log position."""
    http.draft(title=TRICK)
    http.post("submit", "can-bo", proposal())
    http.post("receive", "van-thu", {"receipt_date": "2026-03-02", "incoming_number": "9/VT"})
    return str(client.get("/api/health").get_json()["log_position"])


def test_the_inbox_as_csv_in_vietnamese_and_english(
    http: Driver, client: FlaskClient, auth: Any, reviewed: str
) -> None:
    url = f"/api/v1/dashboard/inbox/export?format=csv&organisation_id={oid('ben-thanh-ubnd')}"
    answer = client.get(f"{url}&min_position={reviewed}", headers=auth("chu-tich"))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="inbox-')
    header, *body = rows_of(answer)
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["Tên đề xuất"] == "'" + TRICK  # text, not a formula
    assert row["Trạng thái"] == "Đang xem xét"
    assert row["Số ngày làm việc còn lại"] == "7"
    assert row["Mã"] == http.id
    assert row["Đang chờ"] == "Chờ ý kiến cấp ủy"
    assert row["Người phải xử lý tiếp"] == "Cấp ủy viên; Người đứng đầu; Cấp phó"
    assert row["Mã cơ quan phải xử lý tiếp"] == str(oid("ben-thanh-dang-uy"))
    assert row["Mã người phải xử lý tiếp"] == ""
    english = client.get(url, headers={**auth("chu-tich"), "Accept-Language": "en"})
    row = dict(zip(*rows_of(english)[:2], strict=True))
    assert row["Status"] == "Under review"
    assert row["Waiting for"] == "Waiting for the party committee's opinion"
    assert row["Who must act next"] == "Party committee member; Head; Deputy"


def test_the_deadlines_as_excel_with_dates_as_dates(
    http: Driver, client: FlaskClient, auth: Any, reviewed: str
) -> None:
    answer = client.get(
        f"/api/v1/dashboard/deadlines/export?format=xlsx&min_position={reviewed}",
        headers=auth("tp-chu-tich"),
    )
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, *body = sheet_of(answer)
    row = dict(zip(header, body[0], strict=True))
    assert len(body) == 1
    assert row["Tên đề xuất"] == TRICK  # a text cell: openpyxl reads it back as the text
    assert row["Thời hạn"] == str(labels.CLOCKS["approval_decision"])
    assert row["Tình trạng"] == "Còn hạn"
    assert row["Hạn"].date() == date(2026, 3, 11)  # a date cell (read back as a datetime)
    book = load_workbook(io.BytesIO(answer.get_data()))
    title_cell = book.worksheets[0].cell(row=2, column=list(header).index("Tên đề xuất") + 1)
    assert title_cell.data_type == "s"


def test_nested_counts_become_columns_and_the_gate_holds(
    http: Driver, client: FlaskClient, auth: Any, reviewed: str
) -> None:
    url = (
        f"/api/v1/dashboard/outcomes/export?format=csv&organisation_id={oid('hcm-ubnd')}"
        f"&min_position={reviewed}"
    )
    header, *body = rows_of(client.get(url, headers=auth("tp-chu-tich")))
    row = dict(zip(header, body[0], strict=True))
    assert row["Tính cả đơn vị trực thuộc — Theo trạng thái — Đang xem xét"] == "1"
    assert row["Tính cả đơn vị trực thuộc — Tổng số"] == "1"
    problem_of(client.get(url, headers=auth("can-bo")), 403)  # the dashboard's own gate
    problem_of(client.get(url.replace("csv", "pdf"), headers=auth("tp-chu-tich")), 422)
    records = client.get(
        f"/api/v1/dashboard/cadre-records/export?format=csv&person_id={pid('can-bo')}",
        headers=auth("can-bo"),
    )
    header, *body = rows_of(records)
    assert dict(zip(header, body[0], strict=True))["Đã đề xuất"] == "1"


# The dashboards the scenario gives rows (supervision and protection need a pilot and a
# protection request: their columns are the initiatives' own, labelled for the list).
WITH_ROWS = ("cadre-records", "deadlines", "inbox", "outcomes")


@pytest.mark.parametrize("name", WITH_ROWS)
def test_every_column_of_the_dashboards_has_a_label(
    name: str, http: Driver, client: FlaskClient, auth: Any, reviewed: str
) -> None:
    args = {
        "inbox": f"organisation_id={oid('ben-thanh-ubnd')}&",
        "cadre-records": f"person_id={pid('can-bo')}&",
    }.get(name, "") + f"min_position={reviewed}"
    who = "chu-tich" if name == "inbox" else "tp-chu-tich"
    answer = client.get(f"/api/v1/dashboard/{name}/export?format=csv&{args}", headers=auth(who))
    assert answer.status_code == 200
    found = client.get(f"/api/v1/dashboard/{name}?{args}", headers=auth(who)).get_json()
    items = [*found["running"], *found["missed"]] if name == "deadlines" else found["items"]
    assert items
    paths = {path for item in items for path in flatten(item)}
    if name == "deadlines":  # a deadline's name is its clock's: the sheet heads it so
        paths = paths - {("name",)} | {("clock",)}
    unlabelled = sorted(
        {part for path in paths for part in path} - set(labels.FIELDS) - set(labels.CHOICES)
    )
    assert unlabelled == []
    assert len(rows_of(answer)) == len(items) + 1


def test_each_page_downloads_the_tables_it_shows(
    client: FlaskClient, web_app: Flask, auth: Any, reviewed: str
) -> None:
    """A page's table with the page's own filters (the session's person, the chosen
    organisation), every header from the catalogue; a table the page does not show refused."""
    wait_for(
        client, lambda health: health["log_position"] >= int(reviewed) and not health["views_lag"]
    )
    in_session(client, web_app, "chu-tich")
    inbox = client.get("/inbox")
    assert 'href="/inbox?export=csv&amp;table=waiting"' in inbox.get_data(as_text=True)
    header, *body = rows_of(client.get("/inbox?export=csv&table=waiting"))
    row = dict(zip(header, body[0], strict=True))
    assert (row["Cơ quan"], row["Số ngày làm việc còn lại"]) == (
        "Ủy ban nhân dân phường Bến Thành",
        "7",
    )
    listed = rows_of(client.get("/initiatives?status=under_review&export=csv&table=rows"))
    assert len(listed) == 2
    assert dict(zip(*listed, strict=True))["Tên đề xuất"] == "'" + TRICK
    assert rows_of(client.get("/initiatives?status=draft&export=csv&table=rows")) == [[]]
    for refused in ("/inbox?export=csv&table=boxes", "/inbox?export=pdf&table=waiting"):
        answer = client.get(refused)
        assert answer.status_code == 422
        assert answer.mimetype == "text/html"
    in_session(client, web_app, "can-bo")
    sheet = sheet_of(client.get("/me?period=quarter&export=xlsx&table=records"))
    assert sheet[0][:3] == ("Người", "Họ và tên", "Kỳ báo cáo")
    assert sheet[1][2:4] == ("2026-Q1", 1)
    with web_app.test_request_context():
        known = {str(v) for v in (*labels.FIELDS.values(), *labels.CHOICES.values())}
    clocks = rows_of(client.get("/me?export=csv&table=clocks"))
    assert [dict(zip(clocks[0], r, strict=True))["Thời hạn"] for r in clocks[1:]] == [
        "Quyết định chủ trương (7 ngày làm việc)"
    ]
    tables = [("/me?", "records"), ("/me?", "clocks"), ("/me?", "mine"), ("/initiatives?", "rows")]
    in_session(client, web_app, "tp-chu-tich")  # who sees every table of the inspection page
    tables += [("/inspection?", t) for t in EXPORTABLE["inspection.html"]]
    tables += [("/?", "missed"), ("/?", "running")]
    unlabelled = set()
    for path, table in tables:
        header, *_ = rows_of(client.get(f"{path}export=csv&table={table}"))
        unlabelled |= {part for title in header for part in title.split(" — ")} - known
    assert sorted(unlabelled) == []
