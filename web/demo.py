"""Demo data: the demo directory and initiatives at every stage of their life.

The demo replays a year of work on a simulated clock that starts in September 2025, so it
loads only into an empty store (back-dated events must never follow real ones).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any
from uuid import UUID, uuid4

import yaml

from domain.application import LedgerApplication
from domain.directory_payloads import DirectoryFile
from domain.values import Context, organisation_id, person_id
from web.schemas.directory import DirectoryFileSchema

BEN_THANH = organisation_id("hcm-phuong-ben-thanh-ubnd")
HEAD, CLERK, PARTY, STAFF = "pham-minh-tuan", "vo-thi-lan", "ngo-thi-hoa", "bui-van-long"
VOTES = {HEAD: "for", "hoang-duc-anh": "for", "dang-thu-ha": "against"}


def demo_directory() -> DirectoryFile:
    """The demo directory file, validated like any import."""
    text = resources.files("web.data").joinpath("demo-directory.yaml").read_text("utf-8")
    data: DirectoryFile = DirectoryFileSchema().load(yaml.safe_load(text))
    return data


class SimulatedClock:
    """The demo's server clock, set day by day (10:00 in Hanoi)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 9, 1, 3, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def on(self, day: date) -> date:
        self.now = datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
        return day


def proposal(title: str, start: date) -> dict[str, Any]:
    """A complete Art. 7 proposal for a ward pilot."""
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
        "planned_start": start,
        "planned_end": start + timedelta(days=120),
        "resources": "3 công chức, 1 máy chủ, phần mềm dùng chung của Thành phố",
        "budget_source": "Ngân sách phường",
        "feasibility": "Khả thi: hạ tầng đã có, cán bộ đã được tập huấn chữ ký số.",
        "positive_impacts": "Giảm thời gian chờ, giảm chi phí đi lại.",
        "negative_impacts": "Khối lượng công việc tăng trong giai đoạn chuyển tiếp.",
        "expected_results": ["90% hồ sơ nộp trực tuyến", "Thời gian giải quyết ≤ 3 ngày"],
        "options": [
            {"title": "Trực tuyến toàn trình", "description": "Toàn bộ hồ sơ qua cổng"},
            {"title": "Giữ quy trình giấy", "description": "Không thay đổi"},
        ],
        "chosen_option": "Trực tuyến toàn trình",
        "chosen_option_reason": "Nhanh nhất và tận dụng hạ tầng sẵn có.",
        "worst_case": "Hệ thống gián đoạn, hồ sơ bị chậm.",
        "remedies": "Duy trì quầy tiếp nhận giấy song song trong 3 tháng đầu.",
        "no_self_interest": True,
        "grounds_in_practice": "Mỗi năm phường nhận hơn 1.200 hồ sơ giấy; người dân phản ánh"
        " phải đi lại nhiều lần.",
        "grounds_in_science": "Mô hình một cửa liên thông điện tử đã được Thành phố đánh giá"
        " hiệu quả tại các đơn vị thí điểm.",
        "not_contrary_to_party_line_constitution_or_law": True,
    }


def urgent_report(
    situation: str,
    options: dict[str, str],
    reason: str,
    worst_case: str,
    remedies: str,
    practice: str,
) -> dict[str, Any]:
    """An urgent report of `situation` choosing the first of `options` (title: description)
    for `reason`, with its worst case, the remedies, and the declaration of grounds
    (`practice` its grounds in practice)."""
    return {
        "situation": situation,
        "options": [{"title": t, "description": d} for t, d in options.items()],
        "chosen_option": next(iter(options)),
        "chosen_option_reason": reason,
        "worst_case": worst_case,
        "remedies": remedies,
        "grounds_in_practice": practice,
        "grounds_in_science": "Phương án theo hướng dẫn ứng phó khẩn cấp của ngành chuyên môn.",
        "not_contrary_to_party_line_constitution_or_law": True,
    }


def urgent_decision(
    document: str, scope: str, term: tuple[date, date], resources: str, directions: str
) -> dict[str, Any]:
    """The authority's ratification or authorization of an urgent report (`document` its
    decision), confirming the grounds, with its terms (`term`: the first and the last day) and
    `directions` for the ward's staff."""
    return {
        "decision_document": document,
        "approved_scope": scope,
        "approved_start": term[0],
        "approved_end": term[1],
        "resources": resources,
        "assignee_ids": [person_id(STAFF)],
        "directions": directions,
        "grounds_confirmed": True,
    }


