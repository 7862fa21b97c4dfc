"""Units' plans and their interim and final reviews through the HTTP API, on SQLite and
PostgreSQL: a plan recorded and revised (and every refusal), reviews whose figures are what
happened in the period, the final review once, the plan against its results, every event
sealed."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from domain.unit_plan import unit_reviews_id
from tests.e2e.test_http_api import Driver, plain
from tests.factories import (
    Clock,
    oid,
    person,
    pid,
    proposal,
    result_report,
)

BEN_THANH = str(oid("ben-thanh-ubnd"))
ORGS = "/api/v1/organisations"
TARGETS = [{"indicator": "proposed", "target": 5}, {"indicator": "approved", "target": 2}]


# The later stages' bodies and officers, for every test.
pytestmark = pytest.mark.usefixtures("oversight")


def plan(period: str = "2026-Q1", **overrides: Any) -> dict[str, Any]:
    return {
        "period": period,
        "targets": TARGETS,
        "responsible_person_ids": [str(pid("pho-1"))],
        "summary": "Mỗi quý ít nhất năm đề xuất đổi mới.",
        **overrides,
    }


def post(
    client: FlaskClient, auth: Any, path: str, who: str, body: dict[str, Any], status: int
) -> Any:
    response = client.post(f"{ORGS}/{BEN_THANH}/{path}", json=plain(body), headers=auth(who))
    assert response.status_code == status, response.get_json()
    return response.get_json()


def get(client: FlaskClient, auth: Any, url: str, who: str = "chu-tich") -> Any:
    response = client.get(url, headers=auth(who))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_plan_is_recorded_revised_and_read(client: FlaskClient, auth: Any) -> None:
    written = post(client, auth, "plans", "chu-tich", plan(), 201)
    assert written["version"] == 1
    url = f"{ORGS}/{BEN_THANH}/plans?min_position={written['position']}"
    [recorded] = get(client, auth, url)["items"]
    assert recorded["period"] == "2026-Q1"
    assert recorded["targets"] == TARGETS
    assert recorded["responsible_person_ids"] == [str(pid("pho-1"))]
    assert recorded["revisions"] == 0
    revised = post(
        client,
        auth,
        "plans/2026-Q1/revise",
        "pho-1",
        {
            **{k: v for k, v in plan().items() if k != "period"},
            "targets": [
                {"indicator": "approved", "target": 3},
                {"indicator": "proposed", "target": 6},
            ],
            "responsible_person_ids": [str(pid("pho-1")), str(pid("can-bo"))],
            "reason": "Thêm cán bộ phụ trách",
        },
        200,
    )
    assert revised["version"] == 2
    [now] = get(client, auth, f"{ORGS}/{BEN_THANH}/plans?min_position={revised['position']}")[
        "items"
    ]
    # The targets in the indicators' order, whatever order the body gave them in.
    assert now["targets"] == [
        {"indicator": "proposed", "target": 6},
        {"indicator": "approved", "target": 3},
    ]
    assert now["responsible_person_ids"] == [str(pid("pho-1")), str(pid("can-bo"))]
    assert now["revisions"] == 1
    # Those who do not oversee the unit do not read its plans.
    assert client.get(f"{ORGS}/{BEN_THANH}/plans", headers=auth("tp-van-thu")).status_code == 403


# (who, body, status, detail): a plan refused (the refusals are tested below, with the
# reviews').
PLAN_REFUSALS = [
    ("can-bo", plan(), 403, "head or deputy position in Ủy ban nhân dân phường Bến Thành"),
    ("tp-chu-tich", plan(), 403, "head or deputy position in Ủy ban nhân dân phường Bến"),
    (
        "chu-tich",
        plan(responsible_person_ids=["00000000-0000-4000-8000-000000000001"]),
        422,
        "responsible_person_ids",
    ),
    (
        "chu-tich",
        plan(targets=[*TARGETS, {"indicator": "proposed", "target": 1}]),
        422,
        "the indicator proposed has more than one target",
    ),
    ("chu-tich", plan(targets=[{"indicator": "proposed", "target": -1}]), 422, "targets"),
    ("chu-tich", plan(targets=[{"indicator": "fame", "target": 1}]), 422, "targets"),
    ("chu-tich", plan("2026-Q5"), 422, "period"),
    ("chu-tich", plan("2026-H3"), 422, "period"),
    ("chu-tich", plan("2025"), 422, "the period 2025 ended on 31/12/2025"),
    ("chu-tich", plan(summary=" "), 422, "summary"),
]


def test_one_plan_per_period_and_revisions_of_plans_on_record(
    client: FlaskClient, auth: Any, clock: Clock
) -> None:
    post(client, auth, "plans", "chu-tich", plan(), 201)
    assert "revise it instead" in post(client, auth, "plans", "pho-2", plan(), 409)["detail"]
    post(client, auth, "plans", "chu-tich", plan("2026-H1"), 201)  # another period
    revision = {**plan(), "reason": "x"}
    del revision["period"]
    assert (
        "no plan for 2026-Q2"
        in post(client, auth, "plans/2026-Q2/revise", "chu-tich", revision, 404)["detail"]
    )
    assert post(client, auth, "plans/2026-Q1/revise", "van-thu", revision, 403)
    clock.on(date(2026, 4, 1))
    assert (
        "has ended"
        in post(client, auth, "plans/2026-Q1/revise", "chu-tich", revision, 409)["detail"]
    )


def review(kind: str, period: str = "2026-Q1", **extra: Any) -> dict[str, Any]:
    return {"period": period, "kind": kind, "lessons": "Số hóa hồ sơ giảm đi lại.", **extra}


ZERO = dict.fromkeys(
    [
        "proposed",
        "approved",
        "completed",
        "replicated",
        "institutionalised",
        "protected",
        "missed_deadlines",
    ],
    0,
)


def test_reviews_report_what_happened_and_the_final_one_closes_the_period(
    client: FlaskClient, auth: Any, clock: Clock
) -> None:
    post(client, auth, "plans", "chu-tich", plan(), 201)
    approved = Driver(client, auth)
    approved.to_approval()  # submitted and approved on 2 March 2026
    submitted = Driver(client, auth)
    submitted.draft()
    submitted.post("submit", "can-bo", proposal())
    Driver(client, auth).draft()  # a draft is not proposed yet
    interim = post(
        client, auth, "reviews", "pho-1", review("interim", replicate=[approved.id]), 201
    )
    [held] = get(client, auth, f"{ORGS}/{BEN_THANH}/reviews?min_position={interim['position']}")[
        "items"
    ]
    assert held["figures"] == {**ZERO, "proposed": 2, "approved": 1}
    assert held["kind"] == "interim"
    assert held["replicate"] == [approved.id]
    assert held["actor_name"] == "Trần Văn Bình"
    assert held["as_of_position"] < held["position"]
    # The final review is held from the period's last day, once; nothing follows it.
    assert (
        "from its last day"
        in post(client, auth, "reviews", "chu-tich", review("final"), 422)["detail"]
    )
    clock.on(date(2026, 3, 31))
    final = post(client, auth, "reviews", "chu-tich", review("final"), 201)
    reviews = get(client, auth, f"{ORGS}/{BEN_THANH}/reviews?min_position={final['position']}")[
        "items"
    ]
    assert [r["kind"] for r in reviews] == ["interim", "final"]
    deadlines = get(client, auth, f"/api/v1/dashboard/deadlines?organisation_id={BEN_THANH}")[
        "missed"
    ]
    assert reviews[1]["figures"] == {
        **ZERO,
        "proposed": 2,
        "approved": 1,
        "missed_deadlines": len(deadlines),
    }
    assert len(deadlines) >= 1  # the submitted proposal was never received
    assert (
        "final review of 2026-Q1 is on record"
        in post(client, auth, "reviews", "chu-tich", review("final"), 409)["detail"]
    )
    assert post(client, auth, "reviews", "chu-tich", review("interim"), 409)
    # The plan against its results, live, with the reviews of the period.
    dashboard = get(
        client, auth, f"/api/v1/dashboard/plans?organisation_id={BEN_THANH}&period=2026-Q1"
    )
    rows = {r["indicator"]: (r["target"], r["result"]) for r in dashboard["rows"]}
    assert rows == {
        "proposed": (5, 2),
        "approved": (2, 1),
        "completed": (None, 0),
        "replicated": (None, 0),
        "institutionalised": (None, 0),
        "protected": (None, 0),
        "missed_deadlines": (None, len(deadlines)),
    }
    assert [r["kind"] for r in dashboard["reviews"]] == ["interim", "final"]


# (who, body, status, detail): a review refused.
REVIEW_REFUSALS = [
    ("can-bo", review("interim"), 403, "needed to review the unit's period"),
    ("chu-tich", review("interim", "2026-Q2"), 422, "begins on 01/04/2026"),
    ("chu-tich", review("sơ kết"), 422, "kind"),
    ("chu-tich", review("interim", lessons=""), 422, "lessons"),
    (
        "chu-tich",
        review("interim", replicate=["00000000-0000-4000-8000-000000000001"]),
        422,
        "replicate",
    ),
]


@pytest.mark.parametrize(
    ("path", "who", "body", "status", "detail"),
    [("plans", *case) for case in PLAN_REFUSALS]
    + [("reviews", *case) for case in REVIEW_REFUSALS],
)
def test_a_plan_or_a_review_is_refused_naming_the_rule(
    client: FlaskClient,
    auth: Any,
    path: str,
    who: str,
    body: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    assert detail in str(post(client, auth, path, who, body, status))
    assert get(client, auth, f"{ORGS}/{BEN_THANH}/{path}")["items"] == []


def test_an_initiative_of_another_unit_is_not_this_units_to_replicate(
    client: FlaskClient, auth: Any
) -> None:
    other = Driver(client, auth)
    other.draft(employing_organisation_id=str(oid("hcm-ubnd")), who="tp-pho")
    refused = post(
        client, auth, "reviews", "chu-tich", review("interim", institutionalise=[other.id]), 422
    )
    assert "not one of the unit's" in refused["detail"]


def test_a_whole_year_counted_for_the_city_and_sealed(
    client: FlaskClient, auth: Any, http: Driver, clock: Clock, web_app: Flask
) -> None:
    """An initiative approved in 2026, completed, protected, replicated and recommended for
    institutionalisation in 2027: the city's 2027 review counts it under the ward."""
    http.to_approval()
    clock.on(date(2026, 4, 1))
    http.post("start", "can-bo", {"actual_start": "2026-04-01"})
    clock.on(date(2026, 12, 31))
    http.post("complete", "can-bo", {"completion_date": "2026-12-31"})
    http.post("report-result", "can-bo", result_report())
    clock.on(date(2027, 1, 20))
    http.evaluated_protected_commended()
    http.replicated()
    http.post(
        "recommend-institutionalisation",
        "chu-tich",
        {"target_instrument": "Quy chế một cửa", "drafting_body": "Sở Nội vụ", "reason": "Ổn"},
    )
    city = str(oid("hcm-ubnd"))
    response = client.post(
        f"{ORGS}/{city}/reviews",
        json=review("interim", "2027", institutionalise=[http.id]),
        headers=auth("tp-chu-tich"),
    )
    assert response.status_code == 201, response.get_json()
    written = response.get_json()
    [held] = get(
        client, auth, f"{ORGS}/{city}/reviews?min_position={written['position']}", "tp-chu-tich"
    )["items"]
    missed = [
        (d["name"], d["due_on"])
        for d in get(client, auth, "/api/v1/dashboard/deadlines", "tp-chu-tich")["missed"]
        if d["due_on"].startswith("2027")
    ]
    assert missed == [("evaluation", "2027-01-12")]  # evaluated on 20 January, late
    assert held["figures"] == {
        **ZERO,
        "missed_deadlines": len(missed),
        "completed": 1,
        "replicated": 1,
        "institutionalised": 1,
        "protected": 1,
    }
    assert held["institutionalise"] == [http.id]
    year = get(
        client, auth, f"/api/v1/dashboard/plans?organisation_id={city}&period=2026", "tp-chu-tich"
    )
    assert {r["indicator"]: r["result"] for r in year["rows"]} == {
        **ZERO,
        "proposed": 1,
        "approved": 1,
    }
    assert year["plan"] is None
    # The review is an act like any other: signed, and sealed into the ledger (the views,
    # the sealer among them, have reached its position: min_position above).
    db = web_app.extensions["ledger.reads"].db
    leaves = db.query(
        "SELECT position, version FROM ledger_leaves WHERE aggregate_id = ? ORDER BY version",
        [str(unit_reviews_id(oid("hcm-ubnd"), "2027"))],
    )
    assert [(int(r["position"]), r["version"]) for r in leaves][-1] == (written["position"], 2)


