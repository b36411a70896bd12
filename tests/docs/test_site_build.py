"""The site builds with ``mkdocs build --strict``, and the build does what the pages rely on.

Two editions come out of one build (mkdocs-static-i18n): the Chinese one at the site root,
the English one under ``en/``.
"""

from __future__ import annotations

import json
import posixpath
import re

import pytest
import yaml

from devtools import editions
from grader import paths
from grader.registry import load_registry

# Hosts a page could silently depend on; the site must work offline.
EXTERNAL_ASSETS = re.compile(r"""(?:src|href)=["']https?://(?:unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com)""")
EN = "en/"  # the English edition's folder; the Chinese edition is the root
HAN = re.compile(r"[\u3400-\u9fff]")
LANGUAGE_LINK = re.compile(r'<a href="(?P<href>[^"]*)" hreflang="(?P<lang>[a-z]+)" class="md-select__link">')


def url_of(page: str) -> str:
    """``chapters/tensors.md`` -> ``chapters/tensors/``; ``index.md`` -> ``""``."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


ENGLISH_PAGES = editions.english_pages()
PAIRED = [p.page for p in editions.page_pairs()]


def mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((paths.KIT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def i18n_language(locale: str) -> dict:
    for plugin in mkdocs_config()["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return next(lang for lang in plugin["i18n"]["languages"] if lang["locale"] == locale)
    raise AssertionError("mkdocs.yml has no i18n plugin")


def nav_titles(nav) -> list[str]:
    titles = []
    for item in nav:
        if isinstance(item, dict):
            title, value = next(iter(item.items()))
            titles.append(title)
            if isinstance(value, list):
                titles += nav_titles(value)
    return titles


def nav_labels(html: str) -> list[str]:
    """The primary navigation's labels, in order (the sidebar on a wide screen)."""
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1]
    nav = nav.split('<div class="md-sidebar md-sidebar--secondary"', 1)[0]
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", label).strip() for label in labels]


def test_strict_build_passes(built_site):
    """Strict mode: any warning (broken link or anchor, missing page, bad snippet) fails."""
    assert built_site.returncode == 0, f"mkdocs build --strict failed:\n{built_site.log[-6000:]}"
    assert "WARNING" not in built_site.log, built_site.log
    assert (built_site.site / "index.html").is_file()
    assert (built_site.site / EN / "index.html").is_file()


def test_build_time_is_reported(built_site):
    """Both editions in one build; the issue's target is under 20 s on a quiet machine."""
    print(f"mkdocs build --strict (both editions): {built_site.seconds:.1f} s")
    assert built_site.seconds < 120, "the build has become far slower than the 20 s target"


@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_every_page_is_built_in_both_editions(built_site, page):
    """English under en/, Chinese at the root; an English-only page shows its English text there too."""
    en = built_site.page(EN + url_of(page))
    zh = built_site.page(url_of(page))
    assert '<html lang="en"' in en
    assert '<html lang="zh"' in zh
    if page in PAIRED:
        assert HAN.search(re.sub(r"<nav.*?</nav>|<header.*?</header>|<script.*?</script>", "", zh, flags=re.DOTALL)), \
            f"the Chinese edition of {page} shows no Chinese text"


@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_language_switch_leads_to_the_same_page(built_site, page):
    """Material's language selector, on every page of both editions, points to the same page."""
    url = url_of(page)
    for here, there, lang in ((url, EN + url, "en"), (EN + url, url, "zh")):
        links = {m.group("lang"): m.group("href") for m in LANGUAGE_LINK.finditer(built_site.page(here))}
        assert set(links) == {"en", "zh"}, f"{here or '/'} has no language switch: {links}"
        href = links[lang]
        if href.startswith("/"):
            target = href.lstrip("/")
        else:
            target = posixpath.normpath(posixpath.join(here or ".", href)) + "/"
            target = "" if target in ("./", "/") else target.removeprefix("./")
        assert target == there, f"on /{here}, the {lang} switch leads to /{target}, not /{there}"


