"""The dossier's story read as a person reads it (SQLite): the one-page summary, the events'
content in the pages' Vietnamese terms, people and organisations by the names the dossier
proves and every other id marked; story.pdf read back with pdftotext; the verifier still
regenerating story.html and refusing a changed one."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.application import LedgerApplication
from projections import terms
from projections.db import Database
from projections.ledger.dossier import stream_dossier
from projections.ledger.note import Signer
from projections.ledger.store import LedgerStore
from projections.ledger.verify import VerificationError, verify_dossier
from projections.storage import Storage
from tests.conftest import migrated
from tests.e2e.test_certificate import text_of
from tests.e2e.test_dossier import reseal, rezip
from tests.factories import Clock, Life, commendation, determination, oversight_directory, pid
from tests.integration.test_dossier_stream import seal
from tests.integration.test_ledger import trusted
from web.cli import main
from web.story_pdf import story_pdf

UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    """SQLite only: the story is a pure function of the records, the same on both."""
    with migrated("sqlite", tmp_path) as store:
        yield store


@pytest.fixture
def dossier(
    stored_app: LedgerApplication, db: Database, clock: Clock, signer: Signer
) -> dict[str, bytes]:
    """An initiative approved, piloted, evaluated, its protection determined and its
    proposer commended; its dossier with story.pdf, verified."""
    stored_app.import_directory(oversight_directory(), "test")
    life = Life(stored_app, clock)
    life.to_evaluated()
    life.cmd("determine_protection", "chu-tich", **determination("liability_excluded"))
    life.cmd("commend", "thi-dua", **commendation())
    seal(stored_app, db, signer)
    assert life.id is not None
    data = b"".join(stream_dossier(stored_app, LedgerStore(db), life.id, story_pdf))
    assert verify_dossier(data, trusted(signer)).printed
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()} | {"zip": data}


def text(page: str) -> str:
    """The page's text, a line per table row or list item, cells joined by " | "."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    page = re.sub(r"</(tr|li|h1|h2|p)>", "\n", page)
    page = re.sub(r"<t[hd][^>]*>", " | ", page)
    page = re.sub(r"<br>", " / ", page)
    page = html.unescape(re.sub(r"<[^>]+>", "", page))
    return "\n".join(line.strip() for line in page.splitlines() if line.strip())


def section(story: str, start: str, end: str) -> str:
    return story[story.index(start) : story.index(end)]


SUMMARY = """Tóm tắt hồ sơ
| Tên đề xuất | Một cửa điện tử
| Cơ quan quản lý, sử dụng | Ủy ban nhân dân phường Bến Thành
| Người đề xuất | Phạm Đức Dũng (Chuyên viên)
| Trình tự | Thông thường
| Chấp thuận chủ trương |  | Phạm vi | Phường Bến Thành
| Ngày bắt đầu | 01/04/2026
| Ngày kết thúc | 31/12/2026
| Nguồn lực | 2 cán bộ
| Người được giao thực hiện | Phạm Đức Dũng (Chuyên viên)
| Chỉ đạo | Báo cáo hằng tháng.
| Văn bản quyết định | QĐ 15/QĐ-UBND
| Người quyết định | Nguyễn Thị Hồng / Chủ tịch (Người đứng đầu) / Ủy ban nhân dân phường Bến Thành
| Ngày quyết định | 02/03/2026 10:00
| Diễn biến sau khi chấp thuận | 01/04/2026 — Bắt đầu triển khai (Ngày bắt đầu thực tế: 01/04/2026)
01/12/2026 — Hoàn thành (Ngày hoàn thành: 01/12/2026)
01/12/2026 — Báo cáo kết quả
| Đánh giá kết quả |  | Kết quả đánh giá | Hoàn thành
| Từng phần việc |  | Phần việc | Kết quả đánh giá
| Tiếp nhận trực tuyến | Hoàn thành
| Nhận xét, phát hiện |  | Thực hiện đúng chủ trương | Có
| Động cơ trong sáng | Có
| Vì lợi ích chung | Có
| Trong phạm vi, thời gian được chấp thuận | Có
| Có vụ lợi hoặc lạm dụng | Không
| Có gây thiệt hại | Không
| Mô tả thiệt hại | —
| Giá trị thiệt hại (đồng) | 0 đồng
| Nguyên nhân khách quan | Hạ tầng ổn định.
| Nguyên nhân chủ quan | Cán bộ tận tâm.
| Số, ký hiệu văn bản | BB đánh giá 3/UBND
Nguyễn Thị Hồng / Chủ tịch (Người đứng đầu) / Ủy ban nhân dân phường Bến Thành / 01/12/2026 10:00
| Biện pháp khuyến nghị | Không bị xem xét xử lý trách nhiệm
| Biện pháp đã quyết định | Loại trừ trách nhiệm
| Khen thưởng | Bằng khen, giấy khen: Phạm Đức Dũng (QĐ)
| Tổng số sự kiện | 14
"""
HEAD = "Nguyễn Thị Hồng / Chủ tịch (Người đứng đầu) / Ủy ban nhân dân phường Bến Thành"
UNNAMED = "Phó Chủ tịch: {} (chưa xác định từ hồ sơ)"


