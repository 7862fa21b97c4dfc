"""The read matrix: every (relation, endpoint) cell, allowed and refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from projections.storage import Storage
from tests.conftest import bearer, module_web_app
from tests.e2e.test_http_api import API, Driver
from tests.factories import (
    directory,
    inspection_commission,
    officer,
    oid,
    oversight_directory,
    pid,
)

# person key → (relation to a Bến Thành initiative, may read the restricted record)
RELATIONS = {
    "can-bo": ("proposer", True),
    "van-thu": ("clerk of the employing agency", True),
    "pho-2": ("deputy of the employing agency", True),
    "dang-uy": ("member of its same-level party committee", True),
    "tp-chu-tich": ("head of the superior", True),
    "tp-pho": ("deputy of the superior", True),
    "thi-dua": ("commendation officer of the superior", True),
    "to-chuc": ("personnel officer of the superior", True),
    "kiem-tra": ("inspector with jurisdiction", True),
    "sg-can-bo": ("staff of another ward", False),
    "tp-van-thu": ("clerk of an inspection body", False),
}
ENDPOINTS = ["state", "history", "changes", "access-log", "receipt", "dossier"]


# The cells only read (and open readings, which refuse or allow nothing for another cell): one
# store, app and initiative per backend for the whole module.
@pytest.fixture(scope="module")
def storage(module_store: Storage) -> Storage:
    return module_store


@pytest.fixture(scope="module")
def web_app(storage: Storage, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with module_web_app(storage, tmp_path_factory) as flask_app:
        yield flask_app


@pytest.fixture(scope="module")
def initiative(web_app: Flask) -> str:
    http = Driver(web_app.test_client(), bearer(web_app))
    app = web_app.extensions["ledger.service"].get()
    app.import_directory(oversight_directory(), "test")
    app.import_directory(
        directory(officers=[officer("sg-can-bo", "Lý Thị Ngọc", "sai-gon-ubnd", "staff")]), "t"
    )
    http.to_review()
    return http.id


def call(client: FlaskClient, auth: Any, who: str, endpoint: str, iid: str) -> Any:
    headers = auth(who)
    opened = client.post(
        f"{API}/{iid}/readings", json={"purpose": "Kiểm tra định kỳ"}, headers=auth(who)
    )
    if opened.status_code == 201:  # an inspector reads within a reading
        headers["X-Reading-Id"] = opened.get_json()["reading_id"]
    paths = {
        "state": f"{API}/{iid}",
        "history": f"{API}/{iid}/history",
        "changes": f"{API}/{iid}/changes?from={quote('2020-01-01T00:00:00+00:00')}"
        f"&to={quote('2030-01-01T00:00:00+00:00')}",
        "access-log": f"{API}/{iid}/access-log",
        "receipt": f"{API}/{iid}/events/1/receipt",
        "dossier": f"{API}/{iid}/dossier",
    }
    return client.get(paths[endpoint], headers=headers)


@pytest.mark.attack(4, 5)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", sorted(RELATIONS))
def test_every_relation_and_endpoint(
    client: FlaskClient, auth: Any, initiative: str, who: str, endpoint: str
) -> None:
    relation, allowed = RELATIONS[who]
    response = call(client, auth, who, endpoint, initiative)
    if endpoint == "state":
        assert response.status_code == 200
        body = response.get_json()
        assert body.get("register_only", False) is (not allowed), relation
        if not allowed:
            assert set(body) == {
                "id",
                "version",
                "title",
                "regime",
                "status",
                "employing_organisation_id",
                "outcome",
                "commendations",
                "register_only",
            }
        else:
            assert body["proposal"]["scope"] == "Phường Bến Thành"
    elif allowed:
        assert response.status_code in (200, 409), (relation, response.get_json())
    else:
        assert response.status_code == 403, relation
        assert "restricted to the people and bodies it concerns" in response.get_json()["detail"]
    response.close()


SYSTEM_WIDE = {"tp-chu-tich", "tp-pho", "kiem-tra", "to-chuc"}
DASHBOARD_CELLS = {
    # dashboard → who may read it (everyone else: 403)
    "inbox of the ward": {k for k, (_, allowed) in RELATIONS.items() if allowed},
    "deadlines of every organisation": SYSTEM_WIDE,
    "cadre records of the proposer": SYSTEM_WIDE | {"can-bo"},
    "audit feed of the ward": {k for k, (_, allowed) in RELATIONS.items() if allowed},
}


def dashboard_path(name: str) -> str:
    ward = oid("ben-thanh-ubnd")
    return {
        "inbox of the ward": f"/api/v1/dashboard/inbox?organisation_id={ward}",
        "deadlines of every organisation": "/api/v1/dashboard/deadlines",
        "cadre records of the proposer": "/api/v1/dashboard/cadre-records?person_id="
        + str(pid("can-bo")),
        "audit feed of the ward": f"/api/v1/audit?organisation_id={ward}",
    }[name]


@pytest.mark.parametrize("dashboard", sorted(DASHBOARD_CELLS))
@pytest.mark.parametrize("who", sorted(RELATIONS))
def test_every_relation_and_dashboard(
    client: FlaskClient, auth: Any, initiative: str, who: str, dashboard: str
) -> None:
    response = client.get(dashboard_path(dashboard), headers=auth(who))
    expected = 200 if who in DASHBOARD_CELLS[dashboard] else 403
    assert response.status_code == expected, (RELATIONS[who][0], response.get_json())


@pytest.mark.parametrize("who", sorted(RELATIONS))
def test_the_initiative_list_shows_what_the_reader_oversees(
    client: FlaskClient, auth: Any, initiative: str, who: str
) -> None:
    relation, allowed = RELATIONS[who]
    head = client.get("/api/health").get_json()["log_position"]
    listed = client.get(f"{API}?limit=200&min_position={head}", headers=auth(who))
    listed = listed.get_json()["items"]
    assert (initiative in [i["id"] for i in listed]) is allowed, relation


@pytest.mark.attack(4)
def test_ward_inspectors_and_personnel_officers_are_not_system_wide_readers(
    http: Driver, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    app = web_app.extensions["ledger.service"].get()
    app.import_directory(oversight_directory(), "test")
    app.import_directory(
        directory(
            organisations=[
                inspection_commission(
                    "ben-thanh-ubkt",
                    "Ủy ban Kiểm tra Đảng ủy phường Bến Thành",
                    "ben-thanh-dang-uy",
                )
            ],
            officers=[
                officer("bt-kiem-tra", "Quách Văn Nam", "ben-thanh-ubkt", "inspector"),
                officer("bt-to-chuc", "Tạ Thị Oanh", "ben-thanh-ubnd", "personnel"),
            ],
        ),
        "t",
    )
    http.to_review()
    ward, city = oid("ben-thanh-ubnd"), oid("hcm-ubnd")
    for who in ("bt-kiem-tra", "bt-to-chuc"):
        assert client.get("/api/v1/audit", headers=auth(who)).status_code == 403, who
        feed = client.get(f"/api/v1/audit?organisation_id={city}", headers=auth(who))
        assert feed.status_code == 403, who
    own = client.get(f"/api/v1/audit?organisation_id={ward}", headers=auth("bt-to-chuc"))
    assert own.status_code == 200
    for who in ("kiem-tra", "to-chuc"):  # the province's inspection commission and board
        assert client.get("/api/v1/audit", headers=auth(who)).status_code == 200, who
