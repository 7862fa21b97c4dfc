"""What the pages call things: Vietnamese message ids, English in the catalogue.

Field names are the schemas' (and so the application methods') parameter names; one label per
name serves every form that has it. Values of enumerations keep their stored codes and get a
label here; an unknown code is shown as it is stored.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

# The button of each command of the registry (domain/commands.py), by the command's name
# (tests/unit/test_command_registry.py: one each, none left over).
COMMANDS: dict[str, Any] = {
    "submit": _l("Nộp đề xuất"),
    "receive": _l("Tiếp nhận đề xuất"),
    "request_clarification": _l("Yêu cầu giải trình, bổ sung"),
    "amend": _l("Sửa đổi đề xuất"),
    "give_party_opinion": _l("Ghi ý kiến cấp ủy"),
    "hold_leadership_meeting": _l("Ghi cuộc họp tập thể lãnh đạo"),
    "approve": _l("Chấp thuận chủ trương"),
    "reject": _l("Không chấp thuận"),
    "escalate": _l("Chuyển cấp trên"),
    "withdraw": _l("Rút đề xuất"),
    "report_urgent": _l("Báo cáo tình huống khẩn cấp"),
    "authorize_urgent": _l("Cho phép xử lý khẩn cấp"),
    "ratify_urgent": _l("Công nhận việc xử lý khẩn cấp đã thực hiện"),
    "refuse_urgent": _l("Không chấp thuận báo cáo khẩn cấp"),
    "allocate_resources": _l("Bố trí nguồn lực"),
    "start_implementation": _l("Bắt đầu triển khai"),
    "report_progress": _l("Báo cáo tiến độ"),
    "record_supervision_note": _l("Ghi nhận xét giám sát"),
    "raise_obstacle": _l("Báo vướng mắc"),
    "resolve_obstacle": _l("Ghi biện pháp tháo gỡ"),
    "request_adjustment": _l("Đề nghị điều chỉnh"),
    "approve_adjustment": _l("Chấp thuận điều chỉnh"),
    "reject_adjustment": _l("Không chấp thuận điều chỉnh"),
    "suspend": _l("Tạm dừng"),
    "resume": _l("Cho tiếp tục"),
    "terminate": _l("Chấm dứt"),
    "complete": _l("Báo cáo hoàn thành"),
    "report_result": _l("Báo cáo kết quả"),
    "evaluate": _l("Đánh giá kết quả"),
    "request_protection": _l("Đề nghị bảo vệ"),
    "determine_protection": _l("Xác định biện pháp bảo vệ"),
    "record_liability_outcome": _l("Ghi quyết định về trách nhiệm"),
    "commend": _l("Khen thưởng"),
    "record_cadre_evaluation_input": _l("Ghi thông tin đánh giá cán bộ"),
    "consider_early_salary_step": _l("Nâng bậc lương trước thời hạn"),
    "hold_interim_review": _l("Sơ kết"),
    "hold_final_review": _l("Tổng kết"),
    "propose_replication": _l("Đề xuất nhân rộng"),
    "approve_replication": _l("Chấp thuận nhân rộng"),
    "name_proposers": _l("Giao người đề xuất"),
    "hand_over": _l("Tiếp nhận hồ sơ của đơn vị đã sáp nhập, chia tách, đổi tên"),
    "recommend_institutionalisation": _l("Kiến nghị thể chế hóa"),
    "correct": _l("Đề nghị đính chính"),
    "countersign_correction": _l("Ký xác nhận đính chính"),
    "archive": _l("Lưu trữ hồ sơ"),
}

FIELDS: dict[str, Any] = {
    "title": _l("Tên đề xuất"),
    "employing_organisation_id": _l("Cơ quan quản lý, sử dụng"),
    "co_proposer_ids": _l("Người cùng đề xuất"),
    "regime": _l("Trình tự"),
    "summary": _l("Tóm tắt"),
    "necessity": _l("Sự cần thiết"),
    "purpose": _l("Mục đích"),
    "content": _l("Nội dung"),
    "solutions": _l("Giải pháp"),
    "scope": _l("Phạm vi"),
    "subjects": _l("Đối tượng"),
    "resources": _l("Nguồn lực"),
    "budget_source": _l("Nguồn kinh phí"),
    "feasibility": _l("Tính khả thi"),
    "positive_impacts": _l("Tác động tích cực"),
    "negative_impacts": _l("Tác động tiêu cực"),
    "worst_case": _l("Tình huống xấu nhất"),
    "remedies": _l("Biện pháp khắc phục"),
    "expected_results": _l("Kết quả dự kiến (mỗi dòng một kết quả)"),
    "tasks": _l("Nhiệm vụ (mỗi dòng một nhiệm vụ)"),
    "rules_concerned": _l("Quy định liên quan (mỗi dòng một quy định)"),
    "bottleneck": _l("Điểm nghẽn"),
    "no_self_interest": _l("Cam kết không vì động cơ vụ lợi"),
    "grounds_in_practice": _l("Cơ sở thực tiễn"),
    "grounds_in_science": _l("Cơ sở khoa học"),
    "not_contrary_to_party_line_constitution_or_law": _l(
        "Cam kết không trái chủ trương, đường lối của Đảng, Hiến pháp và pháp luật"
    ),
    "grounds_confirmed": _l(
        "Xác nhận đề xuất có cơ sở thực tiễn, khoa học và không trái chủ trương, đường lối"
        " của Đảng, Hiến pháp và pháp luật"
    ),
    "options": _l("Các phương án"),
    "description": _l("Mô tả"),
    "chosen_option": _l("Phương án chọn"),
    "chosen_option_reason": _l("Lý do chọn phương án"),
    "planned_start": _l("Dự kiến bắt đầu"),
    "planned_end": _l("Dự kiến kết thúc"),
    "situation": _l("Tình huống"),
    "acted_on": _l("Ngày đã hành động (nếu có)"),
    "receipt_date": _l("Ngày tiếp nhận"),
    "incoming_number": _l("Số văn bản đến"),
    "items": _l("Nội dung cần giải trình (mỗi dòng một nội dung)"),
    "due_date": _l("Hạn trả lời"),
    "changes": _l("Nội dung thay đổi"),
    "note": _l("Ghi chú"),
    "phase": _l("Giai đoạn"),
    "opinion": _l("Ý kiến"),
    "document_ref": _l("Số, ký hiệu văn bản"),
    "attachments": _l("Văn bản đính kèm (mã SHA-256, mỗi dòng một mã)"),
    "meeting_date": _l("Ngày họp"),
    "attendee_ids": _l("Thành phần dự họp"),
    "votes": _l("Biểu quyết"),
    "person_id": _l("Người"),
    "vote": _l("Biểu quyết"),
    "minutes_ref": _l("Số biên bản họp"),
    "basis": _l("Căn cứ quyết định"),
    "decision_document": _l("Văn bản quyết định"),
    "approved_scope": _l("Phạm vi được chấp thuận"),
    "approved_start": _l("Ngày bắt đầu được chấp thuận"),
    "approved_end": _l("Ngày kết thúc được chấp thuận"),
    "assignee_ids": _l("Người được giao thực hiện"),
    "directions": _l("Chỉ đạo"),
    "justification": _l("Lý do (bắt buộc khi người đứng đầu quyết định khác đa số)"),
    "reasons": _l("Lý do (mỗi dòng một lý do)"),
    "reason": _l("Lý do"),
    "superior_id": _l("Cơ quan cấp trên"),
    "people": _l("Nhân lực (mỗi dòng một người)"),
    "equipment": _l("Trang thiết bị"),
    "funds_vnd": _l("Kinh phí (đồng)"),
    "funding_source": _l("Nguồn kinh phí"),
    "actual_start": _l("Ngày bắt đầu thực tế"),
    "period": _l("Kỳ báo cáo"),
    "progress": _l("Tiến độ"),
    "issues": _l("Vấn đề phát sinh"),
    "kind": _l("Hình thức"),
    "findings": _l("Nhận xét, phát hiện"),
    "recommendations": _l("Kiến nghị"),
    "part_of_work": _l("Phần việc"),
    "outside_approved_scope": _l("Ngoài phạm vi, thời gian được chấp thuận"),
    "obstacle": _l("Vướng mắc"),
    "obstacle_version": _l("Vướng mắc (số phiên bản sự kiện)"),
    "measure": _l("Biện pháp"),
    "request_version": _l("Đề nghị điều chỉnh (số phiên bản sự kiện)"),
    "start": _l("Ngày bắt đầu"),
    "end": _l("Ngày kết thúc"),
    "completion_date": _l("Ngày hoàn thành"),
    "results": _l("Kết quả theo từng mục tiêu"),
    "objective": _l("Mục tiêu"),
    "result": _l("Kết quả"),
    "damage_caused": _l("Có gây thiệt hại"),
    "damage_description": _l("Mô tả thiệt hại"),
    "damage_amount_vnd": _l("Giá trị thiệt hại (đồng)"),
    "causes": _l("Nguyên nhân"),
    "honesty_declaration": _l("Tôi cam đoan báo cáo trung thực"),
    "outcome": _l("Kết quả đánh giá"),
    "parts": _l("Từng phần việc"),
    "part": _l("Phần việc"),
    "objective_causes": _l("Nguyên nhân khách quan"),
    "subjective_causes": _l("Nguyên nhân chủ quan"),
    "followed_policy": _l("Thực hiện đúng chủ trương"),
    "pure_motive": _l("Động cơ trong sáng"),
    "common_interest": _l("Vì lợi ích chung"),
    "within_scope_and_time": _l("Trong phạm vi, thời gian được chấp thuận"),
    "self_interest_or_abuse": _l("Có vụ lợi hoặc lạm dụng"),
    "evidence": _l("Tài liệu chứng minh (mỗi dòng một tài liệu)"),
    "trigger": _l("Căn cứ đề nghị"),
    "proceeding_ref": _l("Số hồ sơ vụ việc"),
    "body_organisation_id": _l("Cơ quan có thẩm quyền quyết định"),
    "decision": _l("Quyết định"),
    "awarding_organisation_id": _l("Cơ quan khen thưởng"),
    "form": _l("Hình thức khen thưởng"),
    "person_ids": _l("Người được khen thưởng"),
    "personnel_organisation_id": _l("Cơ quan quản lý cán bộ"),
    "facts": _l("Nội dung"),
    "months_early": _l("Số tháng nâng trước (tối đa 12)"),
    "lessons": _l("Bài học kinh nghiệm"),
    "target_organisation_ids": _l("Cơ quan, đơn vị nhân rộng"),
    "proposal_version": _l("Đề xuất nhân rộng (số phiên bản sự kiện)"),
    "target_instrument": _l("Văn bản cần ban hành, sửa đổi"),
    "drafting_body": _l("Cơ quan chủ trì soạn thảo"),
    "corrected_version": _l("Sự kiện được đính chính (số phiên bản)"),
    "corrections": _l("Nội dung đính chính"),
    "correction_version": _l("Đề nghị đính chính (số phiên bản sự kiện)"),
    "archive_ref": _l("Số hồ sơ lưu trữ"),
    "from_organisation_id": _l("Đơn vị đã sáp nhập, chia tách hoặc đổi tên"),
    "to_organisation_id": _l("Đơn vị kế thừa"),
    "relation": _l("Hình thức kế thừa"),
    "effective_on": _l("Ngày có hiệu lực"),
    "roles": _l("Vai trò được chuyển giao"),
    # columns of the dashboards and their exports
    "organisation": _l("Cơ quan"),
    "eligible_voter_ids": _l("Thành viên có quyền biểu quyết"),
    "passed": _l("Thông qua"),
    "proposal": _l("Nội dung đề xuất"),
    "approval": _l("Nội dung chấp thuận"),
    "provisional": _l("Tính theo ngày nghỉ chưa chính thức"),
    "provisional_dates": _l("Ngày nghỉ chưa chính thức"),
    "calendar_missing": _l("Năm chưa có lịch ngày nghỉ"),
    "addressee_id": _l("Mã cơ quan tiếp nhận"),
    "approval_basis": _l("Căn cứ chấp thuận"),
    "approved_on": _l("Ngày chấp thuận"),
    "created_at": _l("Ngày lập"),
    "outside_approval": _l("Có việc ngoài phạm vi, thời gian được chấp thuận"),
    "head_override": _l("Người đứng đầu quyết định khác đa số"),
    "parent_id": _l("Mã đề xuất gốc"),
    "party_opinions": _l("Ý kiến cấp ủy"),
    "position": _l("Vị trí trong nhật ký"),
    "proposer_ids": _l("Mã người đề xuất"),
    "terms_start": _l("Bắt đầu theo chấp thuận"),
    "terms_end": _l("Kết thúc theo chấp thuận"),
    "version": _l("Phiên bản"),
    "aggregate_id": _l("Mã hồ sơ"),
    "aggregate_type": _l("Loại hồ sơ"),
    "event_type": _l("Loại sự kiện"),
    "recorded_at": _l("Thời điểm ghi"),
    "actor_person_id": _l("Mã người thực hiện"),
    "actor_name": _l("Người thực hiện"),
    "actor_role": _l("Vai trò"),
    "actor_organisation_id": _l("Mã cơ quan người thực hiện"),
    "request_id": _l("Mã yêu cầu"),
    "data": _l("Nội dung"),
    "what": _l("Nội dung xem"),
    "id": _l("Mã"),
    "initiative_id": _l("Mã đề xuất"),
    "organisation_id": _l("Mã cơ quan"),
    "authority_id": _l("Mã cơ quan có thẩm quyền"),
    "key": _l("Mã danh bạ"),
    "name": _l("Tên"),
    "clock": _l("Thời hạn"),
    "state": _l("Tình trạng"),
    "status": _l("Trạng thái"),
    "level": _l("Cấp"),
    "updated_at": _l("Cập nhật"),
    "started_on": _l("Bắt đầu tính"),
    "due_on": _l("Hạn"),
    "finished_on": _l("Kết thúc"),
    "working_days_left": _l("Số ngày làm việc còn lại"),
    "overdue_by_working_days": _l("Số ngày làm việc quá hạn"),
    "own": _l("Riêng đơn vị"),
    "rolled_up": _l("Tính cả đơn vị trực thuộc"),
    "total": _l("Tổng số"),
    "by_status": _l("Theo trạng thái"),
    "by_outcome": _l("Theo kết quả"),
    "full_name": _l("Họ và tên"),
    "indicator": _l("Chỉ tiêu"),
    "target": _l("Kế hoạch"),
    "proposed": _l("Đã đề xuất"),
    "approved": _l("Được chấp thuận"),
    "completed": _l("Hoàn thành"),
    "commended": _l("Được khen thưởng"),
    "protected": _l("Được bảo vệ"),
    "supervision_notes": _l("Số nhận xét giám sát"),
    "last_supervision_on": _l("Nhận xét giám sát gần nhất"),
    "recommended_measure": _l("Biện pháp khuyến nghị"),
    "determined_measure": _l("Biện pháp đã quyết định"),
    "protection_mismatch": _l("Khác khuyến nghị"),
    "protection_requested": _l("Có yêu cầu bảo vệ"),
    "waiting_for": _l("Đang chờ"),
    "next_actor": _l("Người phải xử lý tiếp"),
    "next_actor_organisation_id": _l("Mã cơ quan phải xử lý tiếp"),
    "next_actor_person_ids": _l("Mã người phải xử lý tiếp"),
}

CHOICES: dict[str, Any] = {
    # what an inspector read (the access log)
    "record": _l("Toàn bộ hồ sơ đề xuất"),
    # statuses
    "draft": _l("Dự thảo"),
    "submitted": _l("Đã nộp"),
    "under_review": _l("Đang xem xét"),
    "clarification_requested": _l("Chờ giải trình"),
    "urgent_reported": _l("Đã báo cáo khẩn cấp"),
    "approved": _l("Đã chấp thuận"),
    "rejected": _l("Không chấp thuận"),
    "withdrawn": _l("Đã rút"),
    "in_progress": _l("Đang triển khai"),
    "suspended": _l("Tạm dừng"),
    "terminated": _l("Đã chấm dứt"),
    "completed": _l("Hoàn thành"),
    "under_evaluation": _l("Đang đánh giá"),
    "evaluated": _l("Đã đánh giá"),
    "archived": _l("Đã lưu trữ"),
    # regimes, phases, votes, bases
    "regular": _l("Thông thường"),
    "urgent": _l("Khẩn cấp"),
    "approval": _l("Chấp thuận chủ trương"),
    "evaluation": _l("Đánh giá kết quả"),
    "for": _l("Tán thành"),
    "against": _l("Không tán thành"),
    "abstain": _l("Không biểu quyết"),
    "majority": _l("Theo đa số"),
    "tie_head_side": _l("Ngang phiếu, theo ý người đứng đầu"),
    "head_override": _l("Người đứng đầu quyết định khác đa số"),
    # bottlenecks
    "not_regulated": _l("Chưa có quy định"),
    "regulated_but_unsuitable": _l("Có quy định nhưng không phù hợp"),
    "conflicting": _l("Quy định chồng chéo, mâu thuẫn"),
    # supervision kinds, protection triggers
    "inspection": _l("Kiểm tra, thanh tra"),
    "supervision": _l("Giám sát"),
    "monitoring": _l("Theo dõi"),
    "discipline": _l("Xem xét kỷ luật"),
    "audit": _l("Kiểm toán"),
    "criminal": _l("Tố tụng hình sự"),
    # outcomes and measures
    "partially_completed": _l("Hoàn thành một phần"),
    "not_completed": _l("Không hoàn thành"),
    "no_liability": _l("Không bị xem xét xử lý trách nhiệm"),
    "liability_excluded": _l("Loại trừ trách nhiệm"),
    "consider_exclusion_exemption_mitigation": _l("Xem xét loại trừ, miễn, giảm trách nhiệm"),
    "not_eligible": _l("Không thuộc diện bảo vệ"),
    # commendations
    "praise": _l("Biểu dương"),
    "certificate_of_merit": _l("Bằng khen, giấy khen"),
    "emulation_title": _l("Danh hiệu thi đua"),
    "order_or_medal": _l("Huân chương, huy chương"),
    # roles
    "head": _l("Người đứng đầu"),
    "deputy": _l("Cấp phó"),
    "staff": _l("Công chức"),
    "party_committee": _l("Cấp ủy viên"),
    "inspector": _l("Thanh tra viên, kiểm tra viên"),
    "personnel": _l("Cán bộ tổ chức"),
    "commendation": _l("Cán bộ thi đua - khen thưởng"),
    "clerk": _l("Văn thư"),
    "admin": _l("Quản trị"),
    # what people are to an initiative (who must act next)
    "proposer": _l("Người đề xuất"),
    "assignee": _l("Người được giao thực hiện"),
    # organisations: kinds, levels, succession
    "party_board": _l("Ban của cấp ủy"),
    "peoples_council": _l("Hội đồng nhân dân"),
    "peoples_committee": _l("Ủy ban nhân dân"),
    "state_agency": _l("Cơ quan nhà nước"),
    "public_service_unit": _l("Đơn vị sự nghiệp công lập"),
    "state_enterprise": _l("Doanh nghiệp nhà nước"),
    "inspection_commission": _l("Ủy ban kiểm tra"),
    "inspectorate": _l("Thanh tra"),
    "mass_organisation": _l("Tổ chức chính trị - xã hội"),
    "central": _l("Trung ương"),
    "province": _l("Cấp tỉnh"),
    "district": _l("Cấp huyện"),
    "commune": _l("Cấp xã"),
    "merged_into": _l("Hợp nhất vào"),
    "split_from": _l("Chia tách từ"),
    "renamed_from": _l("Đổi tên từ"),
    # what a merged, split or renamed unit was to an initiative it handed over
    "employer": _l("Cơ quan quản lý, sử dụng"),
    "addressee": _l("Cơ quan tiếp nhận đề xuất"),
    "authority": _l("Cấp có thẩm quyền quyết định"),
    # a unit's plan: its indicators, and the kinds of its reviews
    "proposed": _l("Đã đề xuất"),
    "replicated": _l("Được nhân rộng"),
    "institutionalised": _l("Được kiến nghị thể chế hóa"),
    "protected": _l("Được bảo vệ"),
    "missed_deadlines": _l("Số lần trễ hạn"),
    "interim": _l("Sơ kết"),
    "final": _l("Tổng kết"),
}

# Clock names (domain.md §7)
CLOCKS: dict[str, Any] = {
    "receipt": _l("Vào sổ đề xuất (2 ngày làm việc)"),
    "approval_decision": _l("Quyết định chủ trương (7 ngày làm việc)"),
    "obstacle_resolution": _l("Tháo gỡ vướng mắc (10 ngày làm việc)"),
    "result_report": _l("Báo cáo kết quả (5 ngày làm việc)"),
    "evaluation": _l("Đánh giá kết quả (7 ngày làm việc)"),
    "archiving": _l("Lưu trữ hồ sơ (1 năm)"),
    "running": _l("Còn hạn"),
    "overdue": _l("Quá hạn"),
    "met": _l("Đúng hạn"),
    "missed": _l("Trễ hạn"),
}

# What an initiative waits for, by the command awaited (domain/awaited.py)
WAITING: dict[str, Any] = {
    "receive": _l("Chờ tiếp nhận, vào sổ"),
    "give_party_opinion": _l("Chờ ý kiến cấp ủy"),
    "hold_leadership_meeting": _l("Chờ họp tập thể lãnh đạo"),
    "approve": _l("Sẵn sàng để người đứng đầu quyết định"),
    "amend": _l("Chờ người đề xuất giải trình, bổ sung"),
    "authorize_urgent": _l("Chờ quyết định cho phép xử lý khẩn cấp"),
    "ratify_urgent": _l("Chờ công nhận việc xử lý khẩn cấp đã thực hiện"),
    "report_result": _l("Chờ báo cáo kết quả"),
    "evaluate": _l("Sẵn sàng để đánh giá kết quả"),
    "archive": _l("Chờ lưu trữ hồ sơ"),
    "resolve_obstacle": _l("Chờ tháo gỡ vướng mắc"),
}


def waiting_label(command: str | None) -> str:
    """What a row waits for, by the command awaited (the command's name when none is
    written; a dash when it waits on nobody)."""
    if command is None:
        return "—"
    return str(WAITING.get(command, command))


# marshmallow's own messages, in the page's language
SCHEMA_MESSAGES: dict[str, Any] = {
    "Missing data for required field.": _l("Bắt buộc nhập."),
    "Not a valid date.": _l("Ngày không hợp lệ."),
    "Not a valid integer.": _l("Phải là số nguyên."),
    "Not a valid UUID.": _l("Giá trị không hợp lệ."),
    "Not a valid boolean.": _l("Giá trị không hợp lệ."),
    "Not a valid list.": _l("Giá trị không hợp lệ."),
    "Field may not be null.": _l("Bắt buộc nhập."),
    "Unknown field.": _l("Trường không được phép."),
    "Must be one of: ": _l("Phải là một trong các giá trị cho phép."),
    "Shorter than minimum length 1.": _l("Bắt buộc nhập."),
}


# Field names and codes a page asked a label for and found none (shown as they are): a test
# renders every page and fails on any (tests/e2e/test_pages_readable.py).
MISSES: set[str] = set()
CODE = re.compile(r"^[a-z]+(_[a-z]+)+$")  # what a code of a closed list looks like


def field_label(name: str) -> str:
    """The label of a field (its name when none is written)."""
    if name not in FIELDS and len(MISSES) < 1000:
        MISSES.add(name)
    return str(FIELDS.get(name, name.replace("_", " ")))


def choice_label(value: Any) -> str:
    """The label of an enumeration value (the value when none is written)."""
    if value is None:
        return "—"
    text = str(value)
    if text not in CHOICES and CODE.match(text) and len(MISSES) < 1000:
        MISSES.add(text)
    return str(CHOICES.get(text, text))


def command_label(method: str) -> str:
    """The name of a command on its button."""
    return str(COMMANDS.get(method, method))


def schema_message(message: str) -> str:
    """A marshmallow message in the page's language (unknown ones as they are)."""
    for english, translated in SCHEMA_MESSAGES.items():
        if message == english or (english.endswith(": ") and message.startswith(english)):
            return str(translated)
    return message


