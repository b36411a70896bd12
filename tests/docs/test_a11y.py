"""WCAG 2.1 AA on every page of both editions, in the light and the dark scheme.

axe-core (vendored: tests/docs/vendor/axe.min.js, see the README there) runs in Debian's
chromium on each built page, with only the rules tagged wcag2a, wcag2aa, wcag21a and
wcag21aa; any violation fails that page's test, naming the rule and the offending elements.
Each page is also checked 390 px wide (a phone): the document must not scroll sideways.

The schemes: each page loads in the light scheme (the browser reports a light system
preference, which mkdocs.yml's palette follows), is audited, then Material's own palette
toggle switches it to the dark scheme, and it is audited again; the test asserts the
``data-md-color-scheme`` that Material set each time. (Loading in the dark scheme through
the system preference is what test_open_search_and_answered_quizzes_meet_wcag_21_aa and
test_browser.py's figures test do.)

Speed (CI has 2 cores): one browser; two tabs, each in its own context and renderer
process, audit pages side by side (a tab starts the next page as soon as it is done), so
both cores work; each page is loaded once for both schemes and the narrow check (the
viewport is resized, not the page reloaded); axe is compiled into each page by an init
script and reports violations only; the search index is stubbed (see EMPTY_SEARCH_INDEX).
``Auditor.audit`` caches each page's result, so the per-page tests, which make the
failure messages readable, only look it up.
"""

from __future__ import annotations

import json
from collections import deque
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
SCHEMES = {"light": "default", "dark": "slate"}  # -> Material's data-md-color-scheme
DESKTOP = {"width": 1280, "height": 900}
NARROW = 390
TABS = 2  # pages audited at once (CI's cores)


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


# Helpers compiled into every audited page (after axe), as window.kitA11y.
HELPERS = """window.kitA11y = (() => {
  const until = (ok, ms = 10000) => new Promise((done) => {
    const t0 = performance.now();
    const poll = () => (ok() || performance.now() - t0 > ms) ? done() : setTimeout(poll, 20);
    poll();
  });
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  // Let the page settle: KaTeX typesets the formulas after load, Material draws the Mermaid
  // diagrams asynchronously, and a colour caught mid-transition (a quiz option turning
  // green, the whole page after the scheme toggle) would be measured wrong.
  const settle = async () => {
    await until(() => !document.querySelector('.arithmatex') || document.querySelector('.arithmatex .katex'));
    await until(() => !document.querySelector('pre.mermaid'));
    await frame();
    await Promise.race([Promise.all(document.getAnimations().map((a) => a.finished)),
                        new Promise((done) => setTimeout(done, 2000))]);
  };
  const scheme = () => document.body.getAttribute('data-md-color-scheme');
  const run = async (tags) => {
    await settle();
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return {scheme: scheme(), violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
    }))};
  };
  // The reader's way to the dark scheme: the header's palette toggle.
  const toDark = async () => {
    const input = document.querySelector('input[name="__palette"][data-md-color-scheme="slate"]');
    document.querySelector(`label[for="${input.id}"]`).click();
    await until(() => scheme() === 'slate', 5000);
  };
  // One page: light, then dark. Started without waiting (see Auditor), collected later.
  const both = (tags) => new Promise((done) => setTimeout(async () => {
    const light = await run(tags);
    await toDark();
    done({light, dark: await run(tags)});
  }, 0));
  // Sideways scrolling of the document at the current width; if it does, what sticks out
  // (outermost elements only, and none inside a box that scrolls or clips by itself).
  const overflow = () => {
    const root = document.scrollingElement;
    const width = root.clientWidth;
    window.scrollTo(width, window.scrollY);
    const scrolled = window.scrollX;
    window.scrollTo(0, window.scrollY);
    const result = {scrollWidth: root.scrollWidth, clientWidth: width, scrolled, wide: []};
    if (root.scrollWidth <= width && !scrolled) return result;
    const contained = (el) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      }
      return false;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.getBoundingClientRect().right > width + 1 && el.offsetParent !== null &&
          !wide.some((w) => w.contains(el)) && !contained(el)) wide.push(el);
    }
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      [...el.classList].map((c) => '.' + c).join('');
    const right = (el) => Math.round(el.getBoundingClientRect().right);
    result.wide = wide.slice(0, 10).map((el) => `${name(el)} (right edge ${right(el)} px)`);
    return result;
  };
  return {run, both, overflow, scheme};
})();"""

# Material's search worker builds its index from search/search_index.json (1 MB, both
# editions) on every page load: a second or so of CPU that the audits don't need, since
# the search dialog is closed. The audit tabs get an empty index instead;
# test_open_search_and_answered_quizzes_meet_wcag_21_aa audits search with the real one.
EMPTY_SEARCH_INDEX = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}


def audit_context(browser, site_url: str, scheme: str, *, real_search: bool = False):
    """A browser context whose system preference is ``scheme`` ("light"/"dark"; Material's
    palette follows it on load), with axe and HELPERS compiled into every page it loads."""
    context = browser.new_context(viewport=DESKTOP, base_url=site_url, color_scheme=scheme)
    context.add_init_script(path=str(AXE))
    context.add_init_script(script=HELPERS)
    if not real_search:
        context.route("**/search/search_index.json", lambda route: route.fulfill(json=EMPTY_SEARCH_INDEX))
    return context