def test_the_dashboard_page_shows_the_years_plan_against_its_results(
    client: FlaskClient, auth: Any, http: Driver, web_app: Flask
) -> None:
    from tests.e2e.test_pages import in_session
    from tests.integration.test_tamper import wait_for

    in_session(client, web_app, "chu-tich")
    http.draft()
    http.post("submit", "can-bo", proposal())

    def caught_up() -> None:
        log = client.get("/api/health").get_json()["log_position"]
        wait_for(client, lambda health: health["views_position"] >= log)

    caught_up()
    assert "Đơn vị chưa ghi nhận kế hoạch cho năm này." in client.get("/").get_data(True)
    post(client, auth, "plans", "chu-tich", plan("2026"), 201)
    caught_up()
    page = client.get("/").get_data(True)
    section = page.split('id="plan"', 1)[1].split("</section>", 1)[0]
    assert "Kế hoạch năm 2026 của đơn vị" in section
    rows = [
        [cell.strip() for cell in row.split("</t")[:-1]]
        for row in section.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")[:-1]
    ]
    assert [[cell.rsplit(">", 1)[-1] for cell in row] for row in rows] == [
        ["Đã đề xuất", "5", "1"],
        ["Đã chấp thuận", "2", "0"],
    ]


def test_the_plan_against_its_results_downloads_with_its_filters(
    client: FlaskClient, auth: Any
) -> None:
    post(client, auth, "plans", "chu-tich", plan(), 201)
    position = Driver(client, auth).to_approval()["position"]  # on 2 March 2026
    url = f"/api/v1/dashboard/plans/export?organisation_id={BEN_THANH}&min_position={position}"
    answer = client.get(f"{url}&format=xlsx&period=2026-Q1", headers=auth("chu-tich"))
    assert answer.status_code == 200, answer.get_json()
    sheet = load_workbook(io.BytesIO(answer.get_data())).worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Mã cơ quan", "Kỳ báo cáo", "Chỉ tiêu", "Kế hoạch", "Kết quả"],
        [BEN_THANH, "2026-Q1", "Đã đề xuất", 5, 1],
        [BEN_THANH, "2026-Q1", "Đã chấp thuận", 2, 1],
        [BEN_THANH, "2026-Q1", "Hoàn thành", None, 0],
        [BEN_THANH, "2026-Q1", "Được nhân rộng", None, 0],
        [BEN_THANH, "2026-Q1", "Được kiến nghị thể chế hóa", None, 0],
        [BEN_THANH, "2026-Q1", "Được bảo vệ", None, 0],
        [BEN_THANH, "2026-Q1", "Số lần trễ hạn", None, 0],
    ]
    # Another period: no plan, nothing yet; the same gate as the dashboard.
    answer = client.get(f"{url}&format=xlsx&period=2026-Q2", headers=auth("chu-tich"))
    sheet = load_workbook(io.BytesIO(answer.get_data())).worksheets[0]
    assert [(row[3].value, row[4].value) for row in sheet.iter_rows(min_row=2)] == [(None, 0)] * 7
    refused = client.get(f"{url}&format=xlsx&period=2026-Q1", headers=auth("tp-van-thu"))
    assert refused.status_code == 403
    english = client.get(
        f"{url}&format=csv&period=2026-Q1", headers={**auth("chu-tich"), "Accept-Language": "en"}
    )
    assert english.get_data().decode("utf-8").splitlines()[:2] == [
        "\ufeffOrganisation id,Period,Indicator,Target,Result",
        f"{BEN_THANH},2026-Q1,Proposed,5,1",
    ]


