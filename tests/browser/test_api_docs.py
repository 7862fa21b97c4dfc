"""The API docs page (Swagger UI, /api/docs) in headless Chromium, under its own CSP.

The page runs without 'unsafe-inline' (web/hygiene.py DOCS_CSP): Swagger UI must still render
every operation of the spec and try one out, and the browser must report no CSP violation —
neither to the page (`securitypolicyviolation` events) nor on the console.
"""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import ARTIFACTS

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# Collects the violations the browser reports to the page, from before its first script runs.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def test_swagger_ui_renders_and_runs_without_unsafe_inline(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server)
    context.set_default_timeout(20_000)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.add_init_script(WATCH_VIOLATIONS)

    response = page.goto("/api/docs")
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp

    # Every operation of the spec is rendered (each has exactly one tag, so it shows once).
    spec = page.request.get("/api/openapi.json").json()
    operations = [m for item in spec["paths"].values() for m in item if m in METHODS]
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == len(operations) > 40
    assert page.locator(".info .title").inner_text().startswith(spec["info"]["title"])

    # Try one out: Swagger UI calls the API (connect-src) and highlights the answer.
    health = page.locator(".opblock", has=page.locator("[data-path='/api/health']"))
    health.locator(".opblock-summary-control").click()
    health.locator(".try-out__btn").click()
    health.locator(".execute").click()
    status = health.locator(".live-responses-table .response .response-col_status")
    assert status.first.inner_text().strip() == "200"
    assert "storage" in health.locator(".live-responses-table .highlight-code").inner_text()

    # The Authorize dialog (where a reader pastes a token) opens.
    page.locator(".auth-wrapper .authorize").click()
    assert page.locator(".dialog-ux .modal-ux").is_visible()
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))

    violations = page.evaluate("window.cspViolations")
    assert violations == []
    assert [line for line in console if "Content Security Policy" in line] == []
    assert [line for line in console if line.startswith(("error", "pageerror"))] == []
    context.close()
