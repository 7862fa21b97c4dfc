"""The readable parts of a dossier — `history.json` and `story.html` — as pure functions of
the proven records, so that a verifier regenerates them from the receipts and compares them
byte for byte (a dossier whose text was changed fails, even with its manifest recomputed).
Standard library only."""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from projections.ledger.leaf import StoredRecord, event_type, plain_state

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving time in Vietnam
# Fields of an act's body that a history entry shows apart from its data.
ENVELOPE = ("timestamp", "actor", "request_id", "originator_topic")

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


def history_entry(record: StoredRecord, body: bytes) -> dict[str, Any]:
    """One event as a history entry, from its proven record and its act's body."""
    data = plain_state(body)
    return {
        "version": record.version,
        "type": event_type(record.topic),
        "recorded_at": data.get("timestamp"),
        "actor": data.get("actor"),
        "request_id": data.get("request_id"),
        "data": {k: v for k, v in data.items() if k not in ENVELOPE},
    }


def to_json(value: Any) -> bytes:
    """The dossier's JSON encoding (indented, Vietnamese readable)."""
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


def render_story(initiative_id: UUID, history: list[dict[str, Any]]) -> str:
    """The printable story of an initiative, Vietnamese with English."""
    return story_head(initiative_id) + "".join(map(story_row, history)) + STORY_TAIL


def story_row(entry: dict[str, Any]) -> str:
    """One history entry as a row of the story's table."""
    vi, en = LABELS.get(entry["type"], (entry["type"], entry["type"]))
    when = datetime.fromisoformat(str(entry["recorded_at"])).astimezone(VIETNAM)
    actor = entry.get("actor") or {}
    role = actor.get("role", "")
    details = "; ".join(
        f"{k}: {v}" for k, v in entry["data"].items() if not isinstance(v, dict | list)
    )
    return (
        "<tr>"
        f"<td>{entry['version']}</td><td>{when:%d/%m/%Y %H:%M}</td>"
        f"<td><b>{html.escape(vi)}</b><br><i>{html.escape(en)}</i></td>"
        f"<td>{html.escape(actor.get('name', ''))}<br>"
        f"{html.escape(ROLES.get(role, role))} / {html.escape(role)}</td>"
        f"<td>{html.escape(details)}</td></tr>"
    )


def story_head(initiative_id: UUID) -> str:
    """The story up to its first row."""
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Hồ sơ sáng kiến {initiative_id}</title>
<style>body{{font-family:serif;margin:2cm}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #444;padding:4px;vertical-align:top;font-size:11pt}}
@media print{{tr{{page-break-inside:avoid}}}}</style></head><body>
<h1>Hồ sơ sáng kiến / Initiative dossier</h1>
<p>Mã / Id: {initiative_id}. Thời gian theo giờ Việt Nam (UTC+7) / times in Vietnam time.</p>
<table><thead><tr><th>#</th><th>Ngày giờ / When</th><th>Sự kiện / Event</th>
<th>Người thực hiện / Actor</th><th>Nội dung / Details</th></tr></thead>
<tbody>"""


STORY_TAIL = "</tbody></table></body></html>\n"
