"""A cadre, a clerk, the party committee, a head and an inspector at work in the browser.

Vietnamese pages, driven in headless Chromium: sign in, propose (with the server's messages
next to empty fields), receive, party opinion, leadership meeting, approve, supervise, read the
timeline as it stood on a past day, download a receipt and verify it offline.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from domain.values import VIETNAM_TZ
from projections.ledger.verify import TrustedKeys, verify_receipt
from tests.browser.conftest import ARTIFACTS, ledger_token
from tests.signed_pdf import issue, make_ca, signed_pdf

TITLE = "Số hóa hồ sơ một cửa phường Bến Thành"
WARD = "Ủy ban nhân dân phường Bến Thành"


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser context (its own cookies) at the server."""
    context = browser.new_context(base_url=server, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def shot(page: Any, name: str) -> None:
    """Keep a full-page screenshot as a test artefact."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, key: str) -> None:
    page.goto("/sign-in")
    page.click(f"button[data-key='{key}']")
    page.wait_for_load_state()


def sign_out(page: Any) -> None:
    page.click("form[action='/sign-out'] button")
    page.wait_for_load_state()


def open_form(page: Any, method: str) -> None:
    details = page.locator(f"#form-{method}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def run(page: Any, method: str, label: str) -> None:
    """Press the form's button; wait for the page after the redirect."""
    page.locator(f"#form-{method} button[type=submit]").click()
    page.wait_for_load_state()


def fill(page: Any, method: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#{method}-f-{name.replace('.', '-')}", value)


@pytest.mark.long
def test_a_proposal_goes_from_cadre_to_approval_and_supervision(
    page: Any, server: str, server_home: Path
) -> None:
    today = datetime.now(VIETNAM_TZ).date().isoformat()  # the service counts days in Vietnam
    # The cadre proposes
    sign_in(page, "bui-van-long")
    shot(page, "01-home-cadre")
    page.goto("/initiatives/new")
    page.fill("#f-title", TITLE)
    page.select_option("#f-employing_organisation_id", label=WARD)
    shot(page, "02-new-initiative")
    page.get_by_role("button", name="Lập dự thảo").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE
    assert "Đã tạo dự thảo đề xuất." in page.locator(".notice").inner_text()
    initiative_url = page.url

    open_form(page, "submit")
    run(page, "submit", "Nộp đề xuất")
    assert page.locator("#submit-f-necessity-err").inner_text() == "Bắt buộc nhập."
    assert page.locator("#submit-f-necessity").get_attribute("aria-invalid") == "true"
    shot(page, "03-submit-errors-next-to-fields")

    fill(
        page,
        "submit",
        {
            "necessity": "Người dân phải nộp hồ sơ giấy nhiều lần.",
            "purpose": "Giảm thời gian giải quyết thủ tục.",
            "rules_concerned": "Nghị định 61/2018/NĐ-CP",
            "content": "Số hóa toàn bộ hồ sơ tại bộ phận một cửa.",
            "tasks": "Mua máy quét\nĐào tạo công chức",
            "solutions": "Dùng phần mềm dùng chung của Thành phố.",
            "scope": "Bộ phận một cửa phường Bến Thành.",
            "subjects": "Công chức bộ phận một cửa.",
            "planned_start": "2027-01-04",
            "planned_end": "2027-06-30",
            "resources": "2 công chức, 1 máy quét.",
            "budget_source": "Ngân sách phường.",
            "feasibility": "Cao.",
            "positive_impacts": "Rút ngắn thời gian.",
            "negative_impacts": "Tốn công số hóa ban đầu.",
            "expected_results": "Giảm 50% thời gian xử lý",
            "options.0.title": "Số hóa toàn bộ",
            "options.1.title": "Số hóa từng phần",
            "chosen_option": "Số hóa toàn bộ",
            "chosen_option_reason": "Đồng bộ với Thành phố.",
            "worst_case": "Phần mềm lỗi.",
            "remedies": "Giữ song song hồ sơ giấy.",
            "grounds_in_practice": "Bộ phận một cửa nhận 300 hồ sơ giấy mỗi tháng.",
            "grounds_in_science": "Số hóa giảm một nửa thời gian xử lý ở các phường đã làm.",
        },
    )
    page.select_option("#submit-f-bottleneck", "not_regulated")
    page.check("#submit-f-no_self_interest")
    page.check("#submit-f-not_contrary_to_party_line_constitution_or_law")
    run(page, "submit", "Nộp đề xuất")
    assert "Đã ghi nhận" in page.locator(".notice").inner_text()
    assert page.locator(".meta .status").inner_text() == "Đã nộp"
    sign_out(page)

    # The clerk finds it in the inbox and logs it in
    sign_in(page, "vo-thi-lan")
    page.goto("/inbox")
    shot(page, "04-inbox-clerk")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state()
    open_form(page, "receive")
    fill(page, "receive", {"receipt_date": today, "incoming_number": "125/VP"})
    run(page, "receive", "Tiếp nhận đề xuất")
    assert page.locator(".meta .status").inner_text() == "Đang xem xét"
    sign_out(page)

    # The ward's party committee gives its opinion
    sign_in(page, "ngo-thi-hoa")
    page.goto(initiative_url)
    open_form(page, "give_party_opinion")
    page.select_option("#give_party_opinion-f-phase", "approval")
    fill(page, "give_party_opinion", {"opinion": "Đồng ý chủ trương.", "document_ref": "CV 12/ĐU"})
    run(page, "give_party_opinion", "Ghi ý kiến cấp ủy")
    assert "Đã ghi nhận" in page.locator(".notice").inner_text()
    sign_out(page)

    # The head sees it waiting, holds the meeting, approves and supervises
    sign_in(page, "pham-minh-tuan")
    page.goto("/inbox")
    row = page.locator("tr", has_text=TITLE)
    assert re.fullmatch(r"Còn \d+ ngày làm việc", row.locator("td.days").inner_text())
    shot(page, "05-inbox-head")
    page.goto(initiative_url)
    forms = page.locator("#actions details summary").all_inner_texts()
    assert "Chấp thuận chủ trương" not in forms  # no meeting yet: the rule hides it
    open_form(page, "hold_leadership_meeting")
    fill(page, "hold_leadership_meeting", {"meeting_date": today, "minutes_ref": "BB 3/UBND"})
    people = ["Phạm Minh Tuấn", "Hoàng Đức Anh", "Đặng Thu Hà"]
    page.select_option("#hold_leadership_meeting-f-attendee_ids", label=people)
    for i, person in enumerate(people):
        page.select_option(f"#hold_leadership_meeting-f-votes-{i}-person_id", label=person)
        page.select_option(f"#hold_leadership_meeting-f-votes-{i}-vote", "for")
    run(page, "hold_leadership_meeting", "Ghi cuộc họp tập thể lãnh đạo")
    assert "Đã ghi nhận" in page.locator(".notice").inner_text()

    open_form(page, "approve")
    page.select_option("#approve-f-basis", "majority")
    fill(
        page,
        "approve",
        {
            "decision_document": "QĐ 45/QĐ-UBND",
            "approved_scope": "Bộ phận một cửa phường Bến Thành",
            "approved_start": "2027-01-04",
            "approved_end": "2027-06-30",
            "resources": "2 công chức, 1 máy quét",
        },
    )
    page.select_option("#approve-f-assignee_ids", label=["Bùi Văn Long"])
    assert page.locator("#grounds-confirmed").inner_text() == "Chưa có quyết định."
    page.check("#approve-f-grounds_confirmed")
    ca = make_ca()
    with ThreadPoolExecutor(1) as apart:  # pyHanko runs its own event loop; Playwright's runs
        decision = apart.submit(signed_pdf, issue(ca, "Phạm Minh Tuấn", WARD), ca).result()
    page.set_input_files(
        "#approve-files",
        files=[{"name": "qd-45.pdf", "mimeType": "application/pdf", "buffer": decision}],
    )
    shot(page, "06-approve-form")
    run(page, "approve", "Chấp thuận chủ trương")
    assert page.locator(".meta .status").inner_text() == "Đã chấp thuận"
    digest = the_decision_is_listed_and_downloads(page, decision)
    assert page.locator("#grounds-in-practice").inner_text() == (
        "Bộ phận một cửa nhận 300 hồ sơ giấy mỗi tháng."
    )
    assert page.locator("#grounds-confirmed").inner_text() == "Đã xác nhận khi quyết định."
    assert page.locator("#approved-scope").inner_text() == "Bộ phận một cửa phường Bến Thành"
    assert page.locator("#approved-dates").inner_text() == "04/01/2027 \N{EN DASH} 30/06/2027"

    open_form(page, "record_supervision_note")
    page.select_option("#record_supervision_note-f-kind", "supervision")
    fill(
        page,
        "record_supervision_note",
        {
            "findings": "Đã chuẩn bị đủ máy quét.",
            "recommendations": "Đào tạo trước khi triển khai.",
        },
    )
    run(page, "record_supervision_note", "Ghi nhận xét giám sát")
    last = page.locator(".timeline li").last
    assert last.locator(".event").inner_text() == "Nhận xét giám sát"
    assert last.locator(".actor").inner_text() == f"Phạm Minh Tuấn — Người đứng đầu, {WARD}"
    shot(page, "07-initiative-timeline")

    # The receipt of the supervision note, verified offline with the ledger's key
    version = int(last.get_attribute("id").removeprefix("v"))
    page.goto("/ledger")
    key = page.locator("#verifier").inner_text().strip()
    shot(page, "08-ledger")
    receipt = download_receipt(page, initiative_url, version)
    verified = verify_receipt(receipt, TrustedKeys.parse(key))
    assert verified.record.version == version
    assert verified.content["actor"]["name"] == "Phạm Minh Tuấn"
    assert verified.content["findings"] == "Đã chuẩn bị đủ máy quét."
    # The dossier, downloaded through the API, holds the decision under the same digest
    dossier = dossier_through_the_api(page, initiative_url, server_home)
    carried = zipfile.ZipFile(io.BytesIO(dossier)).read(f"documents/{digest}.pdf")
    assert hashlib.sha256(carried).hexdigest() == digest

    # The cadre downloads the certificate of the approval, to hand over (sealed by now: the
    # supervision note after it is)
    sign_out(page)
    sign_in(page, "bui-van-long")
    page.goto(initiative_url)
    approval = page.locator(".timeline li", has=page.locator(".event", has_text="Chấp thuận"))
    with page.expect_download(timeout=60_000) as download:
        approval.locator("a.certificate").click()
    pdf = Path(download.value.path())
    assert download.value.suggested_filename.endswith(".pdf")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for fact in (
        "Người thực hiện Phạm Minh Tuấn",
        "QĐ 45/QĐ-UBND",
        "Bộ phận một cửa phường Bến Thành",
        "04/01/2027",
        "30/06/2027",
        "2 công chức, 1 máy quét",
        "3 tán thành, 0 không tán thành",
    ):
        assert fact in text, (fact, text)
    assert f"— {WARD}" in text  # the approver's position, in the ward, as proven that day
    subprocess.run(  # its picture beside the pages' screenshots
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "10-certificate"),
        ],
        check=True,
    )
    subprocess.run(  # and as a phone shows it, 390 pixels wide
        [
            *("pdftoppm", "-png", "-scale-to-x", "390", "-scale-to-y", "-1", "-singlefile"),
            *(str(pdf), str(ARTIFACTS / "10-certificate-phone")),
        ],
        check=True,
    )


