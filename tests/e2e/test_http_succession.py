"""The succession of authority after a merger, split or renaming (docs/domain.md §5.15),
through the HTTP API on both backends: the successor's head takes over (`hand-over`) what an
initiative still awaits of the old unit, the successor's positions decide from then, the
history keeps the old unit, and the outcome roll-up follows from the succession's date only."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import one_app_per_module
from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.e2e.test_pages import csrf_of, in_session
from tests.e2e.test_pages_readable import PAGES, scanned, visible
from tests.factories import (
    Clock,
    approval,
    ctx,
    directory,
    evaluation,
    officer,
    oid,
    person,
    pid,
    position,
    proposal,
    result_report,
    ward_committee,
)
from tests.integration.test_tamper import wait_for

MERGER = date(2026, 4, 1)  # A, B and C are merged into D on this day (a Wednesday)
WARDS = {
    "a": "Ủy ban nhân dân phường An Phú",
    "b": "Ủy ban nhân dân phường Bình Trưng Đông",
    "c": "Ủy ban nhân dân phường Bình Trưng Tây",
}
D_NAME = "Ủy ban nhân dân phường Bình Trưng"
PEOPLE = {
    "a": ("Lương Văn An", "Tạ Thị Ánh", "Doãn Minh Ân"),
    "b": ("Lục Văn Bảo", "Quách Thị Bích", "Kha Minh Bằng"),
    "c": ("Mạc Văn Cường", "Lạc Thị Cúc", "Ông Minh Công"),
}


def ward(letter: str, **extra: Any) -> dict[str, Any]:
    """Ward A, B or C as the directory records it."""
    return ward_committee(f"{letter}-ubnd", WARDS[letter], **extra)


def wards_before_the_merger() -> dict[str, Any]:
    """Wards A, B and C, each with its head, clerk and a cadre (who proposes)."""
    officers = []
    for letter, (head, clerk, cadre) in PEOPLE.items():
        org = f"{letter}-ubnd"
        officers += [
            officer(f"{letter}-chu-tich", head, org, "head", "Chủ tịch"),
            officer(f"{letter}-van-thu", clerk, org, "clerk", "Văn thư", party_member=False),
            officer(f"{letter}-can-bo", cadre, org, "staff", "Chuyên viên"),
        ]
    return directory(organisations=[ward(letter) for letter in WARDS], officers=officers)


def the_merger() -> dict[str, Any]:
    """The directory change recorded before the day: D from MERGER; A, B and C end the day
    before, merged into D (their positions are left open: a unit's positions end with it);
    D's head is new, B's head becomes D's deputy, A's clerk D's clerk, the cadres D's."""
    last_day = date(2026, 3, 31)
    merged = [{"relation": "merged_into", "organisation": "d-ubnd", "date": MERGER}]
    in_d = {"valid_from": MERGER}
    return {
        "organisations": [
            ward_committee("d-ubnd", D_NAME, valid_from=MERGER),
            *(ward(letter, valid_to=last_day, succession=merged) for letter in WARDS),
        ],
        "people": [person("d-chu-tich", "Phan Đình Dũng")],
        "positions": [
            position("d-chu-tich", "d-ubnd", "head", title="Chủ tịch", **in_d),
            position("b-chu-tich", "d-ubnd", "deputy", title="Phó Chủ tịch", **in_d),
            position("a-van-thu", "d-ubnd", "clerk", title="Văn thư", **in_d),
            *(
                position(f"{x}-can-bo", "d-ubnd", "staff", title="Chuyên viên", **in_d)
                for x in "abc"
            ),
        ],
    }


def successors() -> dict[str, Any]:
    """For the refusals and the other successions: Đa Kao ward, into which Tân Định was
    merged on 1 March 2026 and Phú Nhuận will be on 1 June; Thủ Thiêm, split into An Khánh
    and An Lợi Đông on 1 March; Cầu Kho, renamed Cầu Ông Lãnh on 1 March."""

    def into(key: str, on: date, relation: str = "merged_into") -> list[dict[str, Any]]:
        return [{"relation": relation, "organisation": key, "date": on}]

    march, june = date(2026, 3, 1), date(2026, 6, 1)
    return directory(
        organisations=[
            ward_committee("da-kao-ubnd", "Ủy ban nhân dân phường Đa Kao"),
            ward_committee(
                "tan-dinh-ubnd",
                "Ủy ban nhân dân phường Tân Định",
                succession=into("da-kao-ubnd", march),
            ),
            ward_committee(
                "phu-nhuan-ubnd",
                "Ủy ban nhân dân phường Phú Nhuận",
                succession=into("da-kao-ubnd", june),
            ),
            ward_committee("thu-thiem-ubnd", "Ủy ban nhân dân phường Thủ Thiêm"),
            ward_committee(
                "an-khanh-ubnd",
                "Ủy ban nhân dân phường An Khánh",
                succession=into("thu-thiem-ubnd", march, "split_from"),
            ),
            ward_committee(
                "an-loi-dong-ubnd",
                "Ủy ban nhân dân phường An Lợi Đông",
                succession=into("thu-thiem-ubnd", march, "split_from"),
            ),
            ward_committee("cau-kho-ubnd", "Ủy ban nhân dân phường Cầu Kho"),
            ward_committee(
                "cau-ong-lanh-ubnd",
                "Ủy ban nhân dân phường Cầu Ông Lãnh",
                succession=into("cau-kho-ubnd", march, "renamed_from"),
            ),
        ],
        officers=[
            officer("dk-chu-tich", "Văn Đình Khoa", "da-kao-ubnd", "head", "Chủ tịch"),
            officer("dk-van-thu", "Lê Thị Kiều", "da-kao-ubnd", "clerk", "Văn thư"),
            officer("td-chu-tich", "Hà Văn Quang", "tan-dinh-ubnd", "head", "Chủ tịch"),
            officer("td-can-bo", "Kiều Thị Oanh", "tan-dinh-ubnd", "staff", "Chuyên viên"),
            officer("pn-can-bo", "Âu Văn Phát", "phu-nhuan-ubnd", "staff", "Chuyên viên"),
            officer("tt-can-bo", "Thân Thị Thu", "thu-thiem-ubnd", "staff", "Chuyên viên"),
            officer("ak-chu-tich", "Tôn Văn Khánh", "an-khanh-ubnd", "head", "Chủ tịch"),
            officer("ald-chu-tich", "Vi Thị Lợi", "an-loi-dong-ubnd", "head", "Chủ tịch"),
            officer("ck-can-bo", "Giáp Văn Kha", "cau-kho-ubnd", "staff", "Chuyên viên"),
            officer("col-chu-tich", "Đàm Thị Lãnh", "cau-ong-lanh-ubnd", "head", "Chủ tịch"),
        ],
    )


storage, module_clock, clock, web_app = one_app_per_module(wards_before_the_merger, successors)


class Ward:
    """Drives the initiatives of one ward over HTTP."""

    def __init__(self, client: FlaskClient, auth: Any, letter: str) -> None:
        self.client, self.auth, self.letter = client, auth, letter

    def drafted(self, by: str = "") -> Driver:
        http = Driver(self.client, self.auth)
        http.draft(by or f"{self.letter}-can-bo", employing_organisation_id=str(oid(self.org)))
        return http

    @property
    def org(self) -> str:
        return f"{self.letter}-ubnd"

    def submitted(self) -> Driver:
        http = self.drafted()
        http.post("submit", f"{self.letter}-can-bo", proposal())
        return http

    def in_review(self) -> Driver:
        http = self.submitted()
        http.post(
            "receive",
            f"{self.letter}-van-thu",
            {"receipt_date": "2026-03-02", "incoming_number": "1"},
        )
        return http

    def approved(self) -> Driver:
        """Reviewed, the party committee's opinion, a meeting of the head alone (the ward's
        only eligible member), approved from today with the cadre assigned."""
        http = self.in_review()
        head = f"{self.letter}-chu-tich"
        decided(http, head, [head], "approval")
        terms = approval(
            approved_start=date(2026, 3, 2), assignee_ids=[pid(f"{self.letter}-can-bo")]
        )
        http.post("approve", head, terms)
        return http

    def running(self) -> Driver:
        http = self.approved()
        http.post("start", f"{self.letter}-can-bo", {"actual_start": "2026-03-02"})
        return http

    def evaluated(self) -> Driver:
        http = self.running()
        cadre, head = f"{self.letter}-can-bo", f"{self.letter}-chu-tich"
        http.post("complete", cadre, {"completion_date": "2026-03-02"})
        http.post("report-result", cadre, result_report())
        decided(http, head, [head], "evaluation")
        http.post("evaluate", head, evaluation())
        return http


def decided(
    http: Driver, chair: str, members: list[str], phase: str, on: str = "2026-03-02"
) -> None:
    """The party committee's opinion of `phase`, then a meeting where `members` vote for."""
    http.post(
        "party-opinion", "dang-uy", {"phase": phase, "opinion": "Đồng ý", "document_ref": "CV"}
    )
    votes = [{"person_id": str(pid(k)), "vote": "for"} for k in members]
    meeting = {"meeting_date": on, "attendee_ids": [str(pid(k)) for k in members]}
    http.post("leadership-meeting", chair, {**meeting, "votes": votes, "minutes_ref": "BB"})


