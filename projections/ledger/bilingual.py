"""The offline verifier's bilingual words (`ledger verify`: what a receipt proves, Vietnamese
then English, for readers of either language at a terminal). The dossier's story names things
in the pages' Vietnamese terms instead (projections/terms.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from projections.ledger.story import ENVELOPE

if TYPE_CHECKING:
    from projections.ledger.verify import VerifiedReceipt

LABELS = {
    "Drafted": ("Lập dự thảo đề xuất", "Drafted"),
    "Submitted": ("Gửi đề xuất", "Submitted"),
    "Received": ("Tiếp nhận đề xuất", "Received"),
    "ClarificationRequested": ("Yêu cầu giải trình", "Clarification requested"),
    "Amended": ("Bổ sung, sửa đổi đề xuất", "Amended"),
    "PartyOpinionGiven": ("Ý kiến của cấp ủy cùng cấp", "Party committee opinion"),
    "LeadershipMeetingHeld": ("Họp tập thể lãnh đạo", "Leadership meeting"),
    "Approved": ("Phê duyệt chủ trương", "Approved in principle"),
    "Rejected": ("Không phê duyệt", "Rejected"),
    "Escalated": ("Chuyển cấp trên", "Escalated"),
    "Withdrawn": ("Rút đề xuất", "Withdrawn"),
    "UrgentReported": ("Báo cáo tình huống cấp bách", "Urgent situation reported"),
    "UrgentAuthorized": ("Cho phép thực hiện cấp bách", "Urgent action authorized"),
    "UrgentRatified": ("Chấp thuận việc đã làm khi cấp bách", "Urgent action ratified"),
    "UrgentRefused": ("Không chấp thuận việc cấp bách", "Urgent action refused"),
    "ResourcesAllocated": ("Bố trí nguồn lực", "Resources allocated"),
    "ImplementationStarted": ("Bắt đầu triển khai", "Implementation started"),
    "ProgressReported": ("Báo cáo tiến độ", "Progress reported"),
    "SupervisionNoteRecorded": ("Kiểm tra, giám sát", "Supervision note"),
    "ObstacleRaised": ("Nêu vướng mắc", "Obstacle raised"),
    "ObstacleResolved": ("Tháo gỡ vướng mắc", "Obstacle resolved"),
    "AdjustmentRequested": ("Đề nghị điều chỉnh", "Adjustment requested"),
    "AdjustmentApproved": ("Chấp thuận điều chỉnh", "Adjustment approved"),
    "AdjustmentRejected": ("Không chấp thuận điều chỉnh", "Adjustment rejected"),
    "Suspended": ("Tạm dừng", "Suspended"),
    "Resumed": ("Tiếp tục", "Resumed"),
    "Terminated": ("Dừng thực hiện", "Terminated"),
    "Completed": ("Hoàn thành triển khai", "Completed"),
    "ResultReported": ("Báo cáo kết quả", "Result reported"),
    "Evaluated": ("Đánh giá kết quả", "Evaluated"),
    "ProtectionRequested": ("Đề nghị bảo vệ", "Protection requested"),
    "ProtectionDetermined": ("Xác định biện pháp bảo vệ", "Protection determined"),
    "LiabilityOutcomeRecorded": ("Ghi nhận kết luận trách nhiệm", "Liability outcome recorded"),
    "Commended": ("Biểu dương, khen thưởng", "Commended"),
    "CadreEvaluationInputRecorded": ("Ghi nhận căn cứ đánh giá cán bộ", "Evaluation input"),
    "EarlySalaryStepConsidered": ("Xét nâng lương trước thời hạn", "Early salary step"),
    "InterimReviewHeld": ("Sơ kết", "Interim review"),
    "FinalReviewHeld": ("Tổng kết", "Final review"),
    "ReplicationProposed": ("Đề xuất nhân rộng", "Replication proposed"),
    "ReplicationApproved": ("Cho phép nhân rộng", "Replication approved"),
    "Replicated": ("Khởi tạo theo nhân rộng", "Created by replication"),
    "HandedOver": ("Bàn giao sang đơn vị kế thừa", "Handed over to the successor"),
    "InstitutionalisationRecommended": ("Kiến nghị thể chế hóa", "Institutionalisation"),
    "CorrectionProposed": ("Đề nghị đính chính", "Correction proposed"),
    "Corrected": ("Đính chính (đã ký xác nhận)", "Corrected (countersigned)"),
    "Archived": ("Lưu trữ", "Archived"),
    "Registered": ("Đăng ký vào danh mục", "Registered in the directory"),
    "DetailsChanged": ("Thay đổi thông tin danh mục", "Directory details changed"),
    "PositionAssigned": ("Bổ nhiệm chức vụ", "Position assigned"),
    "PositionChanged": ("Thay đổi chức vụ", "Position changed"),
}
ROLES = {
    "head": "người đứng đầu",
    "deputy": "cấp phó",
    "staff": "công chức",
    "party_committee": "cấp ủy viên",
    "inspector": "kiểm tra viên",
    "personnel": "cán bộ tổ chức",
    "commendation": "cán bộ thi đua",
    "clerk": "văn thư",
    "admin": "quản trị",
}


def describe(verified: VerifiedReceipt) -> list[str]:
    """The proven fact in plain words, Vietnamese first, then English."""
    kind = verified.event_type
    vi, en = LABELS.get(kind, (kind, kind))
    content = verified.content
    lines = [
        f"Sự kiện / Event: {vi} / {en}",
        f"Đối tượng / Record: {verified.record.aggregate_id}, phiên bản / version"
        f" {verified.record.version}",
        f"Thời điểm ghi / Recorded at (UTC): {content.get('timestamp', '?')}",
    ]
    actor = content.get("actor")
    if actor:
        lines.append(
            f"Người thực hiện / Actor: {actor['name']} — {ROLES.get(actor['role'], actor['role'])}"
            f" / {actor['role']} — cơ quan / organisation {actor['organisation_id']}"
        )
    for key, value in content.items():
        if key not in ENVELOPE:
            lines.append(f"  {key}: {value}")
    lines.append(
        f"Vị trí trong sổ / Log index {verified.index} trong cây / in the tree of"
        f" {verified.checkpoint.size} ({verified.checkpoint.origin}); chữ ký hợp lệ / signature"
        " valid; bằng chứng đưa vào hợp lệ / inclusion proof valid"
    )
    lines.append(
        f"Chữ ký ghi nhận hành vi hợp lệ / Act signature valid: {verified.act_key.encode()}"
    )
    for name, stamp in sorted(verified.cosignatures.items()):
        when = datetime.fromtimestamp(stamp, tz=UTC).isoformat()
        lines.append(f"Nhân chứng đồng ký / Cosigned by witness {name} at {when}")
    authority = verified.authority
    if authority is not None:
        position = authority.position
        until = position.get("valid_to") or "…"
        lines.append(
            f"Căn cứ thẩm quyền / Authority: {position.get('title') or position['role']}"
            f" ({position['role']}) của cơ quan / of organisation {authority.organisation_id},"
            f" từ / from {position['valid_from']} đến / to {until}, còn hiệu lực ngày / in force"
            f" on {authority.day:%d/%m/%Y} — theo {authority.versions} sự kiện danh mục của cơ"
            f" quan đến trước hành vi / per the organisation's {authority.versions} directory"
            f" events before the act ({authority.after}), proven in the same checkpoint"
        )
    return lines
