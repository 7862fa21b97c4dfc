"""Documents on the pages: the approval form uploads a file with the act, the timeline lists it
with the reading of its signatures in Vietnamese, and it downloads under the API's read rule
with the page's session."""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_http_api import Driver
from tests.e2e.test_pages import csrf_of, in_session
from tests.factories import directory, officer, oversight_directory, pid
from tests.signed_pdf import issue, make_ca, plain_pdf, signed_pdf

APPROVAL_FORM = {
    "basis": "majority",
    "decision_document": "QĐ 15/QĐ-UBND",
    "approved_scope": "Phường Bến Thành",
    "approved_start": "2026-04-01",
    "approved_end": "2026-12-31",
    "resources": "2 cán bộ",
    "assignee_ids": str(pid("can-bo")),
    "directions": "Báo cáo hằng tháng.",
    "grounds_confirmed": "true",
}
DOCUMENT = re.compile(r'<a class="document" href="(/documents/[0-9a-f]{64})"')


def text_of(page: str) -> str:
    """The page's text, tags dropped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def approve_with(
    client: FlaskClient, initiative: str, files: list[tuple[bytes, str]], **extra: str
) -> Any:
    """Post the approval form with `files` (bytes, file name) in its file input."""
    path = f"/initiatives/{initiative}"
    page = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    return client.post(
        f"{path}/do/approve",
        data={
            **APPROVAL_FORM,
            **extra,
            "csrf_token": csrf_of(client, path),
            "version": version.group(1),
            "attachment_files": [(io.BytesIO(data), name) for data, name in files],
        },
        content_type="multipart/form-data",
    )


def test_a_document_attached_through_the_approval_form_is_listed_and_downloads(
    http: Driver, client: FlaskClient, web_app: Flask
) -> None:
    ca = make_ca()
    pdf = signed_pdf(issue(ca, "Nguyễn Văn An", "UBND phường Bến Thành"), ca)
    digest = hashlib.sha256(pdf).hexdigest()
    http.to_decision()
    in_session(client, web_app, "chu-tich")
    form = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form
    assert 'name="attachment_files" multiple accept="application/pdf,image/png,image/jpeg"' in form
    answer = approve_with(client, http.id, [(pdf, "quyet-dinh.pdf")])
    assert answer.status_code == 302, text_of(answer.get_data(as_text=True))
    approved = http.history()[-1]
    assert approved["data"]["attachments"] == [
        {"sha256": digest, "media_type": "application/pdf", "size": len(pdf)}
    ]
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    [link] = DOCUMENT.findall(page)
    assert link == f"/documents/{digest}"
    shown = text_of(page)
    assert f"{digest[:12]}… · PDF · {len(pdf):,} byte".replace(",", ".") in shown
    signed = re.search(
        r"Ký số bởi Nguyễn Văn An \(UBND phường Bến Thành\), lúc (\d\d/\d\d/\d{4} \d\d:\d\d),"
        r" chưa kiểm tra \(chưa cấu hình danh sách tin cậy\)",
        shown,
    )
    assert signed is not None, shown
    assert (
        "Chữ ký số do hệ thống đọc khi tải lên; nhật ký niêm phong chỉ bảo đảm nội dung tệp"
        " (SHA-256)." in shown
    )
    got = client.get(link)
    assert (got.status_code, got.mimetype) == (200, "application/pdf")
    assert hashlib.sha256(got.data).hexdigest() == digest
    assert got.headers["Content-Disposition"] == f'attachment; filename="{digest}.pdf"'


def test_the_download_keeps_the_apis_read_rule(
    http: Driver, client: FlaskClient, web_app: Flask
) -> None:
    """An officer of another ward reads no document of this one: 404, as for an unknown one."""
    service = web_app.extensions["ledger.service"].get()
    service.import_directory(oversight_directory(), "test")
    outsiders = [officer("sg-can-bo", "Lý Thị Ngọc", "sai-gon-ubnd", "staff")]
    service.import_directory(directory(officers=outsiders), "test")
    pdf = plain_pdf()
    http.to_decision()
    in_session(client, web_app, "chu-tich")
    assert approve_with(client, http.id, [(pdf, "qd.pdf")]).status_code == 302
    page = text_of(client.get(f"/initiatives/{http.id}").get_data(as_text=True))
    assert "Không có chữ ký số." in page
    link = f"/documents/{hashlib.sha256(pdf).hexdigest()}"
    other = web_app.test_client()
    in_session(other, web_app, "sg-can-bo")
    assert other.get(link).status_code == 404
    assert other.get(f"/documents/{'0' * 64}").status_code == 404
    colleague = web_app.test_client()
    in_session(colleague, web_app, "pho-1")
    assert colleague.get(link).data == pdf


def test_a_file_that_is_no_document_is_refused_next_to_the_field(
    http: Driver, client: FlaskClient, web_app: Flask, tmp_path: Path
) -> None:
    http.to_decision()
    in_session(client, web_app, "chu-tich")
    answer = approve_with(client, http.id, [(b"<html></html>", "trang.html")])
    assert answer.status_code == 422
    assert "Tệp trang.html không phải PDF, PNG hay JPEG." in text_of(answer.get_data(as_text=True))
    # A file's name is a value of the sentence, whatever characters it holds.
    odd = approve_with(client, http.id, [(b"<html></html>", "a{x}}{.html")])
    assert odd.status_code == 422
    assert "Tệp a{x}}{.html không phải PDF, PNG hay JPEG." in text_of(odd.get_data(as_text=True))
    empty = approve_with(client, http.id, [(b"", "rong.pdf")])
    assert "Tệp rong.pdf rỗng." in text_of(empty.get_data(as_text=True))
    assert http.state()["status"] != "approved"