class Demo:
    """Records the demo initiatives through the real application, rules and all."""

    def __init__(self, app: LedgerApplication, clock: SimulatedClock) -> None:
        self.app = app
        self.clock = clock

    def as_(self, key: str) -> Context:
        return Context(person_id=person_id(key), at=self.clock(), request_id=f"demo-{uuid4()}")

    def do(self, command: str, by: str, iid: UUID, **body: Any) -> int:
        method: Callable[..., int] = getattr(self.app, command)
        return method(self.as_(by), iid, None, **body)

    def new(self, title: str, by: str = STAFF, regime: str = "regular") -> UUID:
        created = self.app.create_initiative(
            self.as_(by),
            title=title,
            employing_organisation_id=BEN_THANH,
            regime=regime,
            summary=f"{title} — đề xuất thí điểm của cán bộ phường.",
        )
        return UUID(str(created["id"]))

    def reviewed(self, title: str, day: date) -> UUID:
        self.clock.on(day)
        iid = self.new(title)
        self.do("submit", STAFF, iid, **proposal(title, day + timedelta(days=21)))
        self.do(
            "receive",
            CLERK,
            iid,
            receipt_date=self.clock.on(day + timedelta(days=1)),
            incoming_number=f"{str(iid)[:4]}/UBND-VP",
        )
        return iid

    def approved(
        self,
        title: str,
        day: date,
        votes: dict[str, str] = VOTES,
        basis: str = "majority",
        justification: str = "",
    ) -> UUID:
        iid = self.reviewed(title, day)
        self.clock.on(day + timedelta(days=3))
        self.do(
            "give_party_opinion",
            PARTY,
            iid,
            phase="approval",
            opinion="Đảng ủy phường thống nhất chủ trương.",
            document_ref="CV 15-CV/ĐU",
        )
        self.do(
            "hold_leadership_meeting",
            HEAD,
            iid,
            meeting_date=self.clock().date(),
            attendee_ids=[person_id(k) for k in votes],
            votes=[{"person_id": person_id(k), "vote": v} for k, v in votes.items()],
            minutes_ref="Biên bản họp 07/BB-UBND",
        )
        self.clock.on(day + timedelta(days=5))
        start = day + timedelta(days=21)
        self.do(
            "approve",
            HEAD,
            iid,
            basis=basis,
            decision_document="Quyết định 215/QĐ-UBND",
            justification=justification,
            approved_scope="Phường Bến Thành",
            approved_start=start,
            approved_end=start + timedelta(days=120),
            resources="3 công chức; 50 triệu đồng",
            assignee_ids=[person_id(STAFF)],
            directions="Báo cáo tiến độ hằng tháng cho Chủ tịch UBND phường.",
            grounds_confirmed=True,
        )
        return iid

    def started(self, title: str, day: date) -> UUID:
        iid = self.approved(title, day)
        start = self.clock.on(day + timedelta(days=21))
        self.do(
            "allocate_resources",
            HEAD,
            iid,
            people=["Bùi Văn Long", "Võ Thị Lan"],
            equipment="1 máy chủ",
            funds_vnd=50_000_000,
            funding_source="Ngân sách phường",
        )
        self.do("start_implementation", STAFF, iid, actual_start=start)
        self.clock.on(day + timedelta(days=50))
        self.do(
            "record_supervision_note",
            "mai-xuan-son",
            iid,
            kind="inspection",
            findings="Triển khai đúng phạm vi được phê duyệt.",
            recommendations="Tăng cường tuyên truyền.",
            part_of_work="Tiếp nhận hồ sơ",
            outside_approved_scope=False,
        )
        return iid

    def evaluated(self, title: str, day: date, outcome: str = "completed") -> UUID:
        iid = self.started(title, day)
        done = self.clock.on(day + timedelta(days=100))
        self.do("complete", STAFF, iid, completion_date=done)
        self.clock.on(day + timedelta(days=103))
        result = result_report(
            "90% hồ sơ nộp trực tuyến", "Đạt 93%", "Quy trình mới, cán bộ được tập huấn."
        )
        self.do("report_result", STAFF, iid, **result)
        self.evaluation_round(iid, day + timedelta(days=106))
        self.do("evaluate", HEAD, iid, **evaluation(outcome))
        return iid

    def evaluation_round(self, iid: UUID, day: date) -> None:
        self.clock.on(day)
        self.do(
            "give_party_opinion",
            PARTY,
            iid,
            phase="evaluation",
            opinion="Thống nhất kết quả đánh giá.",
            document_ref="CV 21-CV/ĐU",
        )
        self.do(
            "hold_leadership_meeting",
            HEAD,
            iid,
            meeting_date=day,
            attendee_ids=[person_id(k) for k in VOTES],
            votes=[{"person_id": person_id(k), "vote": "for"} for k in VOTES],
            minutes_ref="Biên bản họp 11/BB-UBND",
        )


