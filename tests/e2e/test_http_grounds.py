"""Several options, the declaration of grounds and its confirmation, the urgent path reported by
the head of the unit (docs/domain.md §5.6, §5.13): through the API and on the initiative page,
on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.proposal import NOT_CONTRARY
from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.e2e.test_pages import signed_in
from tests.factories import approval, grounds, oid, pid, proposal, urgent_report, urgent_terms


def types(http: Driver) -> list[str]:
    return [e["type"] for e in http.history()]


def test_a_proposal_with_one_option_is_refused_naming_options(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.draft()
    body = proposal(options=[{"title": "Trực tuyến", "description": ""}])
    response = client.post(f"{API}/{http.id}/submit", json=plain(body), headers=auth("can-bo"))
    assert problem_of(response, 422)["errors"] == {"options": ["Length must be between 2 and 20."]}
    assert types(http) == ["Drafted"]


def test_a_proposal_declares_its_grounds_or_is_refused_naming_what_is_missing(
    http: Driver, client: FlaskClient, auth: Any
) -> None:
    http.draft()
    path, cadre = f"{API}/{http.id}/submit", auth("can-bo")
    without = {k: v for k, v in proposal().items() if k not in grounds()}
    assert problem_of(client.post(path, json=plain(without), headers=cadre), 422)["errors"] == {
        "grounds_in_practice": ["Missing data for required field."],
        "grounds_in_science": ["Missing data for required field."],
        NOT_CONTRARY: ["Missing data for required field."],
    }
    contrary = proposal(**{NOT_CONTRARY: False})
    refusal = problem_of(client.post(path, json=plain(contrary), headers=cadre), 422)
    assert refusal["errors"] == {
        NOT_CONTRARY: [
            "the proposer must declare that it is not contrary to the Party's line, the"
            " Constitution or the law"
        ]
    }
    assert types(http) == ["Drafted"]
    http.post("submit", "can-bo", proposal())
    assert {k: http.state()["proposal"][k] for k in grounds()} == grounds()


def test_the_head_confirms_the_declaration_and_the_page_shows_both(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    http.to_decision()
    signed_in(client, web_app, "chu-tich")
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    practice = grounds()["grounds_in_practice"]
    assert f'<dd id="grounds-in-practice">{practice}</dd>' in page
    assert '<dd id="grounds-confirmed">Chưa có quyết định.</dd>' in page
    assert 'id="approve-f-grounds_confirmed"' in page  # the form asks for it

    unconfirmed = {k: v for k, v in approval().items() if k != "grounds_confirmed"}
    response = client.post(
        f"{API}/{http.id}/approve", json=plain(unconfirmed), headers=auth("chu-tich")
    )
    assert problem_of(response, 422)["errors"] == {
        "grounds_confirmed": ["Missing data for required field."]
    }
    declined = approval(grounds_confirmed=False)
    response = client.post(
        f"{API}/{http.id}/approve", json=plain(declined), headers=auth("chu-tich")
    )
    assert problem_of(response, 422)["errors"] == {
        "grounds_confirmed": [
            "the decision confirms the declaration of grounds: that the proposal is grounded"
            " in practice and science and not contrary to the Party's line, the Constitution"
            " or the law"
        ]
    }
    assert types(http)[-1] == "LeadershipMeetingHeld"

    http.post("approve", "chu-tich", approval())
    assert http.history()[-1]["data"]["grounds_confirmed"] is True
    assert http.state()["approval"]["grounds_confirmed"] is True
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    assert '<dd id="grounds-confirmed">Đã xác nhận khi quyết định.</dd>' in page
    assert f'<dd id="grounds-in-science">{grounds()["grounds_in_science"]}</dd>' in page


def test_the_head_of_the_unit_reports_an_urgent_situation_to_the_city(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    http.draft(regime="urgent")  # opened by the cadre
    response = client.post(
        f"{API}/{http.id}/report-urgent", json=plain(urgent_report()), headers=auth("pho-1")
    )
    assert problem_of(response, 403)["detail"] == (
        "Trần Văn Bình did not hold a head position in Ủy ban nhân dân phường Bến Thành on"
        " 02/03/2026, which is needed to report an urgent situation for the unit"
    )
    http.post("report-urgent", "chu-tich", urgent_report())
    state = http.state()
    assert (state["status"], state["addressee_id"]) == ("urgent_reported", str(oid("hcm-ubnd")))
    assert state["proposer_ids"] == [str(pid("can-bo"))]
    # The ward's head reported it: the city's head decides, with a direction of its own.
    response = client.post(
        f"{API}/{http.id}/authorize-urgent", json=plain(urgent_terms()), headers=auth("chu-tich")
    )
    assert problem_of(response, 403)["detail"] == (
        "Nguyễn Thị Hồng did not hold a head position in Ủy ban nhân dân Thành phố Hồ Chí Minh"
        " on 02/03/2026, which is needed to authorize urgent action"
    )
    for directions in ({}, {"directions": " "}):
        body = {k: v for k, v in urgent_terms().items() if k != "directions"} | directions
        response = client.post(
            f"{API}/{http.id}/authorize-urgent", json=plain(body), headers=auth("tp-chu-tich")
        )
        message = "must not be empty" if directions else "Missing data for required field."
        assert problem_of(response, 422)["errors"] == {"directions": [message]}
    assert types(http) == ["Drafted", "UrgentReported"]
    http.post("authorize-urgent", "tp-chu-tich", urgent_terms())
    decided = http.history("tp-chu-tich")[-1]
    assert (decided["type"], decided["actor"]["organisation_id"]) == (
        "UrgentAuthorized",
        str(oid("hcm-ubnd")),
    )
    assert decided["data"]["approval"]["directions"] == urgent_terms()["directions"]
    assert decided["data"]["grounds_confirmed"] is True
    signed_in(client, web_app, "can-bo")
    page = client.get(f"/initiatives/{http.id}").get_data(as_text=True)
    practice = grounds()["grounds_in_practice"]
    assert f'<dd id="grounds-in-practice">{practice}</dd>' in page
    assert '<dd id="grounds-confirmed">Đã xác nhận khi quyết định.</dd>' in page