def the_decision_is_listed_and_downloads(page: Any, decision: bytes) -> str:
    """The approval's document in the timeline (its digest, type, size, the reading of its
    signature: no trust list on this server), downloaded with the same SHA-256: its digest."""
    digest = hashlib.sha256(decision).hexdigest()
    approval = page.locator(".timeline li", has=page.locator(".event", has_text="Chấp thuận"))
    document = approval.locator("ul.documents > li")
    assert document.locator("a.document").inner_text() == f"{digest[:12]}…"
    assert f" · PDF · {len(decision):,} byte".replace(",", ".") in document.inner_text()
    assert re.fullmatch(
        rf"Ký số bởi Phạm Minh Tuấn \({WARD}\), lúc \d\d/\d\d/\d{{4}} \d\d:\d\d, chưa kiểm tra"
        r" \(chưa cấu hình danh sách tin cậy\)",
        document.locator("ul.signatures li").inner_text(),
    )
    approval.scroll_into_view_if_needed()
    shot(page, "06b-approval-document")
    with page.expect_download() as download:
        document.locator("a.document").click()
    assert download.value.suggested_filename == f"{digest}.pdf"
    got = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(got).hexdigest() == digest
    return digest


def dossier_through_the_api(page: Any, initiative_url: str, home: Path) -> bytes:
    """GET /api/v1/initiatives/{id}/dossier with the head's bearer token, once every event is
    sealed (409 until then)."""
    token = ledger_token(home, "pham-minh-tuan")
    initiative = initiative_url.rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + 90
    while True:
        answer = page.request.get(
            f"/api/v1/initiatives/{initiative}/dossier",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60_000,
        )
        if answer.status != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert answer.status == 200, answer.text()
    body: bytes = answer.body()
    return body