EVENTS: dict[str, Any] = {
    "Drafted": _l("Lập dự thảo"),
    "Submitted": _l("Nộp đề xuất"),
    "Received": _l("Tiếp nhận"),
    "ClarificationRequested": _l("Yêu cầu giải trình"),
    "Amended": _l("Sửa đổi đề xuất"),
    "PartyOpinionGiven": _l("Ý kiến cấp ủy"),
    "LeadershipMeetingHeld": _l("Họp tập thể lãnh đạo"),
    "Approved": _l("Chấp thuận chủ trương"),
    "Rejected": _l("Không chấp thuận"),
    "Escalated": _l("Chuyển cấp trên"),
    "Withdrawn": _l("Rút đề xuất"),
    "UrgentReported": _l("Báo cáo khẩn cấp"),
    "UrgentAuthorized": _l("Cho phép xử lý khẩn cấp"),
    "UrgentRatified": _l("Công nhận việc xử lý khẩn cấp đã thực hiện"),
    "UrgentRefused": _l("Không chấp thuận báo cáo khẩn cấp"),
    "ResourcesAllocated": _l("Bố trí nguồn lực"),
    "ImplementationStarted": _l("Bắt đầu triển khai"),
    "ProgressReported": _l("Báo cáo tiến độ"),
    "SupervisionNoteRecorded": _l("Nhận xét giám sát"),
    "ObstacleRaised": _l("Báo vướng mắc"),
    "ObstacleResolved": _l("Tháo gỡ vướng mắc"),
    "AdjustmentRequested": _l("Đề nghị điều chỉnh"),
    "AdjustmentApproved": _l("Chấp thuận điều chỉnh"),
    "AdjustmentRejected": _l("Không chấp thuận điều chỉnh"),
    "Suspended": _l("Tạm dừng"),
    "Resumed": _l("Tiếp tục"),
    "Terminated": _l("Chấm dứt"),
    "Completed": _l("Hoàn thành"),
    "ResultReported": _l("Báo cáo kết quả"),
    "Evaluated": _l("Đánh giá kết quả"),
    "ProtectionRequested": _l("Đề nghị bảo vệ"),
    "ProtectionDetermined": _l("Xác định biện pháp bảo vệ"),
    "LiabilityOutcomeRecorded": _l("Quyết định về trách nhiệm"),
    "Commended": _l("Khen thưởng"),
    "CadreEvaluationInputRecorded": _l("Thông tin đánh giá cán bộ"),
    "EarlySalaryStepConsidered": _l("Nâng bậc lương trước thời hạn"),
    "InterimReviewHeld": _l("Sơ kết"),
    "FinalReviewHeld": _l("Tổng kết"),
    "ReplicationProposed": _l("Đề xuất nhân rộng"),
    "ReplicationApproved": _l("Chấp thuận nhân rộng"),
    "HandedOver": _l("Bàn giao sang đơn vị kế thừa"),
    "InstitutionalisationRecommended": _l("Kiến nghị thể chế hóa"),
    "CorrectionProposed": _l("Đề nghị đính chính"),
    "Corrected": _l("Đính chính (đã ký xác nhận)"),
    "Archived": _l("Lưu trữ"),
    "Replicated": _l("Nhân rộng từ đề xuất gốc"),
    "Created": _l("Khởi tạo"),
    "Accessed": _l("Xem hồ sơ (thanh tra, kiểm tra)"),
    "Recorded": _l("Lập kế hoạch của đơn vị"),
    "Revised": _l("Điều chỉnh kế hoạch của đơn vị"),
    "Opened": _l("Mở hồ sơ sơ kết, tổng kết của đơn vị"),
    "ReviewRecorded": _l("Sơ kết, tổng kết của đơn vị"),
}


def event_label(event_type: str) -> str:
    """The name of an event in the timeline."""
    return str(EVENTS.get(event_type, event_type))
