"""The dossier's story as a browser shows it (an offline file: no server), on a desktop and a
phone: screenshots in test-artifacts/screenshots/ beside the pages'."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import ARTIFACTS
from tests.integration.test_dossier_story import dossier, storage  # noqa: F401 (fixtures)


def test_the_story_reads_on_a_desktop_and_a_phone(browser: Any, dossier: dict[str, bytes]) -> None:  # noqa: F811
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_content(dossier["story.html"].decode())
    summary = page.locator("section.summary")
    assert summary.locator("h2").inner_text() == "Tóm tắt hồ sơ"
    assert summary.locator("tr", has_text="Biện pháp đã quyết định").first.inner_text() == (
        "Biện pháp đã quyết định\tLoại trừ trách nhiệm"
    )
    summary.screenshot(path=str(ARTIFACTS / "20-dossier-story-summary.png"))
    page.screenshot(path=str(ARTIFACTS / "21-dossier-story.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the story fits a phone's width"
    page.screenshot(path=str(ARTIFACTS / "22-dossier-story-phone.png"))
    context.close()