def download_receipt(page: Any, initiative_url: str, version: int) -> dict[str, Any]:
    """Reload until the event is sealed under a checkpoint, then download its receipt (a
    generous deadline: sealing waits for the worker, which shares the cores with the suite)."""
    deadline = time.monotonic() + 90
    while True:
        page.goto(initiative_url)
        link = page.locator(f"#v{version} a.receipt")
        # Sealed is not yet provable: until a checkpoint covers the event its receipt is a 409
        # page, not a download (ask first, so that the click is a download).
        if link.count() and page.request.get(str(link.get_attribute("href"))).ok:
            with page.expect_download(timeout=60_000) as download:  # a busy machine
                link.click()
            path = Path(download.value.path())
            body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if "tlog_proof" in body:
                return body
        if time.monotonic() > deadline:
            raise AssertionError(f"no receipt for version {version}")
        time.sleep(0.5)


def test_the_timeline_shows_the_record_as_it_stood_on_a_past_day(page: Any) -> None:
    sign_in(page, "pham-minh-tuan")
    page.goto("/initiatives?status=evaluated")
    shot(page, "09-list-filtered")
    page.locator("#results tbody a").first.click()
    page.wait_for_load_state()
    entries = page.locator(".timeline li .when").all_inner_texts()
    days = sorted({datetime.strptime(e.split()[1], "%d/%m/%Y").date() for e in entries})
    assert len(days) > 1, "the demo spreads an initiative's history over several days"
    page.fill("#as_of", days[0].isoformat())
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_load_state()
    assert f"như tại ngày {days[0]:%d/%m/%Y}" in page.locator(".asof").inner_text()
    past = page.locator(".timeline li").count()
    assert 0 < past < len(entries)
    assert page.locator(".meta .status").inner_text() != "Đã đánh giá"
    assert page.locator("#actions").count() == 0  # no commands on the past
    shot(page, "10-initiative-as-of")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".timeline").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "10-initiative-timeline-phone.png"))