def test_the_story_opens_with_a_summary_of_the_initiative(dossier: dict[str, bytes]) -> None:
    story = text(dossier["story.html"].decode())
    assert section(story, "Tóm tắt hồ sơ", "Toàn bộ sự kiện") == SUMMARY


def test_every_event_shows_its_content_by_name(dossier: dict[str, bytes]) -> None:
    story = text(dossier["story.html"].decode())
    approval = section(story, "| 6 |", "| 7 |")
    assert approval == (
        f"| 6 | 02/03/2026 10:00 | Chấp thuận chủ trương | {HEAD} |  | Căn cứ quyết định"
        " | Theo đa số\n| Văn bản quyết định | QĐ 15/QĐ-UBND\n| Lý do | —\n"
        "| Nội dung chấp thuận |  | Phạm vi | Phường Bến Thành\n| Ngày bắt đầu | 01/04/2026\n"
        "| Ngày kết thúc | 31/12/2026\n| Nguồn lực | 2 cán bộ\n"
        "| Người được giao thực hiện | Phạm Đức Dũng (Chuyên viên)\n"
        "| Chỉ đạo | Báo cáo hằng tháng.\n| Xác nhận đề xuất có cơ sở thực tiễn, khoa học và"
        " không trái chủ trương, đường lối của Đảng, Hiến pháp và pháp luật | Có\n"
    )
    # The vote: the head named by her own acts; the deputies never acted in the initiative,
    # so their titles (proven by the meeting's authority proof) and marked ids.
    deputy, other = (UNNAMED.format(pid(k)) for k in ("pho-1", "pho-2"))
    meeting = section(story, "| 5 |", "| 6 |")
    assert meeting.endswith(
        "| Biểu quyết |  | Người | Biểu quyết\n"
        "| Nguyễn Thị Hồng (Chủ tịch) | Tán thành\n"
        f"| {deputy} | Tán thành\n"
        f"| {other} | Không tán thành\n"
        "| Số biên bản họp | BB 7/UBND\n| Thông qua | Có\n"
    )
    results = section(story, "| 9 |", "| 10 |")
    assert "| Kết quả theo từng mục tiêu |  | Mục tiêu | Kết quả\n" in results
    assert "| Thời gian cấp phép 3 ngày | Đạt 2,5 ngày\n" in results
    evaluation = section(story, "| 12 |", "| 13 |")
    assert evaluation.startswith(
        f"| 12 | 01/12/2026 10:00 | Đánh giá kết quả | {HEAD} |  | Từng phần việc |  |"
        " Phần việc | Kết quả đánh giá\n| Tiếp nhận trực tuyến | Hoàn thành\n"
    )
    assert (
        "| Nhận xét, phát hiện |  | Thực hiện đúng chủ trương | Có\n| Động cơ trong sáng | Có\n"
        "| Vì lợi ích chung | Có\n| Trong phạm vi, thời gian được chấp thuận | Có\n"
    ) in evaluation
    assert story.endswith(
        "| 14 | 01/12/2026 10:00 | Khen thưởng | Trương Công Vinh / Chuyên viên thi đua"
        " (Cán bộ thi đua - khen thưởng) / Ủy ban nhân dân Thành phố Hồ Chí Minh |  |"
        " Hình thức khen thưởng | Bằng khen, giấy khen\n| Người được khen thưởng |"
        " Phạm Đức Dũng\n| Văn bản quyết định | QĐ"
    )