def refused(http: Driver, path: str, who: str, body: dict[str, Any], status: int) -> str:
    """The refusal's detail; nothing recorded."""
    before = len(http.history("tp-chu-tich"))
    response = http.client.post(
        f"{API}/{http.id}/{path}", json=plain(body), headers=http.auth(who)
    )
    detail = str(problem_of(response, status)["detail"])
    assert len(http.history("tp-chu-tich")) == before
    return detail


def from_(key: str, to: str | None = None, **extra: str) -> dict[str, str]:
    """The body of a handover from the organisation with this key (to the one with the key
    `to`, when the body names the successor)."""
    named = {"to_organisation_id": str(oid(to))} if to else {}
    return {"from_organisation_id": str(oid(key)), **named, **extra}


def own(client: FlaskClient, auth: Any, as_of: str | None = None) -> dict[str, Any]:
    """Each organisation's own counts by status, from the outcomes dashboard (now, or as of a
    past moment), for the wards of the merger."""
    wait_for(client, lambda health: not health["views_lag"])
    rows = client.get(
        "/api/v1/dashboard/outcomes",
        query_string={"as_of": as_of} if as_of else {},
        headers=auth("tp-chu-tich"),
    ).get_json()
    return {
        r["key"]: r["own"]["by_status"]
        for r in rows["items"]
        if r["key"] in ("a-ubnd", "b-ubnd", "c-ubnd", "d-ubnd")
    }


