"""The site builds with ``mkdocs build --strict``, and the build does what the pages rely on."""

from __future__ import annotations

import re

import pytest

from grader.registry import load_registry

# Hosts a page could silently depend on; the site must work offline.
EXTERNAL_ASSETS = re.compile(r"""(?:src|href)=["']https?://(?:unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com)""")


def test_strict_build_passes(built_site):
    """Strict mode: any warning (broken link or anchor, missing page, bad snippet) fails."""
    assert built_site.returncode == 0, f"mkdocs build --strict failed:\n{built_site.log[-6000:]}"
    assert "WARNING" not in built_site.log, built_site.log
    assert (built_site.site / "index.html").is_file()


def test_every_registry_exercise_is_built_and_in_the_nav(built_site):
    home = built_site.page("")
    for ex in load_registry():
        url = ex.docs.removesuffix(".md") + "/"
        html = built_site.page(url)
        assert f"Exercise {ex.id[-2:]}" in html, f"{url} does not start with its title"
        assert f'href="{url}"' in home or f'href="./{url}"' in home, f"{ex.id} is missing from the navigation"


def test_hints_marker_becomes_collapsed_admonitions(built_site):
    ex = load_registry().get("exercise-04")
    html = built_site.page("exercises/exercise-04/")
    assert "<!-- hints:" not in html
    collapsed = re.findall(r'<details class="tip">\s*<summary>Hint (\d+) of (\d+)</summary>', html)
    assert collapsed == [(str(i), str(len(ex.hints))) for i in range(1, len(ex.hints) + 1)]
    # the hint text comes from the registry, with markdown specials kept literal
    assert "64*7*7" in html


def test_starter_code_is_included_from_the_stub(built_site):
    html = built_site.page("exercises/exercise-04/")
    assert "--8&lt;--" not in html and "--8<--" not in html
    assert "view(-1, 64 * 8 * 8)" in re.sub(r"<[^>]+>", "", html).replace("&gt;", ">")
    assert 'data-title="exercises/exercise-04/net.py"' in html or "exercises/exercise-04/net.py</span>" in html


def test_exercise_index_table_lists_the_registry(built_site):
    html = built_site.page("exercises/")
    for ex in load_registry():
        assert f'href="../{ex.docs.removesuffix(".md").removeprefix("exercises/")}/"' in html or \
               f'href="{ex.docs.removesuffix(".md").removeprefix("exercises/")}/"' in html, ex.id


def test_quizzes_render(built_site):
    html = built_site.page("chapters/conv-layers/")
    assert html.count('class="quiz"') >= 4
    visible = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)  # mkdocs-quiz embeds each source as a comment
    assert "<quiz>" not in visible, "a quiz was left unrendered"


@pytest.mark.parametrize("page", ["chapters/models/", "chapters/multi-gpu/", "chapters/frameworks/"])
def test_mermaid_is_served_locally_where_diagrams_are(built_site, page):
    html = built_site.page(page)
    assert '<pre class="mermaid">' in html
    assert re.search(r'<script src="(\.\./)+javascripts/vendor/mermaid\.min\.js"></script>', html)
    assert (built_site.site / "javascripts/vendor/mermaid.min.js").is_file()


def test_mermaid_is_not_loaded_where_no_diagram_is(built_site):
    assert "mermaid.min.js" not in built_site.page("chapters/tensors/")


def test_no_page_loads_assets_from_the_network(built_site):
    offenders = [str(p.relative_to(built_site.site)) for p in built_site.site.rglob("*.html")
                 if EXTERNAL_ASSETS.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"pages fetching from a CDN (breaks offline use): {offenders}"


def test_sybil_conftest_is_not_published(built_site):
    assert not (built_site.site / "conftest.py").exists()
