"""The certificate of an act: one A4 PDF page a cadre can hand over, read back with pdftotext
(poppler-utils: mandatory in CI, `.ci/run` installs it; elsewhere these tests skip loudly)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.store import LedgerStore
from projections.storage import Storage
from tests.conftest import running_app
from tests.e2e.conftest import Checkpointed
from tests.e2e.test_pages import in_session
from tests.factories import Clock, Life

API = "/api/v1/initiatives"


@pytest.fixture
def web_app(storage: Storage, clock: Clock, ledger_key: Path) -> Any:
    """The service without an in-process worker: the test seals and signs."""
    with running_app(storage, clock, ledger_key, IN_PROCESS_WORKER="0") as flask_app:
        yield flask_app


def text_of(pdf: bytes, folder: Path) -> str:
    """The PDF's text as pdftotext reads it (layout kept), on one page."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext not found (apt-get install poppler-utils)")
        pytest.skip("SKIPPED (not in CI): pdftotext not found (apt-get install poppler-utils)")
    path = folder / "certificate.pdf"
    path.write_bytes(pdf)
    pages = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M), pages  # one page
    assert re.search(r"^Page size:\s+595.276 x 841.89 pts \(A4\)$", pages, re.M), pages
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_certificate_of_an_approval_holds_the_approved_terms_and_the_vote(
    checkpointed: Checkpointed, client: FlaskClient, auth: Any, db: Database, tmp_path: Path
) -> None:
    size, life = checkpointed()
    sealed = LedgerStore(db).leaf(life.id, 6)
    assert sealed is not None
    url = f"{API}/{life.id}/events/6/certificate"
    answer = client.get(url, headers=auth("can-bo"))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="certificate-{life.id}-v6.pdf"'
    )
    text = " ".join(text_of(answer.get_data(), tmp_path).split())
    for fact in (
        "GIẤY CHỨNG NHẬN GHI NHẬN HÀNH VI",
        "Chấp thuận chủ trương",
        "Một cửa điện tử",  # the title, from the draft's receipt
        "Người thực hiện Nguyễn Thị Hồng",
        "Chủ tịch — Ủy ban nhân dân phường Bến Thành",  # position and organisation, proven
        "QĐ 15/QĐ-UBND",
        "Phường Bến Thành",  # the approved scope
        "01/04/2026",
        "31/12/2026",
        "2 cán bộ",
        "Báo cáo hằng tháng.",
        "2 tán thành, 1 không tán thành, 0 không biểu quyết",
        f"vị trí {sealed['index']} trong {size} sự kiện đã niêm phong",
        "Nội dung chấp thuận — Phạm vi Phường Bến Thành",
    ):
        assert fact in text, fact
    assert "Phạm Đức Dũng*" in text  # a name from the directory is marked as such
    english = client.get(url, headers={**auth("can-bo"), "Accept-Language": "en"})
    assert "CERTIFICATE OF A RECORDED ACT" in " ".join(
        text_of(english.get_data(), tmp_path).split()
    )


def test_no_certificate_of_an_act_not_yet_provable_or_of_a_record_one_may_not_read(
    stored_app: LedgerApplication, client: FlaskClient, auth: Any, clock: Clock
) -> None:
    life = Life(stored_app, clock)
    life.to_approval()
    answer = client.get(f"{API}/{life.id}/events/6/certificate", headers=auth("can-bo"))
    assert answer.status_code == 409
    assert answer.get_json()["type"].endswith("/not-yet-provable")
    unknown = client.get(f"{API}/{life.id}/events/99/certificate", headers=auth("can-bo"))
    assert unknown.status_code in (404, 409)


def test_the_page_links_each_sealed_act_to_its_certificate(
    checkpointed: Checkpointed, client: FlaskClient, web_app: Flask, tmp_path: Path
) -> None:
    _, life = checkpointed()
    in_session(client, web_app, "can-bo")
    page = client.get(f"/initiatives/{life.id}").get_data(as_text=True)
    link = f"/initiatives/{life.id}/events/6/certificate"
    assert f'href="{link}"' in page
    pdf = client.get(link)
    assert pdf.mimetype == "application/pdf"
    assert "Nguyễn Thị Hồng" in text_of(pdf.get_data(), tmp_path)