class Auditor:
    """TABS tabs, each in its own context (its own storage: the toggle remembers the
    scheme). A page is audited once, when a test first asks for it; meanwhile the other
    tabs audit the pages that come next, so no tab waits for another."""

    def __init__(self, browser, site_url: str):
        self.idle = [audit_context(browser, site_url, "light").new_page() for _ in range(TABS)]
        self.tabs = list(self.idle)
        self.busy: deque = deque()  # (tab, path), in the order they were started
        self.started: set[str] = set()
        self.results: dict[str, dict] = {}

    def audit(self, path: str) -> dict:
        while path not in self.results or "narrow" not in self.results[path]:
            while self.idle:
                following = [page for page in [path, *PAGES] if page not in self.started]
                if not following:
                    break
                self._start(self.idle.pop(), following[0])
            tab, done = self.busy.popleft()  # the oldest: likely the first to finish
            self._finish(tab, done)
            self.idle.append(tab)
        return self.results[path]

    def _start(self, tab, path: str) -> None:
        self.started.add(path)
        response = tab.goto(path, wait_until="load")
        self.results[path] = {"status": response.status if response else None,
                              "loaded_in": tab.evaluate("kitA11y.scheme()")}
        # kept in the page, awaited in _finish: the other tabs work meanwhile
        tab.evaluate("tags => { window.kitAudit = kitA11y.both(tags); }", WCAG_TAGS)
        self.busy.append((tab, path))

    def _finish(self, tab, path: str) -> None:
        result = self.results[path]
        result.update(tab.evaluate("() => window.kitAudit"))
        tab.set_viewport_size({"width": NARROW, "height": 844})
        result["narrow"] = tab.evaluate("kitA11y.overflow()")
        tab.set_viewport_size(DESKTOP)
        # forget the toggle's choice, so that the next page loads light again
        tab.evaluate("Object.keys(localStorage).filter((k) => k.includes('__palette'))"
                     ".forEach((k) => localStorage.removeItem(k))")

    def close(self):
        for tab in self.tabs:
            tab.context.close()

    def finished(self) -> dict[str, dict]:
        return {path: result for path, result in self.results.items() if "narrow" in result}

    def summary(self) -> dict:
        """Violating elements per edition and scheme, and the pages audited."""
        counts: dict[str, dict] = {}
        for path, result in sorted(self.finished().items()):
            edition = "en" if path.startswith("/en/") else "zh (and /404.html)"
            for scheme in SCHEMES:
                entry = counts.setdefault(f"{edition} {scheme}", {"pages": 0, "elements": 0, "by_rule": {}})
                entry["pages"] += 1
                for violation in result[scheme]["violations"]:
                    elements = len(violation["nodes"])
                    entry["elements"] += elements
                    entry["by_rule"][violation["id"]] = entry["by_rule"].get(violation["id"], 0) + elements
        sideways = [path for path, r in self.finished().items()
                    if r["narrow"]["scrollWidth"] > r["narrow"]["clientWidth"] or r["narrow"]["scrolled"]]
        return {"axe": counts, "scroll_sideways_at_390px": sorted(sideways)}


@pytest.fixture(scope="module")
def auditor(browser, site_url):
    auditor = Auditor(browser, site_url)
    yield auditor
    auditor.close()
    if auditor.finished():  # the figures, for the record (test-artifacts/ is git-ignored)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "a11y-summary.json").write_text(json.dumps(auditor.summary(), indent=1), encoding="utf-8")
        violations = {f"{path} {scheme}": result[scheme]["violations"]
                      for path, result in sorted(auditor.finished().items()) for scheme in SCHEMES
                      if result[scheme]["violations"]}
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
    result = auditor.audit(path)
    assert result["status"] == 200, f"{path}: HTTP {result['status']}"
    assert result["loaded_in"] == "default", f"{path} did not load in the light scheme"
    assert result[scheme]["scheme"] == SCHEMES[scheme], f"{path}: the {scheme} scheme is not applied"
    if result[scheme]["violations"]:
        pytest.fail(describe(path, scheme, result[scheme]["violations"]), pytrace=False)


@pytest.mark.parametrize("path", PAGES)
def test_page_does_not_scroll_sideways_at_390px(auditor, path):
    narrow = auditor.audit(path)["narrow"]
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
    """What a page shows only after the reader acts: answered quizzes, then search results.
    Here the scheme comes from the system preference at load, as for a reader whose
    system is set to dark."""
    context = audit_context(browser, site_url, scheme, real_search=True)
    try:
        tab = context.new_page()
        tab.goto(path, wait_until="load")
        assert tab.evaluate("kitA11y.scheme()") == SCHEMES[scheme]
        answer_two_quizzes(tab)
        result = tab.evaluate("kitA11y.run", WCAG_TAGS)
        if result["violations"]:
            pytest.fail(describe(f"{path} with answered quizzes", scheme, result["violations"]), pytrace=False)
        open_search(tab, "Conv2d")
        result = tab.evaluate("kitA11y.run", WCAG_TAGS)
        if result["violations"]:
            pytest.fail(describe(f"{path} with search results", scheme, result["violations"]), pytrace=False)
    finally:
        context.close()