def damage_done(damage: int) -> dict[str, Any]:
    """The damage fields of a result report or an evaluation: `damage` VND, or none."""
    return {
        "damage_caused": damage > 0,
        "damage_description": "Chi phí thuê máy chủ không thu hồi được" if damage else "",
        "damage_amount_vnd": damage,
    }


def result_report(objective: str, result: str, causes: str, damage: int = 0) -> dict[str, Any]:
    """A pilot's result report on one objective, honestly declared."""
    return {
        "results": [{"objective": objective, "result": result}],
        **damage_done(damage),
        "causes": causes,
        "honesty_declaration": True,
    }


def evaluation(outcome: str, damage: int = 0) -> dict[str, Any]:
    """An evaluation whose four findings are true."""
    return {
        "parts": [{"part": "Tiếp nhận trực tuyến", "outcome": outcome}],
        "outcome": outcome,
        **damage_done(damage),
        "objective_causes": "Hạ tầng của Thành phố gián đoạn." if damage else "Hạ tầng ổn định.",
        "subjective_causes": "Không có.",
        "findings": {
            "followed_policy": True,
            "pure_motive": True,
            "common_interest": True,
            "within_scope_and_time": True,
        },
        "self_interest_or_abuse": False,
        "document_ref": "Biên bản đánh giá 03/BB-UBND",
    }


