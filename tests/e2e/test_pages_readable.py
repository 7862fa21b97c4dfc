"""Every page reads as plain Vietnamese: no id where a name belongs, no field or code shown as
it is written in the code (every label from the catalogue), for each kind of user, on every
page the service serves to a signed-in user (home, inbox, list, the form of a new proposal,
my record, inspection, the sealed log, the initiative with its timeline), at every stage of an
initiative's life, with documents attached; in English too. The succession's test scans the
pages of initiatives handed over to a successor with `scanned`
(tests/e2e/test_http_succession.py::test_a_whole_merger_three_wards_into_one)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_pages import csrf_of, in_session
from tests.e2e.test_pages_documents import approve_with
from tests.factories import Clock, Life, evaluation
from tests.integration.test_tamper import wait_for
from tests.signed_pdf import issue, make_ca, signed_pdf
from web.pages import labels

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Every page of a signed-in user that takes no id (the initiative's, the ids'), each read
# with its defaults; the receipt (JSON), the certificate (PDF), the dossier (a zip) and the
# documents are downloads, not pages.
PAGES = ("/", "/inbox", "/initiatives", "/initiatives/new", "/me", "/inspection", "/ledger")


def visible(page: str) -> str:
    """What a reader sees of a page: its text, not its markup (links may carry ids)."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def scanned(client: FlaskClient, paths: Iterable[str]) -> dict[str, Any]:
    """What the pages at `paths` show that they should not: each page's ids in its text, and
    the field names and codes any of them asked a label for and found none (`_misses`). Empty
    when every page reads as names and labels. A page the user may not see (403) counts as
    read: it says so in words."""
    labels.MISSES.clear()
    found: dict[str, Any] = {}
    for path in paths:
        answer = client.get(path, follow_redirects=True)
        assert answer.status_code in (200, 403), path
        ids = UUID.findall(visible(answer.get_data(as_text=True)))
        if ids:
            found[path] = ids
    if labels.MISSES:
        found["_misses"] = sorted(labels.MISSES)
    return found


def settled(client: FlaskClient) -> None:
    """The views have applied every event recorded so far."""
    wait_for(client, lambda health: not health["views_lag"])


@pytest.fixture
def lived(web_app: Flask, client: FlaskClient, clock: Clock) -> Any:
    """An initiative through approval, its pilot, result and evaluation."""
    life = Life(web_app.extensions["ledger.service"].get(), clock)
    life.to_approval()
    life.start()
    life.complete()
    life.report()
    life.evaluation_round()
    settled(client)
    return life


@pytest.mark.parametrize("who", ["can-bo", "chu-tich", "tp-chu-tich", "van-thu", "dang-uy"])
def test_no_page_shows_an_id_or_an_unlabelled_code(
    who: str, web_app: Flask, client: FlaskClient, lived: Any
) -> None:
    in_session(client, web_app, who)
    assert scanned(client, (*PAGES, f"/initiatives/{lived.id}")) == {}


def test_nor_in_english(web_app: Flask, client: FlaskClient, lived: Any) -> None:
    in_session(client, web_app, "chu-tich")
    token = csrf_of(client, "/inbox")
    client.post("/language", data={"lang": "en", "next": "/inbox", "csrf_token": token})
    assert '<html lang="en">' in client.get("/inbox").get_data(as_text=True)
    assert scanned(client, (*PAGES, f"/initiatives/{lived.id}")) == {}


def stages(life: Life) -> list[tuple[str, Callable[[], Any]]]:
    """An initiative's life, act by act: what each stage is called, and the act that ends it."""
    return [
        ("draft", life.draft),
        ("submitted", life.submit),
        ("received", life.receive),
        ("party opinion", life.party_opinion),
        ("meeting", lambda: life.meeting({"chu-tich": "for", "pho-1": "for", "pho-2": "for"})),
        ("approved", life.approve),
        ("pilot", life.start),
        ("completed", life.complete),
        ("result reported", life.report),
        ("evaluation round", life.evaluation_round),
        ("evaluated", lambda: life.cmd("evaluate", "chu-tich", **evaluation())),
    ]


@pytest.mark.long
def test_at_every_stage_of_an_initiatives_life(
    web_app: Flask, client: FlaskClient, clock: Clock
) -> None:
    """After each act, the pages of the cadre, the head, the clerk and the party committee:
    the initiative with its timeline so far and the forms it offers, home, inbox, my record."""
    life = Life(web_app.extensions["ledger.service"].get(), clock)
    unread = {}
    for stage, act in stages(life):
        act()
        settled(client)
        for who in ("can-bo", "chu-tich", "van-thu", "dang-uy"):
            in_session(client, web_app, who)
            found = scanned(client, ("/", "/inbox", "/me", f"/initiatives/{life.id}"))
            if found:
                unread[f"{stage}, {who}"] = found
    assert unread == {}


def test_with_documents_attached(web_app: Flask, client: FlaskClient, clock: Clock) -> None:
    """An approval with a signed PDF attached through the form: the timeline lists it with
    the reading of its signature, and no page shows an id or a code."""
    life = Life(web_app.extensions["ledger.service"].get(), clock)
    life.to_review()
    life.party_opinion()
    life.meeting({"chu-tich": "for", "pho-1": "for", "pho-2": "against"})
    settled(client)
    in_session(client, web_app, "chu-tich")
    ca = make_ca()
    pdf = signed_pdf(issue(ca, "Nguyễn Văn An", "UBND phường Bến Thành"), ca)
    assert approve_with(client, str(life.id), [(pdf, "quyet-dinh.pdf")]).status_code == 302
    settled(client)
    page = f"/initiatives/{life.id}"
    assert "Ký số bởi Nguyễn Văn An" in visible(client.get(page).get_data(as_text=True))
    for who in ("chu-tich", "can-bo", "tp-chu-tich"):
        in_session(client, web_app, who)
        assert scanned(client, (*PAGES, page)) == {}, who
