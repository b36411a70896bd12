"""WCAG 2.1 AA on every page of both editions, in the light and the dark scheme.

axe-core (vendored: tests/docs/vendor/axe.min.js, see the README there) runs in Debian's
chromium on each built page, with only the rules tagged wcag2a, wcag2aa, wcag21a and
wcag21aa; any violation fails that page's test, naming the rule and the offending elements.
A second check loads each page 390 px wide (a phone) and fails if the document scrolls
sideways.

Speed (CI has 2 cores): one browser, one context and one tab per scheme, reused for every
page; axe is compiled once per context (an init script) and reports violations only; each
page is loaded once per scheme, and the narrow check reuses the light load (the viewport
is resized, not the page reloaded). ``audit`` caches each (page, scheme) result, so the
per-page tests only read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import paths

CHROMIUM = Path("/usr/bin/chromium")  # the browser fixture (tests/docs/conftest.py) launches it

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian's chromium is not installed at /usr/bin/chromium (apt install chromium); "
                              "this test never downloads a browser"),
]

ARTIFACTS = paths.KIT_ROOT / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DOCS = paths.KIT_ROOT / "docs"
EDITIONS = {"zh": "/", "en": "/en/"}
SCHEMES = {"light": "default", "dark": "slate"}  # emulated prefers-color-scheme -> Material's scheme
DESKTOP = {"width": 1280, "height": 900}
NARROW = 390


def source_pages() -> list[str]:
    """Each page's URL path below its edition's root, from the English sources (every page
    has one; a Chinese translation, or the fallback to English, sits at the same path)."""
    pages = []
    for source in sorted(DOCS.rglob("*.md")):
        if source.name.endswith(".zh.md"):
            continue
        relative = source.relative_to(DOCS).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "index" else relative.parts
        pages.append("".join(f"{part}/" for part in parts))
    return pages


PAGES = [root + page for root in EDITIONS.values() for page in source_pages()] + ["/404.html"]


def built_pages(site: Path) -> set[str]:
    """Every HTML page in the built site, as the URL path that serves it."""
    found = set()
    for html in site.rglob("*.html"):
        relative = html.relative_to(site).as_posix()
        found.add("/" + (relative.removesuffix("index.html") if html.name == "index.html" else relative))
    return found


# axe's own run, violations only. The page is given time to settle first: KaTeX typesets
# the formulas after load, Material draws the Mermaid diagrams asynchronously, and CSS
# transitions finish.
RUN_AXE = """async (tags) => {
  const until = (ok) => new Promise((done) => {
    const t0 = performance.now();
    const poll = () => (ok() || performance.now() - t0 > 10000) ? done() : setTimeout(poll, 20);
    poll();
  });
  await until(() => !document.querySelector('.arithmatex') || document.querySelector('.arithmatex .katex'));
  await until(() => !document.querySelector('pre.mermaid'));
  // colours caught mid-transition (a quiz option turning green) would be measured wrong
  await Promise.race([Promise.all(document.getAnimations().map((a) => a.finished)),
                      new Promise((done) => setTimeout(done, 2000))]);
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""

# Sideways scrolling of the document at the current width, and what sticks out.
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  window.scrollTo(width, window.scrollY);
  const scrolled = window.scrollX;
  window.scrollTo(0, window.scrollY);
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && el.offsetParent !== null) {
      // report the outermost element that sticks out, not each of its children
      if (!wide.some((outer) => outer.contains(el))) wide.push(el);
    }
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map((c) => '.' + c).join('');
  const right = (el) => Math.round(el.getBoundingClientRect().right);
  return {scrollWidth: root.scrollWidth, clientWidth: width, scrolled,
          wide: wide.slice(0, 10).map((el) => `${name(el)} (right edge ${right(el)} px)`)};
}"""


# Material's search worker builds its index from search/search_index.json (1 MB, both
# editions) on every page load: a second or so of CPU that the audits don't need, since
# the search dialog is closed. The audit tabs get an empty index instead;
# test_open_search_and_answered_quizzes_meet_wcag_21_aa audits search with the real one.
EMPTY_SEARCH_INDEX = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}


def audit_context(browser, site_url: str, scheme: str, *, real_search: bool = False):
    """A browser context in ``scheme`` ("light"/"dark": the emulated prefers-color-scheme,
    which Material's palette follows), with axe compiled into every page it loads."""
    context = browser.new_context(viewport=DESKTOP, base_url=site_url, color_scheme=scheme)
    context.add_init_script(path=str(AXE))
    if not real_search:
        context.route("**/search/search_index.json", lambda route: route.fulfill(json=EMPTY_SEARCH_INDEX))
    return context


def run_axe(tab) -> list[dict]:
    return tab.evaluate(RUN_AXE, WCAG_TAGS)


class Auditor:
    """One tab per scheme; each (page, scheme) is loaded and audited once, on first request."""

    def __init__(self, browser, site_url: str):
        self.tabs = {scheme: audit_context(browser, site_url, scheme).new_page() for scheme in SCHEMES}
        self.results: dict[tuple[str, str], dict] = {}

    def audit(self, path: str, scheme: str) -> dict:
        if (path, scheme) not in self.results:
            self._audit_both(path)
        return self.results[(path, scheme)]

    def _audit_both(self, path: str) -> None:
        """Both schemes at once: each tab's axe runs in its own renderer process, so while
        one scheme's page is audited the other loads and is audited too (CI has 2 cores)."""
        for scheme, tab in self.tabs.items():
            response = tab.goto(path, wait_until="load")
            self.results[(path, scheme)] = {
                "status": response.status if response else None,
                "scheme": tab.evaluate("document.body.getAttribute('data-md-color-scheme')"),
            }
            # started in a task of its own (so this call returns at once), collected below
            tab.evaluate(f"tags => {{ window.__a11yAudit = new Promise((done) => "
                         f"setTimeout(() => done(({RUN_AXE})(tags)), 0)); }}", WCAG_TAGS)
        for scheme, tab in self.tabs.items():
            result = self.results[(path, scheme)]
            result["violations"] = tab.evaluate("() => window.__a11yAudit")
            if scheme == "light":  # the narrow check, on the same load
                tab.set_viewport_size({"width": NARROW, "height": 844})
                result["narrow"] = tab.evaluate(OVERFLOW)
                tab.set_viewport_size(DESKTOP)

    def close(self):
        for tab in self.tabs.values():
            tab.context.close()

    def summary(self) -> dict:
        """Violating elements per edition and scheme, and the pages audited."""
        counts: dict[str, dict] = {}
        for (path, scheme), result in sorted(self.results.items()):
            edition = "en" if path.startswith("/en/") else "zh"
            entry = counts.setdefault(f"{edition} {scheme}", {"pages": 0, "elements": 0, "by_rule": {}})
            entry["pages"] += 1
            for violation in result["violations"]:
                entry["elements"] += len(violation["nodes"])
                entry["by_rule"][violation["id"]] = entry["by_rule"].get(violation["id"], 0) + len(violation["nodes"])
        narrow = [path for (path, scheme), r in self.results.items() if scheme == "light"
                  and (r["narrow"]["scrollWidth"] > r["narrow"]["clientWidth"] or r["narrow"]["scrolled"])]
        return {"axe": counts, "scroll_sideways_at_390px": sorted(narrow)}


@pytest.fixture(scope="module")
def auditor(browser, site_url):
    auditor = Auditor(browser, site_url)
    yield auditor
    auditor.close()
    if auditor.results:  # the figures, for the record (test-artifacts/ is git-ignored)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "a11y-summary.json").write_text(json.dumps(auditor.summary(), indent=1), encoding="utf-8")
        violations = {f"{path} {scheme}": result["violations"]
                      for (path, scheme), result in sorted(auditor.results.items()) if result["violations"]}
        (ARTIFACTS / "a11y-violations.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False),
                                                        encoding="utf-8")


def describe(path: str, scheme: str, violations: list[dict]) -> str:
    lines = [f"{path} ({scheme} scheme): {sum(len(v['nodes']) for v in violations)} elements "
             f"violate {len(violations)} WCAG 2.1 A/AA rule(s)"]
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:15]:
            summary = " ".join(node["summary"].split())[:220]
            lines.append(f"    {node['target']}  -- {summary}")
        if len(violation["nodes"]) > 15:
            lines.append(f"    ... and {len(violation['nodes']) - 15} more")
    return "\n".join(lines)