def test_the_story_shows_no_raw_id_and_no_field_name(dossier: dict[str, bytes]) -> None:
    page = dossier["story.html"].decode()
    ids = re.findall(UUID_TEXT + r"(?: \([^)]*\))?", page)
    assert len(ids) > 5
    assert {i[37:] for i in ids} == {"(chưa xác định từ hồ sơ)", "(mã đề xuất)"}
    headings = set(re.findall(r"<th>([^<]*)</th>", page))
    known = {*terms.FIELDS.values(), *terms.CHOICES.values(), *terms.EVENTS.values()}
    story_own = {"#", "Thời điểm ghi", "Sự kiện", "Người thực hiện", "Nội dung"}
    summary_own = {
        "Người quyết định",
        "Ngày quyết định",
        "Diễn biến sau khi chấp thuận",
        "Tổng số sự kiện",
    }
    unknown = {h for h in headings - story_own - summary_own if html.unescape(h) not in known}
    # a form's hint dropped ("Nhiệm vụ (mỗi dòng một nhiệm vụ)" → "Nhiệm vụ")
    assert {h for h in unknown if not any(k.startswith(h + " (") for k in known)} == set()
    assert [h for h in headings if re.fullmatch(r"[a-z_]+", h)] == []


def test_story_pdf_prints_the_summary_and_the_verifier_says_it_did_not_check_it(
    dossier: dict[str, bytes], signer: Signer, tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        text_of(b"", tmp_path)  # fails in CI, skips loudly elsewhere
    path = tmp_path / "story.pdf"
    path.write_bytes(dossier["story.pdf"])
    printed = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(printed.split())
    assert "Tóm tắt hồ sơ Tên đề xuất: Một cửa điện tử" in words
    assert "Biện pháp đã quyết định: Loại trừ trách nhiệm" in words
    assert "Nguyễn Thị Hồng (Chủ tịch) Tán thành" in words
    assert "Bản in này dừng" not in words  # 14 events: every one printed
    (tmp_path / "dossier.zip").write_bytes(dossier["zip"])
    keys = tmp_path / "keys"
    keys.write_text(trusted(signer).encode())
    result = CliRunner().invoke(
        main, ["verify", "dossier", str(tmp_path / "dossier.zip"), "--key", str(keys)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "VERIFIED / HỢP LỆ",
        "story.pdf: bản in của story.html, không được kiểm tra (story.html đã được kiểm tra)"
        " / a rendering of story.html, not checked (story.html is)",
    ]


def test_a_changed_story_or_an_added_file_is_refused(
    dossier: dict[str, bytes], signer: Signer
) -> None:
    def determined_otherwise(files: dict[str, bytes]) -> None:
        files["story.html"] = files["story.html"].replace(
            "Loại trừ trách nhiệm".encode(), "Không thuộc diện bảo vệ".encode()
        )
        reseal(files)

    def added(files: dict[str, bytes]) -> None:
        files["notes.html"] = b"<p>unchecked</p>"
        reseal(files)

    with pytest.raises(VerificationError, match=r"story\.html is not the story the receipts"):
        verify_dossier(rezip(dossier["zip"], determined_otherwise), trusted(signer))
    with pytest.raises(VerificationError, match=r"holds a file a dossier does not: notes\.html"):
        verify_dossier(rezip(dossier["zip"], added), trusted(signer))
