"""What the pages call things: Vietnamese message ids, English in the catalogue.

Field names are the schemas' (and so the application methods') parameter names; one label per
name serves every form that has it. Values of enumerations keep their stored codes and get a
label here; an unknown code is shown as it is stored. The field, value and event labels are
the catalogue's (projections/terms.py), which the dossier's story reads too: here they are
translated.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from projections import terms

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

FIELDS: dict[str, Any] = {key: _l(text) for key, text in terms.FIELDS.items()}

CHOICES: dict[str, Any] = {key: _l(text) for key, text in terms.CHOICES.items()}

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


# marshmallow's own messages, in the page's language (and in the API's problems when the
# request asks for Vietnamese: web/problem_language.py)
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
    "Not a valid string.": _l("Phải là chuỗi ký tự."),
    "Not a valid datetime.": _l("Thời điểm không hợp lệ."),
    "Invalid input type.": _l("Kiểu dữ liệu không hợp lệ."),
    # the schemas' own (web/schemas/common.py)
    "must not be empty": _l("Không được để trống."),
    "control characters are not allowed": _l("Không được chứa ký tự điều khiển."),
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


# Marshmallow's messages that carry values (its validators' bounds), and the schemas' own.
SCHEMA_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"Longer than maximum length (?P<n>\d+)\."), _l("Dài quá mức tối đa %(n)s.")),
    (
        re.compile(r"Shorter than minimum length (?P<n>\d+)\."),
        _l("Ngắn hơn mức tối thiểu %(n)s."),
    ),
    (
        re.compile(r"Length must be between (?P<a>\d+) and (?P<b>\d+)\."),
        _l("Độ dài phải từ %(a)s đến %(b)s."),
    ),
    (
        re.compile(
            r"Must be greater than or equal to (?P<a>\S+) and less than or equal to (?P<b>\S+)\."
        ),
        _l("Phải từ %(a)s đến %(b)s."),
    ),
    (re.compile(r"Must be greater than or equal to (?P<a>\S+)\."), _l("Phải từ %(a)s trở lên.")),
    (re.compile(r"Must be less than or equal to (?P<a>\S+)\."), _l("Phải từ %(a)s trở xuống.")),
    (re.compile(r"must be between (?P<a>.+) and (?P<b>.+)"), _l("Phải từ %(a)s đến %(b)s.")),
]


def schema_message(message: str) -> str:
    """A marshmallow message in the page's language (unknown ones as they are)."""
    for english, translated in SCHEMA_MESSAGES.items():
        if message == english or (english.endswith(": ") and message.startswith(english)):
            return str(translated)
    for pattern, said in SCHEMA_PATTERNS:
        if found := pattern.fullmatch(message):
            return str(said) % found.groupdict()
    return message


EVENTS: dict[str, Any] = {key: _l(text) for key, text in terms.EVENTS.items()}


def event_label(event_type: str) -> str:
    """The name of an event in the timeline."""
    return str(EVENTS.get(event_type, event_type))
