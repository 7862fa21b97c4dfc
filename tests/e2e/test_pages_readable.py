"""Every page reads as plain Vietnamese: no id where a name belongs, no field or code shown as
it is written in the code (every label from the catalogue), for each kind of user, over an
initiative's whole life."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.e2e.test_pages import in_session
from tests.factories import Clock, Life
from tests.integration.test_tamper import wait_for
from web.pages import labels

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PAGES = ("/", "/inbox", "/initiatives", "/me", "/inspection", "/ledger")


def visible(page: str) -> str:
    """What a reader sees of a page: its text, not its markup (links may carry ids)."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def lived(web_app: Flask, client: FlaskClient, clock: Clock) -> Any:
    """An initiative through approval, its pilot, result, evaluation and a commendation."""
    life = Life(web_app.extensions["ledger.service"].get(), clock)
    life.to_approval()
    life.start()
    life.complete()
    life.report()
    life.evaluation_round()
    wait_for(client, lambda health: not health["views_lag"])
    return life


@pytest.mark.parametrize("who", ["can-bo", "chu-tich", "tp-chu-tich", "van-thu", "dang-uy"])
def test_no_page_shows_an_id_or_an_unlabelled_code(
    who: str, web_app: Flask, client: FlaskClient, lived: Any
) -> None:
    in_session(client, web_app, who)
    labels.MISSES.clear()
    shown = {}
    for path in (*PAGES, f"/initiatives/{lived.id}"):
        answer = client.get(path, follow_redirects=True)
        assert answer.status_code in (200, 403), path
        shown[path] = UUID.findall(visible(answer.get_data(as_text=True)))
    assert {path: ids for path, ids in shown.items() if ids} == {}
    assert sorted(labels.MISSES) == []
