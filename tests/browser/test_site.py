"""The website in headless Chromium: home page, a lesson, a search for "dropout", Spanish and back, with no
console error; the axe-core accessibility check on the home page and a lesson in each language.

Run with `make test-site`; screenshots of a lesson page in each language land in build/site-screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.site]
SCREENSHOTS = ROOT / "build" / "site-screenshots"
LESSON = "08_dropout_overfitting.html"
SERIOUS = {"serious", "critical"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built site served on 127.0.0.1 (as `make serve-site` does)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def site_page(browser):
    """A fresh page that records console errors, uncaught exceptions and failed requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: _failed(page, request))
    yield page
    context.close()


def _failed(page, request) -> None:
    if request.failure != "net::ERR_ABORTED":  # not a request cut short by leaving the page
        page.problems.append(f"failed: {request.url} ({request.failure})")


def test_home_lesson_search_and_the_other_language(site_page, site_url):
    page = site_page
    page.goto(site_url)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="08_dropout_overfitting", exact=True).click()
    page.wait_for_url(f"**/{LESSON}")
    assert page.locator("h1").first.inner_text().startswith("Lesson 8 · Dropout and overfitting")

    page.locator(".bd-sidebar-primary .search-button-field").click()
    page.locator("#pst-search-dialog input[name=q]").fill("dropout")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=dropout*")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=30_000)
    assert results.count() >= 3
    assert page.locator(f"#search-results a[href*='{LESSON}']").count() >= 1
    page.locator(f"#search-results a[href*='{LESSON}']").first.click()
    page.wait_for_url(f"**/{LESSON}*")

    page.locator("a.course-language").click()
    page.wait_for_url(f"**/es/{LESSON}")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").first.inner_text().startswith("Lección 8 · Dropout y sobreajuste")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "lesson-es.png"))

    page.locator("a.course-language").click()
    page.wait_for_url(f"**/{LESSON}")
    assert "/es/" not in page.url and page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(SCREENSHOTS / "lesson-en.png"))
    images = page.evaluate("() => Array.from(document.images).map((image) => image.naturalWidth)")
    assert images and all(width > 0 for width in images)
    assert page.problems == []


@pytest.mark.parametrize("path", ["index.html", LESSON, "es/index.html", f"es/{LESSON}"])
def test_the_accessibility_check_finds_nothing_serious(browser, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(site_url + path)
    result = Axe().run(page)
    context.close()
    serious = [
        f"{found['id']} ({found['impact']}): {found['help']}, e.g. {found['nodes'][0]['target']}"
        for found in result.response["violations"]
        if found["impact"] in SERIOUS
    ]
    assert serious == [], "\n".join(serious)
