"""Demo data: the demo directory and a handful of initiatives in different states."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from typing import Any
from uuid import UUID, uuid4

import yaml

from domain.application import LedgerApplication
from domain.values import Context, local_date, organisation_id, person_id
from web.schemas.directory import DirectoryFileSchema

BEN_THANH = organisation_id("hcm-phuong-ben-thanh-ubnd")


def demo_directory() -> dict[str, Any]:
    """The demo directory file, validated like any import."""
    text = resources.files("web.data").joinpath("demo-directory.yaml").read_text("utf-8")
    data: dict[str, Any] = DirectoryFileSchema().load(yaml.safe_load(text))
    return data


def _proposal(title: str, start_in: int, app: LedgerApplication) -> dict[str, Any]:
    today = local_date(app.clock())
    return {
        "necessity": f"{title}: người dân phải đi lại nhiều lần để hoàn tất thủ tục.",
        "purpose": "Rút ngắn thời gian giải quyết thủ tục hành chính còn 3 ngày làm việc.",
        "bottleneck": "regulated_but_unsuitable",
        "rules_concerned": ["Quyết định số 12/2020/QĐ-UBND về quy trình một cửa"],
        "content": "Tiếp nhận hồ sơ trực tuyến, liên thông giữa các bộ phận.",
        "tasks": ["Xây dựng quy trình", "Tập huấn cán bộ", "Thông tin cho người dân"],
        "solutions": "Một cửa liên thông điện tử; chữ ký số.",
        "scope": "Phường Bến Thành",
        "subjects": "Hộ kinh doanh cá thể trên địa bàn phường",
        "planned_start": today + timedelta(days=start_in),
        "planned_end": today + timedelta(days=start_in + 180),
        "resources": "3 công chức, 1 máy chủ, phần mềm dùng chung của Thành phố",
        "budget_source": "Ngân sách phường năm 2026",
        "feasibility": "Khả thi: hạ tầng đã có, cán bộ đã được tập huấn chữ ký số.",
        "positive_impacts": "Giảm thời gian chờ, giảm chi phí đi lại.",
        "negative_impacts": "Khối lượng công việc tăng trong giai đoạn chuyển tiếp.",
        "expected_results": ["90% hồ sơ nộp trực tuyến", "Thời gian giải quyết ≤ 3 ngày"],
        "options": [
            {
                "title": "Trực tuyến toàn trình",
                "description": "Toàn bộ hồ sơ qua cổng dịch vụ công",
            },
            {"title": "Giữ quy trình giấy", "description": "Không thay đổi"},
        ],
        "chosen_option": "Trực tuyến toàn trình",
        "chosen_option_reason": "Nhanh nhất và tận dụng hạ tầng sẵn có.",
        "worst_case": "Hệ thống gián đoạn, hồ sơ bị chậm.",
        "remedies": "Duy trì quầy tiếp nhận giấy song song trong 3 tháng đầu.",
        "no_self_interest": True,
    }


def load_demo(app: LedgerApplication) -> dict[str, Any]:
    """Import the demo directory and record initiatives in several states."""
    report = app.import_directory(demo_directory(), source="ledger demo")

    def as_(key: str) -> Context:
        return Context(person_id=person_id(key), at=app.clock(), request_id=f"demo-{uuid4()}")

    def new(title: str, by: str = "bui-van-long", org: UUID = BEN_THANH) -> UUID:
        created = app.create_initiative(
            as_(by),
            title=title,
            employing_organisation_id=org,
            summary=f"{title} — đề xuất thí điểm của cán bộ phường.",
        )
        return UUID(str(created["id"]))

    def reviewed(title: str) -> UUID:
        iid = new(title)
        app.submit(as_("bui-van-long"), iid, None, **_proposal(title, 14, app))
        app.receive(
            as_("vo-thi-lan"),
            iid,
            None,
            receipt_date=local_date(app.clock()),
            incoming_number=f"{str(iid)[:4]}/UBND-VP",
        )
        return iid

    def decided(title: str, votes: dict[str, str], basis: str, justification: str = "") -> UUID:
        iid = reviewed(title)
        app.give_party_opinion(
            as_("ngo-thi-hoa"),
            iid,
            None,
            phase="approval",
            opinion="Đảng ủy phường thống nhất chủ trương.",
            document_ref="Công văn số 15-CV/ĐU",
        )
        app.hold_leadership_meeting(
            as_("pham-minh-tuan"),
            iid,
            None,
            meeting_date=local_date(app.clock()),
            attendee_ids=[person_id(k) for k in votes],
            votes=[{"person_id": person_id(k), "vote": v} for k, v in votes.items()],
            minutes_ref="Biên bản họp số 07/BB-UBND",
        )
        today = local_date(app.clock())
        app.approve(
            as_("pham-minh-tuan"),
            iid,
            None,
            basis=basis,
            decision_document="Quyết định số 215/QĐ-UBND",
            justification=justification,
            approved_scope="Phường Bến Thành, hộ kinh doanh cá thể",
            approved_start=today + timedelta(days=14),
            approved_end=today + timedelta(days=194),
            resources="3 công chức; 50 triệu đồng",
            assignee_ids=[person_id("bui-van-long")],
            directions="Báo cáo tiến độ hằng tháng cho Chủ tịch UBND phường.",
        )
        return iid

    new("Số hóa sổ hộ tịch cũ")
    sent = new("Điểm giữ xe thông minh quanh chợ Bến Thành")
    app.submit(as_("bui-van-long"), sent, None, **_proposal("Giữ xe thông minh", 30, app))
    reviewed("Tổ công nghệ số cộng đồng khu phố")
    decided(
        "Một cửa liên thông điện tử cho hộ kinh doanh",
        {"pham-minh-tuan": "for", "hoang-duc-anh": "for", "dang-thu-ha": "against"},
        "majority",
    )
    decided(
        "Thí điểm thu phí vỉa hè qua ứng dụng",
        {"pham-minh-tuan": "for", "hoang-duc-anh": "against", "dang-thu-ha": "against"},
        "head_override",
        justification="Cấp bách trước mùa lễ hội; Chủ tịch chịu trách nhiệm cá nhân.",
    )
    refused = reviewed("Chuyển toàn bộ hồ sơ sang giấy tờ điện tử ngay")
    app.reject(
        as_("pham-minh-tuan"),
        refused,
        None,
        reasons=["Chưa đủ hạ tầng chữ ký số cho người dân", "Rủi ro mất dữ liệu"],
        document_ref="Công văn số 88/UBND-VP",
    )
    own = new("Ứng dụng phản ánh hiện trường của phường", by="pham-minh-tuan")
    app.submit(as_("pham-minh-tuan"), own, None, **_proposal("Phản ánh hiện trường", 21, app))
    return report
