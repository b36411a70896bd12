"""The built site in a real browser: quizzes, search, links, and a clean console.

Playwright for Python drives Debian's chromium (never a downloaded browser) against
the site served by a local ``http.server``. Screenshots go to ``test-artifacts/``.

Two editions: Chinese at the root (``/``), English under ``/en/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader import paths

CHROMIUM = Path("/usr/bin/chromium")  # the browser and site fixtures are tests/docs/conftest.py's
ARTIFACTS = paths.KIT_ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian's chromium is not installed at /usr/bin/chromium (apt install chromium); "
                              "this test never downloads a browser"),
]


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



def answer(page, index: int, *, right: bool = False, text: str | None = None):
    """Click the right option of the page's quiz ``index``, or the option reading ``text``.

    Options are shuffled per reader (mkdocs.yml's ``shuffle_answers``), so an option is
    found by what it says, never by its position. Waits for the feedback.
    Returns (the quiz, its feedback, the option clicked)."""
    quiz = page.locator(".quiz").nth(index)
    quiz.scroll_into_view_if_needed()
    if right:
        option = quiz.locator("input[data-correct]").first
    else:
        label = quiz.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        assert label.count() == 1, f"quiz {index} has no single option reading {text!r}"
        option = quiz.locator(f'input[id="{label.get_attribute("for")}"]')
    quiz.locator(f'label[for="{option.get_attribute("id")}"]').click()
    feedback = quiz.locator(".quiz-feedback")
    feedback.wait_for(state="visible")
    return quiz, feedback, option


def screenshot_both(page, first, second, name: str) -> None:
    """One screenshot of two answered quizzes, in a viewport tall enough to hold both."""
    page.set_viewport_size({"width": 1280, "height": 1600})
    first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -70)")  # clear the sticky header
    top, bottom = first.bounding_box(), second.bounding_box()
    page.screenshot(path=str(ARTIFACTS / name), clip={
        "x": top["x"] - 16, "y": top["y"] - 16, "width": top["width"] + 32,
        "height": bottom["y"] + bottom["height"] - top["y"] + 32,
    })

def test_home_page(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/en/")
    page.wait_for_load_state("networkidle")
    assert "PyTorch from zero to advanced" in page.title()
    assert heading(page) == "PyTorch from zero to advanced"
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=False)


def test_quiz_right_and_wrong_answers_show_feedback(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/en/chapters/conv-layers/")
    page.wait_for_load_state("networkidle")

    right, feedback, _ = answer(page, 0, right=True)
    assert "hidden" not in (feedback.get_attribute("class") or "")
    assert right.locator(".quiz-feedback-item.correct").count() == 1
    assert "(32 - 5) / 1 + 1 = 28." in feedback.inner_text()
    assert right.locator("input[data-correct]").first.evaluate("e => e.parentElement.classList.contains('correct')")
    assert right.locator("section.content").is_visible()  # the explanation after answering
    assert "each dimension loses" in right.locator("section.content").inner_text()

    wrong, feedback, wrong_answer = answer(page, 1, text="(3, 16, 3, 3)")
    assert wrong.locator(".quiz-feedback-item.incorrect").count() == 1
    assert "The output channels come first." in feedback.inner_text()
    assert wrong_answer.evaluate("e => e.parentElement.classList.contains('wrong')")
    # show_correct: the right answer is highlighted after a wrong one
    assert wrong.locator("input[data-correct]").first.evaluate("e => e.parentElement.classList.contains('correct')")
    assert "Weights are" in wrong.locator("section.content").inner_text()

    # one screenshot of both answered quizzes: a viewport tall enough to hold them
    screenshot_both(page, right, wrong, "quiz-answered.png")


def test_search_finds_conv2d(page):
    page.goto("/en/")
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
    page.goto("/en/errata/")
    page.wait_for_load_state("networkidle")
    link = page.locator("#kernel-32 ~ p a", has_text="Convolution layers: the output-size formula").first
    link.click()
    page.wait_for_url(re.compile(r"/en/chapters/conv-layers/#the-output-size-formula$"))
    page.wait_for_load_state("networkidle")
    assert heading(page) == "Convolution layers"
    assert page.locator("#the-output-size-formula").is_visible()


def test_mermaid_diagram_renders_offline(page):
    """site_hooks/mermaid.py serves Mermaid locally; Material then draws the diagram.

    Material replaces the ``<pre class="mermaid">`` source by a ``<div class="mermaid">``
    holding the SVG in a *closed* shadow root, so the drawing is measured, not queried.
    """
    page.goto("/en/chapters/models/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('.mermaid')?.tagName === 'DIV'", timeout=15_000)
    assert page.evaluate("() => typeof mermaid") == "object"
    assert page.locator("div.mermaid").first.bounding_box()["height"] > 300


# -- the Chinese edition (the site root) ----------------------------------------------------
def switch_language(page, lang: str) -> None:
    """Material's language selector in the header: open it, pick ``lang``."""
    page.locator(".md-header__option .md-select button").hover()
    link = page.locator(f'.md-select__link[hreflang="{lang}"]')
    link.wait_for(state="visible")
    link.click()


def search(page, query: str):
    """Type ``query`` into Material's search box; the result items, once there."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=30)  # Material searches on key events, not on fill()
    # Characters the keyboard layout lacks (Chinese) are inserted without key events:
    # one more key press makes Material read the query.
    box.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15_000)
    return results


def test_chinese_home_page(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert page.title() == "PyTorch 从入门到进阶"
    assert heading(page) == "PyTorch 从入门到进阶"
    nav = page.locator("nav.md-nav--primary").first.inner_text()
    for label in ("章节", "勘误", "练习", "指南", "API 参考（英文）"):
        assert label in nav, f"{label!r} is not in the Chinese navigation"
    page.screenshot(path=str(ARTIFACTS / "zh-home.png"), full_page=False)


def test_language_switch_keeps_the_chapter(page):
    page.goto("/chapters/conv-layers/")
    page.wait_for_load_state("networkidle")
    assert heading(page) == "卷积层"

    switch_language(page, "en")
    page.wait_for_url(re.compile(r"/en/chapters/conv-layers/$"))
    page.wait_for_load_state("networkidle")
    assert heading(page) == "Convolution layers"
    assert page.locator("html").get_attribute("lang") == "en"

    switch_language(page, "zh")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/chapters/conv-layers/$"))
    page.wait_for_load_state("networkidle")
    assert heading(page) == "卷积层"
    assert page.locator("html").get_attribute("lang") == "zh"


def test_quiz_options_are_shuffled_for_each_reader(page):
    """The source order is no hint: in the browser, options come in a random order.

    Each option's input id ends with its position in the source (``quiz-2-0`` is the
    first option written), so the DOM order shows the shuffle. With six questions of
    four options, every one staying in source order by chance has odds of 1 in 24**6."""
    page.goto("/en/chapters/conv-layers/")
    page.wait_for_load_state("networkidle")
    orders = page.locator(".quiz fieldset").evaluate_all(
        "sets => sets.map(s => [...s.querySelectorAll('input')].map(i => Number(i.id.split('-').pop())))")
    assert len(orders) >= 6
    assert all(sorted(order) == list(range(len(order))) for order in orders), orders
    assert any(order != sorted(order) for order in orders), f"every question is in source order: {orders}"


def test_a_wrong_answer_explains_itself_and_the_question_can_be_retried(page):
    """Wrong: that option's reason and the worked explanation; then "Try again" resets this
    question only (no reload), and the right answer is accepted."""
    page.goto("/en/chapters/tensors/")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.notReloaded = true")

    quiz, feedback, wrong = answer(page, 2, text="torch.Size([4, 1])")
    assert wrong.evaluate("e => e.parentElement.classList.contains('wrong')")
    assert "The (4,) side is broadcast too" in feedback.inner_text()
    assert "16 differences instead of 4" in quiz.locator("section.content").inner_text()
    retry = quiz.locator(".quiz-reset-button")
    assert retry.is_visible() and retry.inner_text().strip() == "Try Again"

    retry.click()
    assert feedback.is_hidden() and not quiz.locator("section.content").is_visible()
    assert quiz.locator("input:checked").count() == 0
    assert quiz.locator("input:disabled").count() == 0
    assert quiz.locator(".wrong, .correct").count() == 0

    _, feedback, right = answer(page, 2, right=True)
    assert right.evaluate("e => e.parentElement.classList.contains('correct')")
    assert quiz.locator(".quiz-feedback-item.correct").count() == 1
    assert page.evaluate("window.notReloaded === true"), "retrying reloaded the page"


def test_chinese_quiz_right_and_wrong_answers_show_chinese_feedback(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/chapters/conv-layers/")
    page.wait_for_load_state("networkidle")

    right, feedback, _ = answer(page, 0, right=True)
    assert right.locator(".quiz-feedback-item.correct").count() == 1
    assert right.locator(".quiz-number").inner_text().strip() == "问题 1"  # mkdocs-quiz's own words, in Chinese
    text = feedback.inner_text()
    assert "(32 - 5) / 1 + 1 = 28。" in text, text  # the page's feedback, translated
    assert "每个维度" in right.locator("section.content").inner_text()

    wrong, feedback, wrong_answer = answer(page, 1, text="(3, 16, 3, 3)")
    assert wrong.locator(".quiz-feedback-item.incorrect").count() == 1
    text = feedback.inner_text()
    assert "输出通道数排在最前面" in text, text
    assert wrong_answer.evaluate("e => e.parentElement.classList.contains('wrong')")
    assert wrong.locator("input[data-correct]").first.evaluate("e => e.parentElement.classList.contains('correct')")
    article = page.locator("article").inner_text()
    assert "Question 1" not in article and "Correct answer" not in article

    screenshot_both(page, right, wrong, "zh-quiz-answered.png")


@pytest.mark.parametrize("query, chapter, title", [
    ("卷积", "conv-layers", "卷积层"),
    ("张量形状", "tensors", "张量"),
])
def test_chinese_search_finds_the_chapter_first(page, query, chapter, title):
    """jieba segments the pages at build time; Material segments the query against the index."""
    page.goto("/")
    page.wait_for_load_state("networkidle")
    results = search(page, query)
    first = results.first.locator("a").first
    href = first.get_attribute("href")
    assert re.search(rf"^{re.escape(page.url)}chapters/{chapter}/(\?[^#]*)?(#|$)", href), \
        f"first result for {query!r}: {href}"
    first.click()
    page.wait_for_url(re.compile(rf"127\.0\.0\.1:\d+/chapters/{chapter}/"))
    page.wait_for_load_state("networkidle")
    assert heading(page) == title


def test_chinese_errata_page(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto("/errata/")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert page.locator("#kernel-32").count() == 1  # the same anchors as the English page
    page.screenshot(path=str(ARTIFACTS / "zh-errata.png"), full_page=False)


# -- figures and formulas ---------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_conv_chapter_shows_its_figures_and_formulas_offline(page, scheme):
    """KaTeX (vendored) typesets the formulas, and every figure of the colour scheme loads.

    The page fixture fails the test on any failed request, so nothing may come from a CDN.
    Screenshots of the pooling section in both schemes go to test-artifacts/.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    page.emulate_media(color_scheme=scheme)
    page.goto("/en/chapters/conv-layers/")
    page.wait_for_load_state("networkidle")
    assert page.locator("body").get_attribute("data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    page.wait_for_function("() => document.querySelectorAll('.arithmatex .katex').length >= 2", timeout=15_000)
    assert page.locator(".arithmatex .katex-display").count() >= 2  # the display formulas
    assert page.locator(".katex-error").count() == 0
    figures = page.locator('article img[src*="/figures/"]')
    assert figures.count() >= 6  # three figures, each drawn for both schemes
    page.wait_for_function("""() => [...document.querySelectorAll('article img[src*="/figures/"]')]
                              .every(img => img.complete && img.naturalWidth > 0)""", timeout=15_000)
    shown = page.evaluate("""() => [...document.querySelectorAll('article img[src*="/figures/"]')]
                              .filter(img => img.offsetParent !== null).map(img => img.getAttribute('src'))""")
    suffix = "-dark.svg#only-dark" if scheme == "dark" else ".svg#only-light"
    assert len(shown) == 3 and all(src.endswith(suffix) for src in shown), shown
    page.evaluate("document.querySelector('#pooling').scrollIntoView(); window.scrollBy(0, -70)")
    page.screenshot(path=str(ARTIFACTS / f"conv-figures-{scheme}.png"), full_page=False)