def test_chinese_nav_titles(built_site):
    """Every nav title of mkdocs.yml is translated, and the Chinese edition shows the translations."""
    translations = i18n_language("zh")["nav_translations"]
    untranslated = [t for t in nav_titles(mkdocs_config()["nav"])
                    if t not in translations and not t.startswith("grader.")]
    assert not untranslated, f"nav titles without a Chinese translation in mkdocs.yml: {untranslated}"

    labels = nav_labels(built_site.page(""))
    for english, chinese in translations.items():
        assert chinese in labels, f"{chinese!r} is not in the Chinese nav"
        assert english not in labels or english == chinese, f"{english!r} is still English in the Chinese nav"
    for ex in load_registry():
        title = getattr(ex, "title_zh", None) or ex.title
        assert f"{ex.id[-2:]} · {title}" in labels
    # the English-only pages say so
    assert "维护者指南：添加练习（英文）" in labels and "API 参考（英文）" in labels

    english_labels = nav_labels(built_site.page(EN))
    assert "Chapters" in english_labels and "章节" not in english_labels


def test_chinese_edition_names_itself_in_chinese(built_site):
    zh = i18n_language("zh")
    html = built_site.page("")
    assert f"<title>{zh['site_name']}</title>" in html
    assert re.search(r"<title>(Home - )?PyTorch from zero to advanced</title>", built_site.page(EN))


def test_every_registry_exercise_is_built_and_in_the_nav(built_site):
    for edition, heading in ((EN, "Exercise"), ("", "练习")):
        home = built_site.page(edition)
        for ex in load_registry():
            url = ex.docs.removesuffix(".md") + "/"
            html = built_site.page(edition + url)
            assert f"{heading} {ex.id[-2:]}" in html, f"/{edition}{url} does not start with its title"
            assert f'href="{url}"' in home or f'href="./{url}"' in home, f"{ex.id} is missing from /{edition}'s nav"


def test_hints_marker_becomes_collapsed_admonitions(built_site):
    ex = load_registry().get("exercise-04")
    html = built_site.page(EN + "exercises/exercise-04/")
    assert "<!-- hints:" not in html
    collapsed = re.findall(r'<details class="tip">\s*<summary>Hint (\d+) of (\d+)</summary>', html)
    assert collapsed == [(str(i), str(len(ex.hints))) for i in range(1, len(ex.hints) + 1)]
    # the hint text comes from the registry, with markdown specials kept literal
    assert "64*7*7" in html


def test_chinese_exercise_page_shows_the_chinese_hints(built_site):
    ex = load_registry().get("exercise-04")
    hints_zh = getattr(ex, "hints_zh", None)
    assert hints_zh, "exercise-04 has no hints_zh in exercises/exercises.toml"
    html = built_site.page("exercises/exercise-04/")
    assert "<!-- hints:" not in html
    collapsed = re.findall(r'<details class="tip">\s*<summary>提示 (\d+)（共 (\d+) 条）</summary>', html)
    assert collapsed == [(str(i), str(len(hints_zh))) for i in range(1, len(hints_zh) + 1)]
    assert "Hint 1 of" not in html


@pytest.mark.parametrize("edition, comment", [(EN, "Work out each layer's output size."),
                                              ("", "算一算每一层的输出尺寸。")], ids=["en", "zh"])
def test_starter_code_is_included_from_the_stub(built_site, edition, comment):
    """Each edition shows its own stub (net.py, net.zh.py: the same code) under the name of the file to edit."""
    html = built_site.page(edition + "exercises/exercise-04/")
    assert "--8&lt;--" not in html and "--8<--" not in html
    text = re.sub(r"<[^>]+>", "", html).replace("&gt;", ">").replace("&#39;", "'")
    assert "view(-1, 64 * 8 * 8)" in text and comment in text
    assert 'data-title="exercises/exercise-04/net.py"' in html or "exercises/exercise-04/net.py</span>" in html