def clocks_of(client: FlaskClient, auth: Any, *drivers: Driver) -> set[tuple[str, str, str]]:
    """(initiative, clock, organisation) of the deadlines dashboard's unfinished clocks."""
    wait_for(client, lambda health: not health["views_lag"])
    report = client.get("/api/v1/dashboard/deadlines", headers=auth("tp-chu-tich")).get_json()
    ids = {d.id for d in drivers}
    return {
        (r["initiative_id"], r["name"], r["organisation_id"])
        for r in report["running"] + report["missed"]
        if r["initiative_id"] in ids and r["finished_on"] is None
    }


REJECTION = {"reasons": ["Trùng lặp"], "document_ref": "CV 9"}
A, D = str(oid("a-ubnd")), str(oid("d-ubnd"))
# Each ward's own initiatives by status before the merger (and, as of then, ever after).
BEFORE = {
    "a-ubnd": {"evaluated": 1, "under_review": 1, "in_progress": 1},
    "b-ubnd": {"submitted": 1},
    "c-ubnd": {"under_review": 1},
}


class Merger:
    """The initiatives of wards A, B and C on 2 March: A evaluated one (`done`) and runs a
    pilot; a proposal waits in each ward (B's not yet received)."""

    def __init__(self, client: FlaskClient, auth: Any, web_app: Flask, clock: Clock) -> None:
        self.client, self.auth, self.web_app, self.clock = client, auth, web_app, clock
        a, b, c = (Ward(client, auth, letter) for letter in "abc")
        self.done, self.a_pending, self.pilot = a.evaluated(), a.in_review(), a.running()
        self.b_pending, self.c_pending = b.submitted(), c.in_review()
        self.recorded = ""

    @property
    def handed_over(self) -> tuple[Driver, ...]:
        return (self.a_pending, self.pilot, self.b_pending, self.c_pending)

    def recorded_ahead(self) -> None:
        """16 March: the directory records the merger; nothing moves, and A's head still
        decides until the day (D's head holds no position before it)."""
        self.clock.on(date(2026, 3, 16))
        self.web_app.extensions["ledger.service"].get().import_directory(the_merger(), "test")
        self.recorded = self.clock().isoformat()
        assert own(self.client, self.auth) == {**BEFORE, "d-ubnd": {}}
        detail = refused(self.a_pending, "hand-over", "d-chu-tich", from_("a-ubnd"), 403)
        assert f"did not hold a head position in {D_NAME} on 16/03/2026" in detail
        self.pilot.post("allocate-resources", "a-chu-tich", {"funds_vnd": 5_000_000})

    def taken_over(self) -> None:
        """1 April: A, B and C have ended, so has their heads' authority; D's head does not
        decide for them, and takes over what has not ended."""
        self.clock.on(MERGER)
        detail = refused(self.a_pending, "reject", "a-chu-tich", REJECTION, 403)
        assert f"did not hold a head position in {WARDS['a']} on 01/04/2026" in detail
        detail = refused(self.a_pending, "reject", "d-chu-tich", REJECTION, 403)
        assert f"Phan Đình Dũng did not hold a head position in {WARDS['a']}" in detail
        detail = refused(self.done, "hand-over", "d-chu-tich", from_("a-ubnd"), 409)
        assert "cannot hand over an initiative that is evaluated" in detail
        for http, letter in zip(self.handed_over[:3], "aab", strict=True):
            http.post("hand-over", "d-chu-tich", from_(f"{letter}-ubnd", document_ref="BB 1"))
        # C's proposal through the page's form, which D's head is offered.
        in_session(self.client, self.web_app, "d-chu-tich")
        address = f"/initiatives/{self.c_pending.id}"
        page = self.client.get(address).get_data(as_text=True)
        assert "Tiếp nhận hồ sơ của đơn vị đã sáp nhập, chia tách, đổi tên" in page
        form = {"csrf_token": csrf_of(self.client, address), **from_("c-ubnd")}
        assert self.client.post(f"{address}/do/hand_over", data=form).status_code == 302
        detail = refused(self.a_pending, "hand-over", "d-chu-tich", from_("a-ubnd"), 409)
        assert "already handed over to the successor on 01/04/2026 (version 4)" in detail

    def history_kept(self) -> None:
        """The successor is named where the old unit was; the events, the approval and the
        state as it stood keep the old unit; the running clocks moved, the others did not."""
        state = self.a_pending.state("d-chu-tich")
        assert (state["employing_organisation_id"], state["addressee_id"]) == (D, D)
        assert state["handovers"] == [
            {
                "version": 4,
                "from_organisation_id": A,
                "to_organisation_id": D,
                "relation": "merged_into",
                "effective_on": "2026-04-01",
                "roles": ["employer", "addressee"],
                "handed_over_on": "2026-04-01",
            }
        ]
        history = self.a_pending.history("d-chu-tich")
        assert [(h["type"], h["actor"]["organisation_id"]) for h in history[1:]] == [
            ("Submitted", A),
            ("Received", A),
            ("HandedOver", D),
        ]
        assert history[-1]["data"]["document_ref"] == "BB 1"
        then = self.client.get(
            f"{API}/{self.a_pending.id}",
            query_string={"as_of": self.recorded},
            headers=self.auth("tp-chu-tich"),
        ).get_json()
        assert (then["employing_organisation_id"], then["handovers"]) == (A, [])
        running = self.pilot.state("d-chu-tich")
        assert (running["approval"]["authority_id"], running["authority_id"]) == (A, D)
        assert running["handovers"][0]["roles"] == ["employer", "addressee", "authority"]
        assert clocks_of(self.client, self.auth, self.done, *self.handed_over) == {
            (self.done.id, "archiving", A),
            (self.a_pending.id, "approval_decision", D),
            (self.b_pending.id, "receipt", D),
            (self.c_pending.id, "approval_decision", D),
        }

    def decided_by_the_successor(self) -> None:
        """D's clerk receives, D's party committee, collective and head decide; the pilot
        goes on under D; the old heads and clerks are refused."""
        a_pending, b_pending, pilot = self.a_pending, self.b_pending, self.pilot
        refused(pilot, "suspend", "a-chu-tich", {"reason": "x", "decision_document": "QĐ"}, 403)
        receipt = {"receipt_date": "2026-04-01", "incoming_number": "5"}
        refused(b_pending, "receive", "b-van-thu", receipt, 403)
        decided(a_pending, "d-chu-tich", ["d-chu-tich", "b-chu-tich"], "approval", "2026-04-01")
        a_pending.post("approve", "d-chu-tich", approval(assignee_ids=[pid("a-can-bo")]))
        assert a_pending.state("d-chu-tich")["approval"]["authority_id"] == D
        b_pending.post("receive", "a-van-thu", receipt)
        refused(b_pending, "reject", "b-chu-tich", REJECTION, 403)  # now D's deputy
        for http in (b_pending, self.c_pending):
            http.post("reject", "d-chu-tich", REJECTION)
        pilot.post("report-progress", "a-can-bo", {"period": "T4", "progress": "Tốt"})
        pilot.post("suspend", "d-chu-tich", {"reason": "Rà soát", "decision_document": "QĐ 2"})
        pilot.post("resume", "d-chu-tich", {"reason": "Tiếp tục", "decision_document": "QĐ 3"})
        assert pilot.history("d-chu-tich")[-1]["actor"]["organisation_id"] == D

    def shown_on_the_page(self) -> None:
        """The handover in the timeline, with the names; on every page of the successor's
        head and of a cadre of ward A, and on the handed-over initiatives' pages: no id,
        every label written."""
        page = self.client.get(f"/initiatives/{self.a_pending.id}").get_data(as_text=True)
        shown = visible(page)
        assert "Bàn giao sang đơn vị kế thừa" in shown
        assert WARDS["a"] in shown
        assert D_NAME in shown
        handed = [f"/initiatives/{http.id}" for http in (*self.handed_over, self.done)]
        assert scanned(self.client, (*PAGES, *handed)) == {}
        in_session(self.client, self.web_app, "a-can-bo")
        assert scanned(self.client, (*PAGES, *handed)) == {}


