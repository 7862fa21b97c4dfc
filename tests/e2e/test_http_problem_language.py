"""The API's other problems in the request's language: marshmallow's messages of a field and
the problem of invalid fields (422), werkzeug's titles and descriptions (a 404 route, a 405),
the web layer's own sentences (401, 413, 415, 412); Accept-Language vi → Vietnamese, en or no
header → English, as programs read them (`web/problem_language.py`)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import one_app_per_module
from tests.e2e.test_http_api import API, problem_of
from tests.factories import oid, oversight_directory

storage, module_clock, clock, web_app = one_app_per_module(oversight_directory)

HEADERS = [
    pytest.param({"Accept-Language": "vi"}, "vi", id="vi"),
    pytest.param({"Accept-Language": "en"}, "en", id="en"),
    pytest.param({}, "en", id="no-header"),
]


# The title and the detail of each problem tested, in English and Vietnamese.
SAID: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {
    422: (
        ("Unprocessable Entity", "Dữ liệu không hợp lệ"),
        (
            "the request has invalid fields; see errors",
            "Yêu cầu có trường dữ liệu không hợp lệ; xem chi tiết trong errors",
        ),
    ),
    404: (
        ("Not Found", "Không tìm thấy"),
        (
            "The requested URL was not found on the server. If you entered the URL manually"
            " please check your spelling and try again.",
            "Không tìm thấy địa chỉ được yêu cầu trên máy chủ. Nếu nhập địa chỉ bằng tay, hãy"
            " kiểm tra lại chính tả và thử lại.",
        ),
    ),
    405: (
        ("Method Not Allowed", "Phương thức không được phép"),
        (
            "The method is not allowed for the requested URL.",
            "Địa chỉ được yêu cầu không cho phép phương thức này.",
        ),
    ),
    401: (
        ("Unauthorized", "Chưa xác thực"),
        (
            "an 'Authorization: Bearer <token>' header is required",
            "Cần có tiêu đề 'Authorization: Bearer <token>'",
        ),
    ),
    412: (
        ("Precondition Failed", "Điều kiện của yêu cầu không thỏa mãn"),
        (
            'If-Match must be a version number such as "3"',
            'If-Match phải là số phiên bản, ví dụ "3"',
        ),
    ),
    415: (
        ("Unsupported Media Type", "Kiểu dữ liệu không được hỗ trợ"),
        (
            "only PDF, PNG and JPEG documents are accepted, and these bytes are none of them"
            " (the type is read from the bytes, not from Content-Type)",
            "Chỉ nhận tài liệu PDF, PNG và JPEG, và nội dung gửi lên không thuộc loại nào trong"
            " số đó (loại tài liệu được đọc từ nội dung, không theo Content-Type)",
        ),
    ),
    413: (
        ("Request Entity Too Large", "Dữ liệu gửi lên quá lớn"),
        (
            "the document is {size} bytes; the largest accepted is {most} bytes"
            " (ATTACHMENT_MAX_BYTES)",
            "Tài liệu có {size} byte; tài liệu lớn nhất được nhận là {most} byte"
            " (ATTACHMENT_MAX_BYTES)",
        ),
    ),
}


def said(problem: dict[str, Any], language: str, status: int, **values: Any) -> None:
    """The problem's title and detail are the English or the Vietnamese of the status's
    pairs (`SAID`), the detail's `values` filled in."""
    titles, details = SAID[status]
    vietnamese = language == "vi"
    assert (problem["title"], problem["detail"]) == (
        titles[vietnamese],
        details[vietnamese].format(**values),
    )


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_marshmallow_messages_of_the_fields(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    body = {"title": 5, "employing_organisation_id": "nope", "surprise": 1}
    problem = problem_of(client.post(API, json=body, headers=auth("can-bo", **header)), 422)
    said(problem, language, 422)
    assert (
        problem["errors"]
        == {
            "en": {
                "title": ["Not a valid string."],
                "employing_organisation_id": ["Not a valid UUID."],
                "surprise": ["Unknown field."],
            },
            "vi": {
                "title": ["Phải là chuỗi ký tự."],
                "employing_organisation_id": ["Giá trị không hợp lệ."],
                "surprise": ["Trường không được phép."],
            },
        }[language]
    )


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_messages_that_carry_their_bounds(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    body = {"title": "x" * 501, "employing_organisation_id": str(oid("ben-thanh-ubnd"))}
    problem = problem_of(client.post(API, json=body, headers=auth("can-bo", **header)), 422)
    assert problem["errors"] == {
        "title": [
            {"en": "Longer than maximum length 500.", "vi": "Dài quá mức tối đa 500."}[language]
        ]
    }
    listed = problem_of(client.get(f"{API}?limit=0", headers=auth("can-bo", **header)), 422)
    assert listed["errors"] == {
        "query": {
            "limit": [
                {
                    "en": "Must be greater than or equal to 1 and less than or equal to 200.",
                    "vi": "Phải từ 1 đến 200.",
                }[language]
            ]
        }
    }


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_missing_and_empty_fields(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    body = {"title": "", "employing_organisation_id": None}
    problem = problem_of(client.post(API, json=body, headers=auth("can-bo", **header)), 422)
    assert (
        problem["errors"]
        == {
            "en": {
                "title": ["must not be empty"],
                "employing_organisation_id": ["Field may not be null."],
            },
            "vi": {
                "title": ["Không được để trống."],
                "employing_organisation_id": ["Bắt buộc nhập."],
            },
        }[language]
    )
    problem = problem_of(client.post(API, json={}, headers=auth("can-bo", **header)), 422)
    required = {"en": "Missing data for required field.", "vi": "Bắt buộc nhập."}[language]
    assert problem["errors"]["employing_organisation_id"] == [required]


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_a_query_parameter_not_a_whole_number(
    client: FlaskClient, header: dict[str, str], language: str
) -> None:
    response = client.get("/api/v1/ledger/proofs/inclusion?index=x&size=2", headers=header)
    problem = problem_of(response, 422)
    assert problem["errors"]["query"]["index"] == [
        {"en": "Not a valid integer.", "vi": "Phải là số nguyên."}[language]
    ]


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_a_route_that_does_not_exist(
    client: FlaskClient, header: dict[str, str], language: str
) -> None:
    problem = problem_of(client.get("/api/v1/nowhere", headers=header), 404)
    said(problem, language, 404)


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_a_method_not_allowed(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    problem = problem_of(client.delete(API, headers=auth("can-bo", **header)), 405)
    said(problem, language, 405)


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_no_token(client: FlaskClient, header: dict[str, str], language: str) -> None:
    problem = problem_of(client.get(API, headers=header), 401)
    said(problem, language, 401)


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_a_version_that_is_not_a_number(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    body = {"employing_organisation_id": str(oid("ben-thanh-ubnd")), "title": "Đề xuất"}
    created = client.post(API, json=body, headers=auth("can-bo"))
    assert created.status_code == 201, created.get_json()
    initiative = created.get_json()["id"]
    response = client.post(
        f"{API}/{initiative}/withdraw",
        json={"reason": "Rút"},
        headers=auth("can-bo", **{"If-Match": "abc"}, **header),
    )
    said(problem_of(response, 412), language, 412)


@pytest.mark.parametrize(("header", "language"), HEADERS)
def test_a_document_of_an_unknown_kind_and_one_too_large(
    client: FlaskClient, auth: Any, header: dict[str, str], language: str
) -> None:
    headers = auth("can-bo", **{"Content-Type": "application/pdf"}, **header)
    response = client.post("/api/v1/attachments", data=b"hello", headers=headers)
    said(problem_of(response, 415), language, 415)
    most = client.application.extensions["ledger.settings"].attachment_max_bytes
    response = client.post(
        "/api/v1/attachments", data=b"%PDF" + b" " * (most - 3), headers=headers
    )
    said(problem_of(response, 413), language, 413, size=most + 1, most=most)