@pytest.mark.parametrize("edition", [EN, ""], ids=["en", "zh"])
def test_exercise_index_table_lists_the_registry(built_site, edition):
    html = built_site.page(edition + "exercises/")
    for ex in load_registry():
        assert f'href="../{ex.docs.removesuffix(".md").removeprefix("exercises/")}/"' in html or \
               f'href="{ex.docs.removesuffix(".md").removeprefix("exercises/")}/"' in html, ex.id
    if not edition:
        assert "<th>练习</th>" in html and "<th>标题</th>" in html


@pytest.mark.parametrize("edition", [EN, ""], ids=["en", "zh"])
def test_quizzes_render(built_site, edition):
    html = built_site.page(edition + "chapters/conv-layers/")
    assert html.count('class="quiz"') >= 6
    visible = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)  # mkdocs-quiz embeds each source as a comment
    assert "<quiz>" not in visible, "a quiz was left unrendered"


@pytest.mark.parametrize("edition", [EN, ""], ids=["en", "zh"])
def test_quizzes_shuffle_their_options_and_allow_a_retry(built_site, edition):
    """mkdocs.yml's quiz options reach every question: shuffled per reader, never locked."""
    html = built_site.page(edition + "chapters/tensors/")
    quizzes = re.findall(r'<div class="quiz"([^>]*)>', html)
    assert len(quizzes) >= 6
    for attributes in quizzes:
        assert "data-shuffle-answers" in attributes
        assert "data-disable-after-submit" not in attributes  # the plugin's "Try again" button


def test_quiz_widget_speaks_the_edition_language(built_site):
    """mkdocs-quiz ships Chinese strings; it picks them from theme.language, set per edition."""
    zh = built_site.page("chapters/conv-layers/")
    en = built_site.page(EN + "chapters/conv-layers/")
    assert '"Submit": "提交"' in zh
    assert '"Submit": "提交"' not in en


@pytest.mark.parametrize("page", ["chapters/models/", "chapters/multi-gpu/", "chapters/frameworks/"])
@pytest.mark.parametrize("edition", [EN, ""], ids=["en", "zh"])
def test_mermaid_is_served_locally_where_diagrams_are(built_site, page, edition):
    html = built_site.page(edition + page)
    assert '<pre class="mermaid">' in html
    assert re.search(r'<script src="(\.\./)+javascripts/vendor/mermaid\.min\.js"></script>', html)
    assert (built_site.site / "javascripts/vendor/mermaid.min.js").is_file()


@pytest.mark.parametrize("edition", [EN, ""], ids=["en", "zh"])
def test_mermaid_is_not_loaded_where_no_diagram_is(built_site, edition):
    assert "mermaid.min.js" not in built_site.page(edition + "chapters/tensors/")


def test_search_index_segments_chinese(built_site):
    """jieba splits the Chinese text into words (joined by U+200B), and U+200B separates tokens."""
    index = json.loads((built_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert set(index["config"]["lang"]) >= {"en", "zh"}
    separator = re.compile(index["config"]["separator"])  # Python's re reads \u200b as JS does
    words = set()
    for doc in index["docs"]:
        if doc["location"].startswith("chapters/conv-layers/"):
            words.update(w for w in separator.split(doc["title"] + " " + doc["text"]) if w)
    assert "卷积" in words, sorted(words)[:50]
    # English keeps its separator: code splits into words
    english = [d for d in index["docs"] if d["location"].startswith(EN + "chapters/conv-layers/")]
    assert english and any("Conv2d" in separator.split(d["text"]) for d in english)


def test_no_page_loads_assets_from_the_network(built_site):
    offenders = [str(p.relative_to(built_site.site)) for p in built_site.site.rglob("*.html")
                 if EXTERNAL_ASSETS.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"pages fetching from a CDN (breaks offline use): {offenders}"


def test_sybil_conftest_is_not_published(built_site):
    assert not (built_site.site / "conftest.py").exists()
    assert not (built_site.site / EN / "conftest.py").exists()