def test_a_whole_merger_three_wards_into_one(
    client: FlaskClient, auth: Any, web_app: Flask, clock: Clock
) -> None:
    merger = Merger(client, auth, web_app, clock)
    assert own(client, auth) == BEFORE
    merger.recorded_ahead()
    merger.taken_over()
    merger.history_kept()
    merger.decided_by_the_successor()
    # What A finished stays A's; what D took over counts under D from the handover; the
    # roll-up as it stood before the merger's day is unchanged.
    assert own(client, auth) == {
        "a-ubnd": {"evaluated": 1},
        "b-ubnd": {},
        "c-ubnd": {},
        "d-ubnd": {"approved": 1, "in_progress": 1, "rejected": 2},
    }
    assert own(client, auth, merger.recorded) == {**BEFORE, "d-ubnd": {}}
    merger.shown_on_the_page()


# Who proposes in each ward of the refusals.
CADRES = {
    "ben-thanh-ubnd": "can-bo",
    "tan-dinh-ubnd": "td-can-bo",
    "phu-nhuan-ubnd": "pn-can-bo",
    "thu-thiem-ubnd": "tt-can-bo",
}


@pytest.mark.usefixtures("clock")  # set back to 2 March
@pytest.mark.parametrize(
    ("org", "body", "who", "status", "detail"),
    [
        pytest.param(
            "ben-thanh-ubnd",
            from_("ben-thanh-ubnd"),
            "dk-chu-tich",
            409,
            "Ủy ban nhân dân phường Bến Thành was not merged into another organisation",
            id="not-merged",
        ),
        pytest.param(
            "ben-thanh-ubnd",
            from_("tan-dinh-ubnd"),
            "dk-chu-tich",
            409,
            "the initiative does not name that organisation",
            id="not-named",
        ),
        pytest.param(
            "phu-nhuan-ubnd",
            from_("phu-nhuan-ubnd"),
            "dk-chu-tich",
            409,
            "the succession takes effect on 01/06/2026, later than today, 02/03/2026",
            id="merger-in-the-future",
        ),
        *(  # only the successor's head takes over
            pytest.param(
                "tan-dinh-ubnd",
                from_("tan-dinh-ubnd"),
                who,
                403,
                "did not hold a head position in Ủy ban nhân dân phường Đa Kao",
                id=case,
            )
            for case, who in [
                ("the-old-head", "td-chu-tich"),
                ("the-successors-clerk", "dk-van-thu"),
                ("the-superiors-head", "tp-chu-tich"),
            ]
        ),
        pytest.param(
            "thu-thiem-ubnd",
            from_("thu-thiem-ubnd"),
            "ak-chu-tich",
            409,
            "was not merged into another organisation (the directory records no merger):"
            " after a renaming or a split, name its successor",
            id="a-split-names-its-successor",
        ),
        pytest.param(
            "thu-thiem-ubnd",
            from_("thu-thiem-ubnd", to="da-kao-ubnd"),
            "dk-chu-tich",
            409,
            "the directory records no succession of Ủy ban nhân dân phường Thủ Thiêm by"
            " Ủy ban nhân dân phường Đa Kao",
            id="not-a-successor",
        ),
        pytest.param(
            "tan-dinh-ubnd",
            from_("tan-dinh-ubnd", to="an-khanh-ubnd"),
            "ak-chu-tich",
            409,
            "the directory records no succession of Ủy ban nhân dân phường Tân Định by",
            id="another-units-successor",
        ),
    ],
)
def test_a_handover_is_refused_naming_the_rule(
    client: FlaskClient,
    auth: Any,
    web_app: Flask,
    org: str,
    body: dict[str, str],
    who: str,
    status: int,
    detail: str,
) -> None:
    http = Driver(client, auth)
    by = CADRES[org]
    http.draft(by, employing_organisation_id=str(oid(org)))
    http.post("submit", by, proposal())
    assert detail in refused(http, "hand-over", who, body, status)


