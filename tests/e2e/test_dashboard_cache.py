"""The dashboards' shared answer cache (web/answers.py, projections/answer_cache.py) and their
pages, on SQLite and PostgreSQL: a cached answer is the uncached one; a command that moves the
views' positions makes the next answer a recomputed one; callers who may see different things
never share an entry; a second web process on the same store answers from the first one's
entries; pages give every row exactly once; exports stay whole."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from projections.answer_cache import AnswerCache, Entry
from projections.db import Database
from tests.conftest import AppWith, bearer
from tests.e2e.test_http_api import Driver
from tests.factories import Clock, oid, proposal
from tests.waiting import wait_until
from web.schemas.queries import PageSchema

WARD = str(oid("ben-thanh-ubnd"))
DASHBOARDS = (
    f"inbox?organisation_id={WARD}",
    "deadlines",
    f"deadlines?organisation_id={WARD}",
    "supervision",
    f"outcomes?organisation_id={WARD}",
    "cadre-records",
    "protection",
)


def _get(client: FlaskClient, auth: Any, path: str, who: str = "tp-chu-tich") -> Any:
    answer = client.get(f"/api/v1/dashboard/{path}", headers=auth(who))
    assert answer.status_code == 200, answer.get_json()
    return answer


def _flushed(app: Flask) -> AnswerCache:
    cache: AnswerCache = app.extensions["ledger.answers"]
    cache.flush()
    return cache


def _stored(app: Flask) -> list[dict[str, Any]]:
    _flushed(app)
    db: Database = app.extensions["ledger.reads"].db
    return db.query("SELECT dashboard, position FROM dashboard_answers ORDER BY dashboard")


def _submitted(http: Driver, clock: Clock, day: date) -> int:
    clock.on(day)
    http.draft()
    return int(http.post("submit", "can-bo", proposal())["position"])


def test_a_cached_answer_is_the_uncached_one(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask, app_with: AppWith
) -> None:
    position = _submitted(http, clock, date(2026, 8, 19))
    http.post("receive", "van-thu", {"receipt_date": "2026-08-19", "incoming_number": "9/VT"})
    waited = client.get(
        f"/api/v1/initiatives?limit=1&min_position={position + 1}", headers=auth("can-bo")
    )
    assert waited.status_code == 200
    first = {path: _get(client, auth, path) for path in DASHBOARDS}
    assert {p: a.headers["Answer-Cache"] for p, a in first.items()} == dict.fromkeys(
        DASHBOARDS, "miss"
    )
    _flushed(web_app)
    again = {path: _get(client, auth, path) for path in DASHBOARDS}
    assert {p: a.headers["Answer-Cache"] for p, a in again.items()} == dict.fromkeys(
        DASHBOARDS, "hit"
    )
    head = str(web_app.extensions["ledger.reads"].lowest_position())
    assert {a.headers["Answer-Position"] for a in again.values()} == {head}
    assert {p: a.get_json() for p, a in again.items()} == {
        p: a.get_json() for p, a in first.items()
    }
    assert first["deadlines"].get_json()["running"][0]["name"] == "approval_decision"
    with app_with(DASHBOARD_CACHE="n", IN_PROCESS_WORKER="0") as plain:
        uncached = {path: _get(plain.test_client(), bearer(plain), path) for path in DASHBOARDS}
        assert {a.headers["Answer-Cache"] for a in uncached.values()} == {"off"}
        assert {p: a.get_json() for p, a in uncached.items()} == {
            p: a.get_json() for p, a in first.items()
        }
    # another web process on the same store: no answer in its memory, the shared row serves
    with app_with(IN_PROCESS_WORKER="0") as other:
        shared = _get(other.test_client(), bearer(other), "deadlines")
        assert shared.headers["Answer-Cache"] == "hit"
        assert shared.get_json() == first["deadlines"].get_json()


def test_a_command_that_moves_the_views_makes_the_next_answer_anew(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    position = _submitted(http, clock, date(2026, 8, 19))
    before = _get(client, auth, f"deadlines?min_position={position}")
    _flushed(web_app)
    assert _get(client, auth, "deadlines").headers["Answer-Cache"] == "hit"
    received = http.post(
        "receive", "van-thu", {"receipt_date": "2026-08-19", "incoming_number": "9/VT"}
    )
    after = _get(client, auth, f"deadlines?min_position={received['position']}")
    assert after.headers["Answer-Cache"] == "miss"
    assert int(after.headers["Answer-Position"]) >= received["position"]
    assert [r["name"] for r in before.get_json()["running"]] == ["receipt"]
    assert [r["name"] for r in after.get_json()["running"]] == ["approval_decision"]
    assert [(r["dashboard"], r["position"].count("=")) for r in _stored(web_app)] == [
        ("deadlines", 7)  # one row per question: the newer answer replaced the older
    ]
    # another day counts other working days: a question of its own
    clock.on(date(2026, 8, 21))
    assert _get(client, auth, "deadlines").headers["Answer-Cache"] == "miss"


def test_callers_who_may_see_different_things_never_share_an_entry(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    position = _submitted(http, clock, date(2026, 8, 19))
    path = f"deadlines?organisation_id={WARD}&min_position={position}"
    province = _get(client, auth, path, "tp-chu-tich")  # sees every unit
    _flushed(web_app)
    ward = _get(client, auth, path, "chu-tich")  # the ward's head: this ward
    assert (province.headers["Answer-Cache"], ward.headers["Answer-Cache"]) == ("miss", "miss")
    assert ward.get_json() == province.get_json()
    _flushed(web_app)
    assert _get(client, auth, path, "chu-tich").headers["Answer-Cache"] == "hit"
    assert len(_stored(web_app)) == 2
    # the whole province's, cached for the city's head: the ward's head is refused before any
    # lookup
    assert _get(client, auth, "deadlines").headers["Answer-Cache"] == "miss"
    _flushed(web_app)
    assert _get(client, auth, "deadlines").headers["Answer-Cache"] == "hit"
    refused = client.get("/api/v1/dashboard/deadlines", headers=auth("chu-tich"))
    assert refused.status_code == 403
    assert "Answer-Cache" not in refused.headers


def test_pages_give_every_row_once_and_exports_stay_whole(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    day = date(2026, 8, 3)
    for n in range(5):
        position = _submitted(http, clock, day + timedelta(days=n))
        if n % 2:
            position = http.post(
                "receive",
                "van-thu",
                {"receipt_date": (day + timedelta(days=n)).isoformat(), "incoming_number": "1"},
            )["position"]
    clock.on(date(2026, 8, 12))
    wait = f"min_position={position}"
    # Without `limit`, a page of 100 rows (a request's cost is bounded): here, every row.
    assert PageSchema().load({}) == {"limit": 100}
    whole = _get(client, auth, f"deadlines?{wait}").get_json()
    assert (len(whole["running"]), len(whole["missed"])) == (2, 3)
    assert whole["next_cursor"] is None
    assert whole["total"] == {"running": 2, "missed": 3}
    rows: dict[str, list[Any]] = {"running": [], "missed": []}
    cursor, pages = "", 0
    while True:
        page = _get(client, auth, f"deadlines?limit=2{cursor}").get_json()
        pages += 1
        assert page["total"] == {"running": 2, "missed": 3}
        assert page["by_organisation"] == whole["by_organisation"]
        for state in rows:
            rows[state] += page[state]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert pages == 3
    assert rows == {"running": whole["running"], "missed": whole["missed"]}
    inbox = _get(client, auth, f"inbox?organisation_id={WARD}", "chu-tich").get_json()
    assert (len(inbox["items"]), inbox["total"], inbox["next_cursor"]) == (5, 5, None)
    items, cursor = [], ""
    while True:
        page = _get(client, auth, f"inbox?organisation_id={WARD}&limit=2{cursor}", "chu-tich")
        answer = page.get_json()
        assert answer["total"] == 5
        items += answer["items"]
        if answer["next_cursor"] is None:
            break
        cursor = f"&cursor={answer['next_cursor']}"
    assert items == inbox["items"]
    exported = client.get(
        "/api/v1/dashboard/deadlines/export?format=csv", headers=auth("tp-chu-tich")
    )
    assert exported.status_code == 200
    assert len(list(csv.reader(io.StringIO(exported.get_data(as_text=True))))) == 1 + 5
    paged_export = client.get(
        "/api/v1/dashboard/deadlines/export?format=csv&limit=2", headers=auth("tp-chu-tich")
    )
    assert paged_export.status_code == 200  # an export is every row: no pages
    assert paged_export.get_data() == exported.get_data()
    for bad in ("limit=0", "limit=1001", "cursor=abc", "limit=2&cursor=bm9wZQ"):
        refused = client.get(f"/api/v1/dashboard/deadlines?{bad}", headers=auth("tp-chu-tich"))
        assert refused.status_code == 422, bad


def test_the_cache_is_bounded_by_age_and_size(web_app: Flask) -> None:
    db: Database = web_app.extensions["ledger.reads"].db
    cache = AnswerCache(db, max_bytes=4096, max_age=timedelta(hours=1))
    noise = random.Random(1).randbytes(1000)  # does not deflate
    for n in range(8):
        cache.put(Entry(f"k{n}", "outcomes", "p=1", 1, noise))
        cache.flush()
    assert len(db.query("SELECT key FROM dashboard_answers")) >= 5  # evicted every 32 writes
    with db.transaction() as tx:
        cache.evict(tx)
    kept = [r["key"] for r in db.query("SELECT key FROM dashboard_answers ORDER BY key")]
    assert kept == ["k4", "k5", "k6", "k7"]  # the newest, 4 KiB at most (about 1 KiB each)
    assert cache.get("k7", "p=1") == noise
    assert cache.get("k7", "p=2") is None  # only at the positions it was computed at
    with db.transaction() as tx:
        tx.execute("UPDATE dashboard_answers SET created_at = '2000-01-01T00:00:00+00:00'")
        cache.evict(tx)
    assert db.query("SELECT key FROM dashboard_answers") == []
    reader = AnswerCache(db, max_bytes=4096, max_age=timedelta(hours=1), writes=False)
    reader.put(Entry("r", "outcomes", "p=1", 1, b"{}"))
    assert reader.get("r", "p=1") == b"{}"  # in its memory
    assert db.query("SELECT key FROM dashboard_answers") == []  # never in the table


def test_an_answer_as_of_a_past_moment_is_cached_by_its_log_position(
    http: Driver, clock: Clock, client: FlaskClient, auth: Any, web_app: Flask
) -> None:
    first = _submitted(http, clock, date(2026, 8, 19))
    clock.on(date(2026, 8, 21))
    later = _submitted(http, clock, date(2026, 8, 21))
    _get(client, auth, f"outcomes?organisation_id={WARD}&min_position={later}")
    # The answer names the first checkpoint that covers the moment: once the worker has
    # signed one, no later checkpoint changes that (before, cold and warm could differ).
    wait_until(
        lambda: (
            (found := client.get("/api/v1/ledger/checkpoints").get_json())
            and found[0]["size"] >= first
        ),
        "a checkpoint covering the moment",
    )
    moment = "2026-08-20T05:00:00%2B07:00"
    path = f"deadlines?as_of={moment}"
    cold = _get(client, auth, path)
    _flushed(web_app)
    warm = _get(client, auth, path)
    assert (cold.headers["Answer-Cache"], warm.headers["Answer-Cache"]) == ("miss", "hit")
    assert warm.headers["Answer-Position"] == str(first)  # the log position of the moment
    assert warm.get_json() == cold.get_json()
    assert warm.get_json()["as_of"]["log_position"] == first
    assert [r["name"] for r in warm.get_json()["running"]] == ["receipt"]
    inbox = f"inbox?organisation_id={WARD}&as_of={moment}"
    past = _get(client, auth, inbox)
    present = _get(client, auth, f"inbox?organisation_id={WARD}").get_json()
    assert past.get_json()["as_of"]["log_position"] == first
    assert [len(past.get_json()["items"]), len(present["items"])] == [1, 2]
    # Answered by the views' history (SQL as of the position), never by the replay.
    assert list(web_app.extensions["ledger.asof"]._cache) == []
    now = _get(client, auth, "deadlines").get_json()
    assert len(now["running"]) == 2