def test_every_built_page_is_audited(built_site):
    """PAGES (from docs/) is every page the build writes: none escapes the checks below."""
    assert built_site.returncode == 0, built_site.log[-4000:]
    assert built_pages(built_site.site) == set(PAGES)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_21_aa(auditor, path, scheme):
    result = auditor.audit(path, scheme)
    assert result["status"] == 200, f"{path}: HTTP {result['status']}"
    assert result["scheme"] == SCHEMES[scheme], f"{path}: the {scheme} scheme is not applied"
    if result["violations"]:
        pytest.fail(describe(path, scheme, result["violations"]), pytrace=False)


@pytest.mark.parametrize("path", PAGES)
def test_page_does_not_scroll_sideways_at_390px(auditor, path):
    narrow = auditor.audit(path, "light")["narrow"]
    assert narrow["scrollWidth"] <= narrow["clientWidth"] and narrow["scrolled"] == 0, (
        f"{path} at {NARROW} px: the document is {narrow['scrollWidth']} px wide "
        f"(scrolls sideways by {narrow['scrolled']} px); sticking out: "
        f"{json.dumps(narrow['wide'], ensure_ascii=False)}")


def answer_two_quizzes(tab) -> None:
    """The first quiz answered right, the second wrong: the feedback, the explanation and
    the "Try again" button appear, in the quiz's colours for right and wrong."""
    for index, right in ((0, True), (1, False)):
        quiz = tab.locator(".quiz").nth(index)
        option = quiz.locator("input[data-correct]" if right else "input:not([data-correct])").first
        quiz.locator(f'label[for="{option.get_attribute("id")}"]').click()
        quiz.locator(".quiz-feedback").wait_for(state="visible")


def open_search(tab, query: str) -> None:
    tab.locator("label.md-search__icon, .md-search__input").first.click()
    tab.locator("input.md-search__input").press_sequentially(query, delay=20)
    tab.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", ["/chapters/conv-layers/", "/en/chapters/conv-layers/"])
def test_open_search_and_answered_quizzes_meet_wcag_21_aa(browser, site_url, path, scheme):
    """What a page shows only after the reader acts: answered quizzes, then search results."""
    context = audit_context(browser, site_url, scheme, real_search=True)
    try:
        tab = context.new_page()
        tab.goto(path, wait_until="load")
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
        answer_two_quizzes(tab)
        violations = run_axe(tab)
        if violations:
            pytest.fail(describe(f"{path} with answered quizzes", scheme, violations), pytrace=False)
        open_search(tab, "Conv2d")
        violations = run_axe(tab)
        if violations:
            pytest.fail(describe(f"{path} with search results", scheme, violations), pytrace=False)
    finally:
        context.close()
