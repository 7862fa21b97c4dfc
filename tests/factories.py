"""Small builders for test data: a directory and proposals, with readable defaults."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from domain.application import LedgerApplication
from domain.values import Actor, Context, organisation_id, person_id, utc_now
from projections.db import Database
from projections.ledger.acts import ActKeys
from projections.ledger.note import Signer
from projections.storage import Storage

START = date(2025, 7, 1)
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi, a Monday


def _act_key_file() -> Path:
    """The act signing key of this test session, shared with every process the tests start
    (through ACT_KEY_FILE in the environment they inherit)."""
    if not os.environ.get("ACT_KEY_FILE"):
        from web.key_files import write_new_key

        folder = Path(tempfile.mkdtemp(prefix="ledger-test-acts-"))
        atexit.register(shutil.rmtree, folder, True)  # the process that made it, when it ends
        write_new_key(folder / "act-key", "ledger.example/test/acts")
        os.environ["ACT_KEY_FILE"] = str(folder / "act-key")
    return Path(os.environ["ACT_KEY_FILE"])


ACT_KEY_FILE = _act_key_file()
ACTS = ActKeys.of(Signer.parse(ACT_KEY_FILE.read_text(encoding="ascii")))


def stored_application(
    storage: Storage, clock: Callable[[], datetime] = utc_now
) -> LedgerApplication:
    """The application on a real store as the service runs it: acts signed and checked."""
    return LedgerApplication(env=storage.eventsourcing_env(), clock=clock, mapper=ACTS.mapper)


class Clock:
    """A settable server clock."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def on(self, day: date, hour: int = 3) -> None:
        """Set to `day` at `hour` UTC (10:00 in Vietnam by default)."""
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def org(key: str, name: str, kind: str, level: str, **extra: Any) -> dict[str, Any]:
    """An organisation entry of an import file."""
    return {"key": key, "name": name, "kind": kind, "level": level, "valid_from": START, **extra}


def ward_committee(key: str, name: str, **extra: Any) -> dict[str, Any]:
    """A ward's people's committee, under the city's and in Bến Thành ward's party committee
    (as every ward of the tests is)."""
    return org(
        key,
        name,
        "peoples_committee",
        "commune",
        superior="hcm-ubnd",
        party_committee="ben-thanh-dang-uy",
        **extra,
    )


def inspection_commission(
    key: str, name: str, party_committee: str, level: str = "commune"
) -> dict[str, Any]:
    """The inspection commission (UBKT) of a party committee, under that committee."""
    return org(
        key,
        name,
        "inspection_commission",
        level,
        superior=party_committee,
        party_committee=party_committee,
    )


def person(key: str, full_name: str, party_member: bool = True) -> dict[str, Any]:
    """A person entry of an import file."""
    return {"key": key, "full_name": full_name, "party_member": party_member, "identifiers": {}}


def position(person_key: str, org_key: str, role: str, **extra: Any) -> dict[str, Any]:
    """A position entry of an import file."""
    return {
        "person": person_key,
        "organisation": org_key,
        "role": role,
        "valid_from": START,
        **extra,
    }