def test_search_without_diacritics_finds_the_initiative(page: Any) -> None:
    sign_in(page, "pham-minh-tuan")
    page.goto("/initiatives")
    titles = page.locator("#results tbody a").all_inner_texts()
    wanted = titles[0]
    folded = fold_vietnamese(wanted.split()[0] + " " + wanted.split()[1])
    page.fill("#q", folded)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert wanted in page.locator("#results tbody a").all_inner_texts()


def fold_vietnamese(text: str) -> str:
    import unicodedata

    stripped = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in stripped if unicodedata.category(c) != "Mn").lower()


def test_a_manager_dashboard_an_inspector_and_english(page: Any) -> None:
    sign_in(page, "nguyen-van-thanh")
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Tổng quan")
    assert page.locator("figure.chart").count() == 3
    assert int(page.locator("#total").inner_text().replace(".", "")) > 0
    shot(page, "11-home-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "12-home-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.select_option("#lang", "en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Overview")
    shot(page, "13-home-english")
    sign_out(page)
    assert page.locator("h1").inner_text() == "Sign in"  # the language outlives the session
    page.select_option("#lang", "vi")
    page.click("form[action='/language'] button")

    sign_in(page, "huynh-thi-yen")
    page.goto("/inspection")
    for section in ("overrides", "outside", "without-opinion", "mismatches", "missed", "access"):
        assert page.locator(f"#{section}").count() == 1
    shot(page, "14-inspection")
    page.goto("/initiatives?status=evaluated")
    page.locator("#results tbody a").first.click()
    page.wait_for_load_state()
    assert page.locator(".timeline").count() == 0  # the purpose comes first
    page.fill("#purpose", "Kiểm tra theo Kế hoạch 7/KH-TTr")
    page.click("form:has(#purpose) button")
    page.wait_for_load_state()
    assert page.locator(".timeline li").count() > 0
    page.goto("/inspection")
    access = page.locator("#access tbody tr").first.inner_text()
    assert "Kiểm tra theo Kế hoạch 7/KH-TTr" in access
    assert "Huỳnh Thị Yến" in access
    # Filtered to this month, the reading is still there, and its download holds it too;
    # filtered to a year long gone, nothing is.
    month = datetime.now(VIETNAM_TZ).strftime("%Y-%m")
    page.fill("#period", month)
    page.click("#scope button")
    page.wait_for_load_state()
    assert page.locator("#scope-said").inner_text().startswith("Kỳ: từ 01/")
    assert "Kiểm tra theo Kế hoạch 7/KH-TTr" in page.locator("#access tbody").inner_text()
    with page.expect_download(timeout=60_000) as download:
        page.locator("#access a", has_text="CSV").click()
    assert f"period={month}" in download.value.url
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Kiểm tra theo Kế hoạch 7/KH-TTr" in exported
    shot(page, "14-inspection-filtered")
    page.fill("#period", "2001")
    page.click("#scope button")
    page.wait_for_load_state()
    assert page.locator("#access tbody").inner_text().strip() == "Chưa có lượt xem nào."
    sign_out(page)

    sign_in(page, "bui-van-long")
    page.goto("/me")
    assert page.locator("#record").count() == 1
    shot(page, "15-my-record")
