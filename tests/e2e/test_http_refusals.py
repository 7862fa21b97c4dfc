"""The domain's refusals in the request's language: Accept-Language vi → Vietnamese, en or no
header → English, the same sentence programs read today (`web/refusals.py`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import one_app_per_module
from tests.e2e.test_http_api import API, Driver, plain, problem_of
from tests.factories import Clock, oversight_directory, pid, proposal

# Each test drives an initiative of its own: one store and app per backend for the module.
storage, module_clock, clock, web_app = one_app_per_module(oversight_directory)


@pytest.fixture(autouse=True)
def on_2_march(clock: Clock) -> None:
    """Each test starts on 2 March 2026, 10:00 in Vietnam (the receipts it records)."""
    clock.now = datetime(2026, 3, 2, 3, tzinfo=UTC)


LANGUAGES = [
    ({"Accept-Language": "vi"}, "vi"),
    ({"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8"}, "vi"),
    ({"Accept-Language": "en"}, "en"),
    ({"Accept-Language": "fr"}, "en"),  # neither: the API's English
    ({}, "en"),  # no header: English, as programs read it
]


def submitted(http: Driver) -> None:
    """A proposal drafted and submitted by the cadre."""
    http.draft()
    http.post("submit", "can-bo", proposal())


def sent(http: Driver, path: str, who: str, header: dict[str, str], body: Any) -> Any:
    """The answer to `who` posting `body` to the initiative's `path`, with `header`."""
    return http.client.post(
        f"{API}/{http.id}/{path}", json=plain(body), headers=http.auth(who, **header)
    )


def said(response: Any, status: int, language: str, sentences: dict[str, str]) -> None:
    """The problem is `sentences[language]`, its title in the same language."""
    problem = problem_of(response, status)
    assert problem["detail"] == sentences[language]
    titles = {
        403: ("Forbidden", "Không có thẩm quyền"),
        404: ("Not found", "Không tìm thấy"),
        409: ("Conflict", "Không phù hợp với trạng thái hiện tại"),
        412: ("Stale version", "Phiên bản đã cũ"),
        422: ("Invalid", "Dữ liệu không hợp lệ"),
    }
    assert problem["title"] == titles[status][language == "vi"]


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_403(
    http: Driver, client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    http.to_review("pho-1")
    response = sent(
        http,
        "leadership-meeting",
        "chu-tich",
        header,
        {
            "meeting_date": "2026-03-02",
            "attendee_ids": [str(pid("pho-1"))],
            "votes": [{"person_id": str(pid("pho-1")), "vote": "for"}],
            "minutes_ref": "BB",
        },
    )
    said(
        response,
        403,
        language,
        {
            "en": "a proposer cannot vote on their own initiative",
            "vi": "Người đề xuất không được biểu quyết về đề xuất của chính mình",
        },
    )


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_409_wrong_state_names_the_command_and_the_status_by_their_labels(
    http: Driver, client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    submitted(http)
    response = sent(http, "submit", "can-bo", header, proposal())
    said(
        response,
        409,
        language,
        {
            "en": "cannot submit an initiative that is submitted",
            "vi": "Không thể thực hiện “Nộp đề xuất” khi đề xuất đang ở trạng thái “Đã nộp”",
        },
    )


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_404_names_what_is_missing(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    unknown = "6f1c1a5e-0000-4000-8000-000000000000"
    response = client.get(f"{API}/{unknown}", headers=auth("can-bo", **header))
    said(
        response,
        404,
        language,
        {
            "en": f"no initiative with id {unknown}",
            "vi": f"Không có đề xuất có mã {unknown}",
        },
    )


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_412(
    http: Driver, client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    http.draft()
    response = client.post(
        f"{API}/{http.id}/submit",
        json=plain(proposal()),
        headers=auth("can-bo", **{"If-Match": '"7"'}, **header),
    )
    said(
        response,
        412,
        language,
        {
            "en": "expected version 7, but the current version is 1; reload and retry",
            "vi": "Phiên bản gửi kèm là 7 nhưng phiên bản hiện tại là 1; hãy tải lại và thử lại",
        },
    )


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_422_on_a_field_names_the_date_and_the_event_it_precedes(
    http: Driver,
    clock: Clock,
    client: FlaskClient,
    auth: Any,
    header: dict[str, str],
    language: str,
) -> None:
    clock.now = datetime(2026, 12, 5, 3, tzinfo=UTC)
    http.draft()
    http.post("submit", "can-bo", proposal())
    clock.now = datetime(2026, 12, 7, 3, tzinfo=UTC)
    response = client.post(
        f"{API}/{http.id}/receive",
        json={"receipt_date": str(date(2025, 12, 30)), "incoming_number": "1/VT"},
        headers=auth("van-thu", **header),
    )
    sentences = {
        "en": "the receipt date 30/12/2025 is before the submission on 05/12/2026",
        "vi": "Không chấp nhận ngày tiếp nhận 30/12/2025: trước việc nộp đề xuất"
        " (ngày 05/12/2026)",
    }
    said(response, 422, language, sentences)
    assert response.get_json()["errors"] == {"receipt_date": [sentences[language]]}


@pytest.mark.parametrize(("header", "language"), LANGUAGES)
def test_a_403_of_authority_names_the_roles_by_their_labels(
    http: Driver, client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    submitted(http)
    body = {"receipt_date": "2026-03-02", "incoming_number": "1/VT"}
    response = sent(http, "receive", "can-bo", header, body)
    problem = problem_of(response, 403)
    if language == "en":
        assert "which is needed to receive proposals" in problem["detail"]
    else:
        assert "là chức vụ cần có để thực hiện “Tiếp nhận đề xuất”" in problem["detail"]
        assert "“Văn thư”" in problem["detail"]