def officer(
    key: str,
    full_name: str,
    org_key: str,
    role: str,
    title: str | None = None,
    *,
    party_member: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A person of an import file and the position they hold (with its title, if given)."""
    titled = {} if title is None else {"title": title}
    return person(key, full_name, party_member), position(key, org_key, role, **titled)


def directory(
    organisations: Sequence[dict[str, Any]] = (),
    officers: Sequence[tuple[dict[str, Any], dict[str, Any]]] = (),
    positions: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """An import file: its organisations (if any), the people of its officers, and their
    positions followed by any further `positions`."""
    file: dict[str, Any] = {"organisations": list(organisations)} if organisations else {}
    return {
        **file,
        "people": [someone for someone, _ in officers],
        "positions": [held for _, held in officers] + list(positions),
    }


def ward_directory() -> dict[str, Any]:
    """A city, a ward after the 2025 merger, its party committee and eight people."""
    return directory(
        organisations=[
            org(
                "hcm-ubnd",
                "Ủy ban nhân dân Thành phố Hồ Chí Minh",
                "peoples_committee",
                "province",
                party_committee="hcm-thanh-uy",
            ),
            org(
                "hcm-thanh-uy",
                "Thành ủy Thành phố Hồ Chí Minh",
                "party_committee",
                "province",
                party_committee="hcm-thanh-uy",
            ),
            ward_committee("ben-thanh-ubnd", "Ủy ban nhân dân phường Bến Thành"),
            org(
                "ben-thanh-dang-uy",
                "Đảng ủy phường Bến Thành",
                "party_committee",
                "commune",
                superior="hcm-thanh-uy",
                party_committee="ben-thanh-dang-uy",
            ),
        ],
        officers=[
            officer("chu-tich", "Nguyễn Thị Hồng", "ben-thanh-ubnd", "head", "Chủ tịch"),
            officer("pho-1", "Trần Văn Bình", "ben-thanh-ubnd", "deputy", "Phó Chủ tịch"),
            officer("pho-2", "Lê Minh Châu", "ben-thanh-ubnd", "deputy", "Phó Chủ tịch"),
            officer("can-bo", "Phạm Đức Dũng", "ben-thanh-ubnd", "staff", "Chuyên viên"),
            officer(
                "van-thu", "Võ Thị Em", "ben-thanh-ubnd", "clerk", "Văn thư", party_member=False
            ),
            officer(
                "dang-uy", "Hoàng Văn Phúc", "ben-thanh-dang-uy", "party_committee", "Đảng ủy viên"
            ),
            officer("tp-chu-tich", "Đặng Quốc Giang", "hcm-ubnd", "head", "Chủ tịch"),
            officer("tp-pho", "Bùi Thị Hạnh", "hcm-ubnd", "deputy", "Phó Chủ tịch"),
        ],
        positions=[
            position("tp-chu-tich", "hcm-thanh-uy", "party_committee", title="Thành ủy viên")
        ],
    )


def pid(key: str) -> UUID:
    """The person id of a directory key."""
    return person_id(key)


def oid(key: str) -> UUID:
    """The organisation id of a directory key."""
    return organisation_id(key)


def proposal(**overrides: Any) -> dict[str, Any]:
    """A complete Art. 7 proposal."""
    return {
        "necessity": "Thủ tục cấp phép kéo dài, người dân phải đi lại nhiều lần.",
        "purpose": "Rút ngắn thời gian cấp phép xuống 3 ngày.",
        "bottleneck": "regulated_but_unsuitable",
        "rules_concerned": ["Quyết định 12/2020/QĐ-UBND"],
        "content": "Tiếp nhận hồ sơ trực tuyến và liên thông.",
        "tasks": ["Xây dựng quy trình", "Đào tạo cán bộ"],
        "solutions": "Một cửa liên thông điện tử.",
        "scope": "Phường Bến Thành",
        "subjects": "Hộ kinh doanh",
        "planned_start": date(2026, 4, 1),
        "planned_end": date(2026, 12, 31),
        "resources": "2 cán bộ, 1 máy chủ",
        "budget_source": "Ngân sách phường",
        "feasibility": "Cao",
        "positive_impacts": "Giảm thời gian chờ.",
        "negative_impacts": "Chi phí đào tạo.",
        "expected_results": ["Thời gian cấp phép 3 ngày"],
        **choice(
            ("Trực tuyến", "Nộp hồ sơ qua cổng"),
            ("Giữ nguyên", "Không thay đổi"),
            reason="Nhanh nhất.",
            worst_case="Hệ thống lỗi, quay lại quy trình giấy.",
            remedies="Duy trì song song quầy giấy trong 3 tháng.",
        ),
        "no_self_interest": True,
        **grounds(),
        **overrides,
    }


def grounds(**overrides: Any) -> dict[str, Any]:
    """The declaration of grounds of a proposal or an urgent report (domain.md §5.13)."""
    return {
        "grounds_in_practice": "Người dân phải đi lại nhiều lần; 1.200 hồ sơ giấy mỗi năm.",
        "grounds_in_science": "Mô hình một cửa điện tử đã được đánh giá ở 3 phường.",
        "not_contrary_to_party_line_constitution_or_law": True,
        **overrides,
    }


def urgent_report(**overrides: Any) -> dict[str, Any]:
    """An urgent report: the situation, two options, the choice, the declaration of grounds."""
    return {
        "situation": "Ngập sâu, cần mở đường tạm",
        **choice(
            ("Mở đường tạm", ""),
            ("Chờ", ""),
            reason="An toàn người dân",
            worst_case="Sụt lún",
            remedies="Rào chắn",
        ),
        **grounds(),
        **overrides,
    }


def urgent_terms(**overrides: Any) -> dict[str, Any]:
    """The body of an urgent authorization or ratification (March 2026), with its directions
    and the confirmation of the declaration of grounds."""
    return {
        "decision_document": "QĐ khẩn 1",
        "approved_scope": "Đường tạm",
        "approved_start": date(2026, 3, 1),
        "approved_end": date(2026, 3, 31),
        "resources": "Đội xung kích",
        "assignee_ids": [pid("can-bo")],
        "directions": "Rào chắn trước khi đào; báo cáo ngay khi nước rút.",
        "grounds_confirmed": True,
        **overrides,
    }


def choice(
    chosen: tuple[str, str], *others: tuple[str, str], reason: str, worst_case: str, remedies: str
) -> dict[str, Any]:
    """The options part of a proposal or an urgent report: the options as (title,
    description), the first one chosen, why, the worst case and its remedies."""
    return {
        "options": [{"title": t, "description": d} for t, d in (chosen, *others)],
        "chosen_option": chosen[0],
        "chosen_option_reason": reason,
        "worst_case": worst_case,
        "remedies": remedies,
    }


def receipt_clock_started(started_on: Any, due_on: Any) -> dict[str, Any]:
    """A receipt clock as it stands the day it starts (its days as dates, or as the API's
    ISO strings): two working days left, nothing provisional."""
    return {
        "name": "receipt",
        "legal_basis": "our choice",
        "length": 2,
        "unit": "working_days",
        "started_on": started_on,
        "due_on": due_on,
        "finished_on": None,
        "status": "running",
        "working_days_left": 2,
        "overdue_by_working_days": 0,
        "provisional": False,
        "provisional_dates": [],
        "calendar_missing": [],
        "obstacle_version": None,
    }


# The events of the proposal path, in order (`Scenario.to_approval`).
PROPOSAL_PATH = [
    "Drafted",
    "Submitted",
    "Received",
    "PartyOpinionGiven",
    "LeadershipMeetingHeld",
    "Approved",
]


def ctx(person_key: str, clock: Clock) -> Context:
    """The context of a command by the person with this key, now."""
    return Context(person_id=pid(person_key), at=clock(), request_id=str(uuid4()))


def approval(**overrides: Any) -> dict[str, Any]:
    """The body of an approval by majority."""
    return {
        "basis": "majority",
        "decision_document": "QĐ 15/QĐ-UBND",
        "approved_scope": "Phường Bến Thành",
        "approved_start": date(2026, 4, 1),
        "approved_end": date(2026, 12, 31),
        "resources": "2 cán bộ",
        "assignee_ids": [pid("can-bo")],
        "directions": "Báo cáo hằng tháng.",
        "grounds_confirmed": True,
        **overrides,
    }


def as_the_previous_release(
    app: LedgerApplication, initiative_id: UUID, event: str, by: Actor, at: Context, **data: Any
) -> None:
    """Record the event named `event` with `data` as the release before the declaration of
    grounds stored it: without the command's checks, and without `grounds_confirmed` in its
    stored form (a proposal or an urgent report without the declaration is `data`'s)."""
    initiative = app.repository.get(initiative_id)
    initiative._trigger(getattr(initiative, event), by, at, **data)
    pending = initiative.collect_events()
    for recorded in pending:
        vars(recorded).pop("grounds_confirmed", None)
    app.recorder.insert_events([app.mapper.to_stored_event(e) for e in pending])


class Scenario:
    """Drives one initiative through the proposal path on an application."""

    def __init__(self, app: LedgerApplication, clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self.id: UUID | None = None

    def as_(self, key: str) -> Context:
        return ctx(key, self.clock)

    def draft(self, by: str = "can-bo", org_key: str = "ben-thanh-ubnd", **kw: Any) -> UUID:
        created = self.app.create_initiative(
            self.as_(by), title="Một cửa điện tử", employing_organisation_id=oid(org_key), **kw
        )
        self.id = created["id"]
        return self.id

    def submit(self, by: str = "can-bo", **kw: Any) -> int:
        return self.app.submit(self.as_(by), self.id, None, **proposal(**kw))

    def receive(self, by: str = "van-thu") -> int:
        return self.app.receive(
            self.as_(by), self.id, None, receipt_date=self.clock().date(), incoming_number="123/CV"
        )

    def party_opinion(self, by: str = "dang-uy") -> int:
        return self.app.give_party_opinion(
            self.as_(by),
            self.id,
            None,
            phase="approval",
            opinion="Đồng ý chủ trương",
            document_ref="CV 5/ĐU",
        )

    def meeting(
        self, votes: dict[str, str], by: str = "chu-tich", present: Sequence[str] = ()
    ) -> int:
        """The leadership meeting today: its attendees are the members who voted and those
        `present` who did not."""
        return self.app.hold_leadership_meeting(
            self.as_(by),
            self.id,
            None,
            meeting_date=self.clock().date(),
            attendee_ids=[pid(k) for k in (*votes, *present)],
            votes=[{"person_id": pid(k), "vote": v} for k, v in votes.items()],
            minutes_ref="BB 7/UBND",
        )

    def approve(self, by: str = "chu-tich", **kw: Any) -> int:
        return self.app.approve(self.as_(by), self.id, None, **approval(**kw))

    def to_review(self, by: str = "can-bo") -> UUID:
        """Drafted and submitted by `by`, received by the clerk."""
        self.draft(by)
        self.submit(by)
        self.receive()
        return self.id  # type: ignore[return-value]

    def to_approval(self, votes: dict[str, str] | None = None) -> int:
        self.to_review()
        self.party_opinion()
        self.meeting(votes or {"chu-tich": "for", "pho-1": "for", "pho-2": "against"})
        return self.approve()


def oversight_directory() -> dict[str, Any]:
    """Bodies and officers the later stages need, on top of the ward directory."""
    return directory(
        organisations=[
            inspection_commission(
                "hcm-ubkt", "Ủy ban Kiểm tra Thành ủy", "hcm-thanh-uy", level="province"
            ),
            ward_committee("sai-gon-ubnd", "Ủy ban nhân dân phường Sài Gòn"),
        ],
        officers=[
            officer("kiem-tra", "Mai Xuân Sơn", "hcm-ubkt", "inspector", "Ủy viên UBKT"),
            officer(
                "thi-dua", "Trương Công Vinh", "hcm-ubnd", "commendation", "Chuyên viên thi đua"
            ),
            officer("to-chuc", "Huỳnh Thị Yến", "hcm-ubnd", "personnel", "Chuyên viên tổ chức"),
            officer(
                "tp-van-thu",
                "Cao Thị Thủy",
                "hcm-ubkt",
                "clerk",
                "Văn thư UBKT",
                party_member=False,
            ),
        ],
    )


def result_report(**overrides: Any) -> dict[str, Any]:
    """A result report without damage."""
    return {
        "results": [{"objective": "Thời gian cấp phép 3 ngày", "result": "Đạt 2,5 ngày"}],
        "damage_caused": False,
        "damage_description": "",
        "damage_amount_vnd": 0,
        "causes": "Quy trình mới và cán bộ được tập huấn.",
        "honesty_declaration": True,
        **overrides,
    }


# The four findings of an evaluation that make a cadre eligible for protection.
FINDINGS = ("followed_policy", "pure_motive", "common_interest", "within_scope_and_time")


def evaluation(outcome: str = "completed", **overrides: Any) -> dict[str, Any]:
    """An evaluation with every finding true."""
    return {
        "parts": [{"part": "Tiếp nhận trực tuyến", "outcome": outcome}],
        "outcome": outcome,
        "damage_caused": False,
        "damage_description": "",
        "damage_amount_vnd": 0,
        "objective_causes": "Hạ tầng ổn định.",
        "subjective_causes": "Cán bộ tận tâm.",
        "findings": dict.fromkeys(FINDINGS, True),
        "self_interest_or_abuse": False,
        "document_ref": "BB đánh giá 3/UBND",
        **overrides,
    }


def determination(measure: str, **overrides: Any) -> dict[str, Any]:
    """The body of a determination of protection."""
    return {"measure": measure, "reasons": "x", "evidence": [], "document_ref": "QĐ", **overrides}


def commendation(form: str = "certificate_of_merit", **overrides: Any) -> dict[str, Any]:
    """The body of a commendation of can-bo by the city's people's committee."""
    return {
        "awarding_organisation_id": oid("hcm-ubnd"),
        "form": form,
        "person_ids": [pid("can-bo")],
        "decision_document": "QĐ",
        **overrides,
    }


def early_salary_step(months_early: int, decision: str) -> dict[str, Any]:
    """The body of a consideration of an early salary step for can-bo."""
    return {
        "personnel_organisation_id": oid("hcm-ubnd"),
        "person_id": pid("can-bo"),
        "months_early": months_early,
        "decision": decision,
    }


class Life(Scenario):
    """Drives an approved initiative through its pilot and aftermath."""

    def cmd(self, name: str, by: str, **body: Any) -> int:
        """Run the registry's command `name` as the person `by`."""
        assert self.id is not None
        return self.app.execute(name, self.as_(by), self.id, None, **body)

    def start(self) -> int:
        self.clock.on(date(2026, 4, 1))
        return self.cmd("start_implementation", "can-bo", actual_start=date(2026, 4, 1))

    def complete(self, on: date = date(2026, 12, 1)) -> int:
        self.clock.on(on)
        return self.cmd("complete", "can-bo", completion_date=on)

    def report(self, **overrides: Any) -> int:
        return self.cmd("report_result", "can-bo", **result_report(**overrides))

    def evaluation_round(self, voters: tuple[str, ...] = ("chu-tich", "pho-1")) -> None:
        self.cmd(
            "give_party_opinion",
            "dang-uy",
            phase="evaluation",
            opinion="Đồng ý kết quả",
            document_ref="CV 9/ĐU",
        )
        self.cmd(
            "hold_leadership_meeting",
            "chu-tich",
            meeting_date=self.clock().date(),
            attendee_ids=[pid(k) for k in voters],
            votes=[{"person_id": pid(k), "vote": "for"} for k in voters],
            minutes_ref="BB 12/UBND",
        )

    def evaluate(self, outcome: str = "completed", **overrides: Any) -> int:
        self.evaluation_round()
        return self.cmd("evaluate", "chu-tich", **evaluation(outcome, **overrides))

    def replicate(self, target: str = "sai-gon-ubnd") -> UUID:
        """Replication in `target` proposed by the ward's head and approved by the city's; the
        id of the child initiative created there."""
        assert self.id is not None
        proposal = self.cmd(
            "propose_replication",
            "chu-tich",
            target_organisation_ids=[oid(target)],
            reason="Hiệu quả cao",
        )
        self.cmd(
            "approve_replication",
            "tp-chu-tich",
            proposal_version=proposal,
            decision_document="QĐ 99/QĐ-UBND",
        )
        children = self.app.get_initiative(self.id)["replications"][-1]["children"]
        return UUID(str(children[str(oid(target))]))

    def to_evaluated(self, outcome: str = "completed", **overrides: Any) -> int:
        self.to_approval()
        self.start()
        self.complete()
        self.report()
        return self.evaluate(outcome, **overrides)


def refusal(values: Mapping[str, str]) -> str:
    """The one line that settings `values` stop the process with (ConfigError)."""
    import pytest

    from web.config import ConfigError, Settings

    with pytest.raises(ConfigError) as refused:
        Settings.load(values)
    assert "\n" not in str(refused.value), "a refusal is one line"
    return str(refused.value)


def history_starts_at(db: Database, position: int) -> None:
    """Make the views' history start at log position `position`, as a store upgraded to it
    at that position (migrations r0017) has it: an earlier moment is replayed."""
    with db.transaction() as tx:
        tx.execute("DELETE FROM view_history WHERE view = 'directory'")
        tx.execute("INSERT INTO view_history (view, since) VALUES ('directory', ?)", (position,))