def load_demo(app: LedgerApplication) -> dict[str, Any]:
    """Import the demo directory and record initiatives at every stage (empty store only)."""
    if app.recorder.max_notification_id():
        raise ValueError("the demo loads only into an empty store")
    clock = SimulatedClock()
    app.clock = clock
    report = app.import_directory(demo_directory(), source="ledger demo")
    demo = Demo(app, clock)
    d = date
    clock.on(d(2025, 9, 2))
    demo.new("Số hóa sổ hộ tịch cũ")
    sent = demo.new("Điểm giữ xe thông minh quanh chợ Bến Thành")
    demo.do("submit", STAFF, sent, **proposal("Giữ xe thông minh", d(2025, 10, 1)))
    demo.reviewed("Tổ công nghệ số cộng đồng khu phố", d(2025, 9, 8))
    refused = demo.reviewed("Chuyển toàn bộ hồ sơ sang giấy tờ điện tử ngay", d(2025, 9, 9))
    demo.do(
        "reject",
        HEAD,
        refused,
        reasons=["Chưa đủ hạ tầng chữ ký số cho người dân"],
        document_ref="Công văn 88/UBND-VP",
    )
    own = demo.new("Ứng dụng phản ánh hiện trường của phường", by=HEAD)
    demo.do("submit", HEAD, own, **proposal("Phản ánh hiện trường", d(2025, 10, 15)))
    demo.approved(
        "Thí điểm thu phí vỉa hè qua ứng dụng",
        d(2025, 9, 15),
        votes={HEAD: "for", "hoang-duc-anh": "against", "dang-thu-ha": "against"},
        basis="head_override",
        justification="Khẩn cấp trước mùa lễ hội; Chủ tịch chịu trách nhiệm cá nhân.",
    )
    # The urgent case: the cadre opened the file and had to act before the decision, which
    # ratifies it (a stated date never precedes the initiative's creation).
    clock.on(d(2025, 10, 5))
    urgent = demo.new("Mở lối thoát nước tạm khi ngập sâu", regime="urgent")
    clock.on(d(2025, 10, 6))
    demo.do(
        "report_urgent",
        STAFF,
        urgent,
        **urgent_report(
            "Triều cường gây ngập sâu đường Lê Lợi",
            {"Mở lối thoát tạm": "Đào rãnh tạm", "Chờ đơn vị thoát nước": "2 ngày"},
            "Bảo đảm an toàn người dân",
            "Sụt lún vỉa hè",
            "Rào chắn và hoàn trả mặt bằng",
            "Nước ngập 0,5 m, người dân không thể đi lại",
        ),
        acted_on=d(2025, 10, 5),
    )
    demo.do(
        "ratify_urgent",
        HEAD,
        urgent,
        **urgent_decision(
            "Quyết định 230/QĐ-UBND",
            "Đường Lê Lợi",
            (d(2025, 10, 5), d(2025, 10, 31)),
            "Đội xung kích phường",
            "Hoàn trả mặt bằng trước ngày 31/10/2025; báo cáo thiệt hại nếu có.",
        ),
    )
    # The urgent case beyond the ward: the cadre opened the file, the ward's head reports it to
    # the city, whose head authorizes it with its directions before anyone acts.
    clock.on(d(2025, 10, 20))
    beyond = demo.new("Di dời tạm hộ dân khỏi chung cư nứt lún", regime="urgent")
    demo.do(
        "report_urgent",
        HEAD,
        beyond,
        **urgent_report(
            "Chung cư cũ trên đường Nguyễn Trãi nứt lún sau mưa lớn",
            {
                "Di dời tạm 24 hộ": "Bố trí nơi ở tạm tại nhà văn hóa",
                "Gia cố tại chỗ": "Chống đỡ tạm, người dân ở lại",
            },
            "Bảo đảm an toàn tính mạng người dân",
            "Người dân không đồng ý di dời",
            "Vận động, hỗ trợ chi phí sinh hoạt trong thời gian ở tạm",
            "Vết nứt mở rộng 2 cm trong một tuần",
        ),
    )
    clock.on(d(2025, 10, 21))
    demo.do(
        "authorize_urgent",
        "nguyen-van-thanh",
        beyond,
        **urgent_decision(
            "Quyết định 4100/QĐ-UBND",
            "24 hộ dân chung cư đường Nguyễn Trãi",
            (d(2025, 10, 22), d(2025, 12, 31)),
            "Kinh phí dự phòng của Thành phố",
            "Sở Xây dựng kiểm định trong 10 ngày; phường báo cáo hằng tuần.",
        ),
    )
    # An adjusted pilot still running.
    adjusted = demo.started("Một cửa liên thông điện tử cho hộ kinh doanh", d(2025, 9, 22))
    obstacle = demo.do("raise_obstacle", STAFF, adjusted, obstacle="Thiếu chữ ký số cho cán bộ")
    demo.do(
        "resolve_obstacle",
        HEAD,
        adjusted,
        obstacle_version=obstacle,
        measure="Cấp bổ sung 5 chữ ký số",
    )
    request = demo.do(
        "request_adjustment",
        STAFF,
        adjusted,
        changes={"end": d(2026, 6, 30)},
        reason="Chậm 2 tháng do thiếu chữ ký số",
    )
    demo.do(
        "approve_adjustment",
        HEAD,
        adjusted,
        request_version=request,
        decision_document="Quyết định 301/QĐ-UBND",
    )
    # A terminated pilot that caused damage, evaluated and protected.
    stopped = demo.started("Thí điểm bãi xe thông minh không người trực", d(2025, 10, 1))
    clock.on(d(2025, 12, 1))
    demo.do(
        "terminate",
        HEAD,
        stopped,
        reason="Hệ thống của nhà cung cấp ngừng hoạt động",
        decision_document="Quyết định 350/QĐ-UBND",
    )
    clock.on(d(2025, 12, 4))
    result = result_report(
        "Giảm ùn tắc", "Chưa đạt do dừng sớm", "Nhà cung cấp ngừng dịch vụ.", damage=30_000_000
    )
    demo.do("report_result", STAFF, stopped, **result)
    demo.evaluation_round(stopped, d(2025, 12, 9))
    demo.do("evaluate", HEAD, stopped, **evaluation("not_completed", damage=30_000_000))
    demo.do(
        "request_protection",
        STAFF,
        stopped,
        trigger="inspection",
        proceeding_ref="Thông báo kiểm tra 12/TB-UBKT",
        reason="Đề nghị bảo vệ cán bộ",
    )
    demo.do(
        "determine_protection",
        HEAD,
        stopped,
        measure="consider_exclusion_exemption_mitigation",
        reasons="Đúng chủ trương, trong sáng, vì lợi ích chung; thiệt hại khách quan.",
        evidence=["Biên bản đánh giá 03/BB-UBND"],
        document_ref="Quyết định 360/QĐ-UBND",
    )
    # Completed and commended; then replicated to another ward.
    commended = demo.evaluated("Tiếp nhận hồ sơ hộ tịch qua Zalo", d(2025, 9, 3))
    demo.do(
        "commend",
        "phan-thi-kim",
        commended,
        awarding_organisation_id=organisation_id("hcm-ubnd"),
        form="certificate_of_merit",
        person_ids=[person_id(STAFF)],
        decision_document="Quyết định khen thưởng 1200/QĐ-UBND",
    )
    demo.do("hold_final_review", HEAD, commended, lessons="Nhân rộng cho các phường lân cận.")
    replicated = demo.evaluated("Sổ tay điện tử cho hộ kinh doanh", d(2025, 9, 10))
    proposal_version = demo.do(
        "propose_replication",
        HEAD,
        replicated,
        target_organisation_ids=[organisation_id("hcm-phuong-sai-gon-ubnd")],
        reason="Hiệu quả, chi phí thấp",
    )
    demo.do(
        "approve_replication",
        "nguyen-van-thanh",
        replicated,
        proposal_version=proposal_version,
        decision_document="Quyết định 1500/QĐ-UBND",
    )
    return report