def test_as_of_a_moment_plans_people_and_cadre_records_are_read_from_the_views_history(
    client: FlaskClient, auth: Any, clock: Clock
) -> None:
    """As they stood then (the plan before its revision, the proposer's name before a
    rename), answered with every heavy-read slot taken: from the views' history, no replay of
    the log (migrations r0017)."""
    app = client.application
    written = post(client, auth, "plans", "chu-tich", plan(), 201)
    drafted = Driver(client, auth)
    drafted.draft()  # can-bo proposes: a cadre record
    drafted.post("submit", "can-bo", proposal())
    position = app.extensions["ledger.service"].get().last_position()
    get(
        client, auth, f"{ORGS}/{BEN_THANH}/plans?min_position={max(position, written['position'])}"
    )
    then = quote(clock().isoformat())
    clock.now += timedelta(minutes=1)
    service = app.extensions["ledger.service"].get()
    service.import_directory({"people": [person("can-bo", "Lê Thị Đổi Tên")]}, "test")
    revision = plan(targets=[{"indicator": "proposed", "target": 9}])
    del revision["period"]
    revised = post(client, auth, "plans/2026-Q1/revise", "pho-1", {**revision, "reason": "x"}, 200)
    head = max(revised["position"], service.last_position())
    get(client, auth, f"{ORGS}/{BEN_THANH}/plans?min_position={head}")
    cadre = f"/api/v1/dashboard/cadre-records?person_id={pid('can-bo')}"
    board = f"/api/v1/dashboard/plans?organisation_id={BEN_THANH}&period=2026-Q1"

    def names(url: str) -> dict[str, str]:
        return {p["key"]: p["full_name"] for p in get(client, auth, url)}

    with app.extensions["ledger.heavy"].slot("the test"):
        [past] = get(client, auth, f"{ORGS}/{BEN_THANH}/plans?as_of={then}")["items"]
        assert (past["version"], past["revisions"], past["targets"]) == (1, 0, TARGETS)
        against = get(client, auth, f"{board}&as_of={then}")
        assert against["plan"]["version"] == 1
        assert {r["indicator"]: r["target"] for r in against["rows"]}["proposed"] == 5
        assert against["as_of"]["log_position"] == position
        assert names(f"/api/v1/people?as_of={then}")["can-bo"] == "Phạm Đức Dũng"
        [record] = get(client, auth, f"{cadre}&as_of={then}", "can-bo")["items"]
        assert (record["full_name"], record["proposed"]) == ("Phạm Đức Dũng", 1)
    # and now, as they stand
    [current] = get(client, auth, f"{ORGS}/{BEN_THANH}/plans")["items"]
    assert (current["version"], current["revisions"]) == (2, 1)
    assert current["targets"] == [{"indicator": "proposed", "target": 9}]
    assert names("/api/v1/people")["can-bo"] == "Lê Thị Đổi Tên"
    [record] = get(client, auth, cadre, "can-bo")["items"]
    assert (record["full_name"], record["proposed"]) == ("Lê Thị Đổi Tên", 1)
