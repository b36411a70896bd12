"""``grader report``'s HTML in a real browser, opened from disk: images load, the students table sorts.

The class is the end-to-end test's (tests/course/test_nbgrader_e2e.py), built by its
own fixture and graded by ``grader batch``; the browser is Debian's chromium, driven
by Playwright as tests/docs/test_browser.py drives it (never a downloaded browser).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from grader import paths

from course_helpers import grader_cli
from test_nbgrader_e2e import ASSIGNMENT, STUDENTS, courses  # noqa: F401  (courses: the class, a fixture)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def report_page(courses, tmp_path_factory):  # noqa: F811  (the imported fixture, by name)
    _, course = courses
    graded = grader_cli("batch", str(course), ASSIGNMENT, "--no-progress", timeout=600)
    assert graded.code == 0, graded.stdout + graded.stderr
    out = tmp_path_factory.mktemp("report")
    ran = grader_cli("report", str(course), ASSIGNMENT, "--out", str(out))
    assert ran.code == 0, ran.stdout + ran.stderr
    return out / "index.html"


@pytest.fixture
def page(report_page):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url}"))
            page.goto(report_page.as_uri())
            yield page
            assert not problems, problems
        finally:
            browser.close()


def test_report_opens_from_disk_with_every_image_loaded(page):
    images = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete, "
                                              "i.naturalWidth, i.alt])")
    assert len(images) >= 2
    for src, complete, width, alt in images:
        assert complete and width > 0, src
        assert len(alt) > 20, src
    requested = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
    assert all(url.startswith("file://") for url in requested), requested  # nothing from the network
    page.screenshot(path=str(paths.KIT_ROOT / "test-artifacts" / "class-report.png"), full_page=True)


def test_students_table_has_a_row_per_student_and_sorts(page):
    def column(index):
        return page.eval_on_selector_all("#students-table tbody tr",
                                         f"rows => rows.map(r => r.cells[{index}].textContent.trim())")

    assert column(0) == sorted(STUDENTS)
    total = page.eval_on_selector_all("#students-table thead th", "ths => ths.map(t => t.textContent.trim())")
    total_column = total.index("total")
    page.click(f"#students-table thead th:nth-child({total_column + 1})")
    ascending = [float(cell.split("/")[0]) for cell in column(total_column)]
    assert ascending == sorted(ascending)
    page.click(f"#students-table thead th:nth-child({total_column + 1})")
    descending = [float(cell.split("/")[0]) for cell in column(total_column)]
    assert descending == sorted(ascending, reverse=True) and column(0)[0] == "alice"
    page.click("#students-table thead th:nth-child(1)")
    assert column(0) == sorted(STUDENTS)


def test_feedback_links_lead_to_files_that_exist(page, report_page):
    hrefs = page.eval_on_selector_all("#students-table a", "links => links.map(a => a.href)")
    assert len(hrefs) >= len(STUDENTS)
    for href in hrefs:
        assert Path(unquote(href.removeprefix("file://"))).is_file(), href