@pytest.mark.usefixtures("clock")
def test_what_ended_stays_with_the_old_unit(client: FlaskClient, auth: Any) -> None:
    http = Driver(client, auth)
    http.draft("td-can-bo", employing_organisation_id=str(oid("tan-dinh-ubnd")))
    http.post("withdraw", "td-can-bo", {"reason": "Không còn cần"})
    detail = refused(http, "hand-over", "dk-chu-tich", from_("tan-dinh-ubnd"), 409)
    assert "cannot hand over an initiative that is withdrawn" in detail


@pytest.mark.parametrize(
    ("org", "cadre", "successor", "head", "relation"),
    [
        ("thu-thiem-ubnd", "tt-can-bo", "an-khanh-ubnd", "ak-chu-tich", "split_from"),
        ("cau-kho-ubnd", "ck-can-bo", "cau-ong-lanh-ubnd", "col-chu-tich", "renamed_from"),
        ("tan-dinh-ubnd", "td-can-bo", "da-kao-ubnd", "dk-chu-tich", "merged_into"),
    ],
)
def test_after_a_split_or_a_renaming_the_successor_names_itself(
    client: FlaskClient,
    auth: Any,
    web_app: Flask,
    clock: Clock,
    org: str,
    cadre: str,
    successor: str,
    head: str,
    relation: str,
) -> None:
    service = web_app.extensions["ledger.service"].get()
    http = Driver(client, auth)
    http.draft(cadre, employing_organisation_id=str(oid(org)))
    http.post("submit", cadre, proposal())
    draft_id = UUID(http.id)

    def offered_to(key: str) -> bool:
        return bool(service.may(ctx(key, clock), draft_id, "hand_over"))

    assert offered_to(head)
    assert offered_to("ald-chu-tich") is (org == "thu-thiem-ubnd")  # the other split successor
    assert not offered_to("dk-van-thu")
    http.post("hand-over", head, from_(org, to=successor))
    state = http.state(head)
    assert state["employing_organisation_id"] == state["addressee_id"] == str(oid(successor))
    assert state["handovers"][0]["relation"] == relation
    assert not offered_to(head)
    assert not offered_to("ald-chu-tich")
    http.post("receive", head, {"receipt_date": "2026-03-02", "incoming_number": "7"})


def test_a_merger_to_come_is_not_offered_before_its_day(
    client: FlaskClient, auth: Any, web_app: Flask, clock: Clock
) -> None:
    service = web_app.extensions["ledger.service"].get()
    http = Driver(client, auth)
    http.draft("pn-can-bo", employing_organisation_id=str(oid("phu-nhuan-ubnd")))
    assert not service.may(ctx("dk-chu-tich", clock), UUID(http.id), "hand_over")
    clock.on(date(2026, 6, 1))
    assert service.may(ctx("dk-chu-tich", clock), UUID(http.id), "hand_over")
    http.post("hand-over", "dk-chu-tich", from_("phu-nhuan-ubnd"))
    assert http.state("dk-chu-tich")["handovers"][0]["effective_on"] == "2026-06-01"
