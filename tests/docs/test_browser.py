"""The built site in a real browser: quizzes, search, links, and a clean console.

Playwright for Python drives Debian's chromium (never a downloaded browser) against
the site served by a local ``http.server``. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from grader import paths

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = paths.KIT_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian's chromium is not installed at /usr/bin/chromium (apt install chromium); "
                              "this test never downloads a browser"),
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    assert built_site.returncode == 0, built_site.log[-4000:]
    handler = functools.partial(QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh page (fresh local storage); fails the test on any console error or failed request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site_url)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console.{msg.type}: {msg.text} ({page.url})")
            if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(f"uncaught exception: {exc} ({page.url})"))
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url} ({req.failure})"))
    page.on("response", lambda res: problems.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None)
    page.console_problems = problems
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def heading(page) -> str:
    """The page's h1 without the permalink sign that toc adds."""
    return page.locator("article h1").first.inner_text().removesuffix("¶").strip()


def test_home_page(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert "PyTorch from zero to advanced" in page.title()
    assert heading(page) == "PyTorch from zero to advanced"
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=False)


def test_quiz_right_and_wrong_answers_show_feedback(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/chapters/conv-layers/")
    page.wait_for_load_state("networkidle")

    right = page.locator(".quiz").nth(0)
    right.scroll_into_view_if_needed()
    right.locator("input[data-correct] + label").first.click()
    feedback = right.locator(".quiz-feedback")
    feedback.wait_for(state="visible")
    assert "hidden" not in (feedback.get_attribute("class") or "")
    assert right.locator(".quiz-feedback-item.correct").count() == 1
    assert "(32 - 5) / 1 + 1 = 28." in feedback.inner_text()
    assert right.locator("input[data-correct]").first.evaluate("e => e.parentElement.classList.contains('correct')")
    assert right.locator("section.content").is_visible()  # the explanation after answering
    assert "each dimension loses" in right.locator("section.content").inner_text()

    wrong = page.locator(".quiz").nth(1)
    wrong.scroll_into_view_if_needed()
    wrong_answer = wrong.locator("input:not([data-correct])").first
    wrong.locator(f'label[for="{wrong_answer.get_attribute("id")}"]').click()
    feedback = wrong.locator(".quiz-feedback")
    feedback.wait_for(state="visible")
    assert wrong.locator(".quiz-feedback-item.incorrect").count() == 1
    assert "The output channels come first." in feedback.inner_text()
    assert wrong_answer.evaluate("e => e.parentElement.classList.contains('wrong')")
    # show_correct: the right answer is highlighted after a wrong one
    assert wrong.locator("input[data-correct]").first.evaluate("e => e.parentElement.classList.contains('correct')")
    assert "Weights are" in wrong.locator("section.content").inner_text()

    # one screenshot of both answered quizzes: a viewport tall enough to hold them
    page.set_viewport_size({"width": 1280, "height": 1600})
    right.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -70)")  # clear the sticky header
    top, bottom = right.bounding_box(), wrong.bounding_box()
    page.screenshot(path=str(ARTIFACTS / "quiz-answered.png"), clip={
        "x": top["x"] - 16, "y": top["y"] - 16, "width": top["width"] + 32,
        "height": bottom["y"] + bottom["height"] - top["y"] + 32,
    })


def test_search_finds_conv2d(page):
    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially("Conv2d", delay=30)  # Material searches on key events, not on fill()
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    assert results.count() >= 3
    text = page.locator(".md-search-result").inner_text()
    assert "Conv2d" in text
    titles = " | ".join(page.locator(".md-search-result__item h1, .md-search-result__item h2").all_inner_texts())
    assert "Convolution layers" in titles, titles


def test_errata_link_leads_to_the_chapter(page):
    page.goto("/errata/")
    page.wait_for_load_state("networkidle")
    link = page.locator("#kernel-32 ~ p a", has_text="Convolution layers: the output-size formula").first
    link.click()
    page.wait_for_url(re.compile(r"/chapters/conv-layers/#the-output-size-formula$"))
    page.wait_for_load_state("networkidle")
    assert heading(page) == "Convolution layers"
    assert page.locator("#the-output-size-formula").is_visible()


def test_mermaid_diagram_renders_offline(page):
    """site_hooks/mermaid.py serves Mermaid locally; Material then draws the diagram.

    Material replaces the ``<pre class="mermaid">`` source by a ``<div class="mermaid">``
    holding the SVG in a *closed* shadow root, so the drawing is measured, not queried.
    """
    page.goto("/chapters/models/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('.mermaid')?.tagName === 'DIV'", timeout=15_000)
    assert page.evaluate("() => typeof mermaid") == "object"
    assert page.locator("div.mermaid").first.bounding_box()["height"] > 300
