"""The course's figures: drawn at build time, shown on the pages, described, and true to the code.

site_hooks/figures.py draws site_hooks/course_figures into docs/figures/ before MkDocs
reads the pages; these tests read the built site (both editions) and the drawing code.

A figure on a Chinese page speaks Chinese: every text it draws (titles, axis labels, tick
labels, legends, annotations), light and dark, has no English word left (see
:func:`english_words`): only code, symbols, and the terms the Chinese glossary itself
writes in Latin letters (``rank``, ``logits``, ``one-hot``, ...).
"""

from __future__ import annotations

import ast
import re
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from devtools import editions
from grader import paths

HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_FIGURES = 12


class Images(HTMLParser):
    """The ``<img>`` tags of a page's article (the header's logo and icons aside)."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # > 0 inside <article>
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif tag == "img" and self.depth:
            self.images.append({k: v or "" for k, v in attrs})

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def pages(site: Path):
    for html in sorted(site.rglob("index.html")):
        parser = Images()
        parser.feed(html.read_text(encoding="utf-8"))
        english = html.relative_to(site).parts[0] == "en"
        yield html, ("en" if english else "zh"), parser.images


@pytest.fixture(scope="module")
def site(built_site):
    assert built_site.returncode == 0, built_site.log[-4000:]
    return built_site.site


def test_every_image_a_page_shows_was_generated(site):
    """Every local image resolves to a non-empty file; every figure to an SVG drawing."""
    figures = {"en": set(), "zh": set()}
    for html, lang, images in pages(site):
        for img in images:
            url = urlsplit(img["src"])
            if url.scheme or url.netloc:
                continue
            target = (html.parent / unquote(url.path)).resolve()
            assert target.is_file() and target.stat().st_size > 0, f"{html.relative_to(site)}: {img['src']} is missing"
            if "/figures/" in url.path:
                assert target.suffix == ".svg" and "<svg" in target.read_text(encoding="utf-8")[:2000], target
                figures[lang].add(target.name.removesuffix("-dark.svg").removesuffix(".svg"))
    for lang, names in figures.items():
        assert len(names) >= MIN_FIGURES, f"the {lang} edition shows {len(names)} figures: {sorted(names)}"


def test_every_figure_has_alt_text_in_its_page_language(site):
    checked = 0
    for html, lang, images in pages(site):
        for img in images:
            if "/figures/" not in img["src"]:
                continue
            where = f"{html.relative_to(site)}: {img['src']}"
            alt = img.get("alt", "").strip()
            assert alt, f"{where} has no alt text"
            assert f"/figures/{lang}/" in img["src"], f"{where} is not the {lang} edition's drawing"
            if lang == "zh":
                assert HAN.search(alt), f"{where}: the alt text is not Chinese: {alt!r}"
            else:
                assert not HAN.search(alt), f"{where}: the alt text is not English: {alt!r}"
            checked += 1
    assert checked >= 2 * 2 * MIN_FIGURES  # both editions, light and dark


def test_every_figure_follows_the_colour_scheme(site):
    """A figure shows its light drawing in the light scheme and its dark twin in the dark one."""
    for html, _, images in pages(site):
        srcs = [img["src"] for img in images if "/figures/" in img["src"]]
        light = [s for s in srcs if s.endswith(".svg#only-light")]
        dark = [s for s in srcs if s.endswith("-dark.svg#only-dark")]
        assert len(light) + len(dark) == len(srcs), f"{html}: {srcs}"
        assert [s.removesuffix(".svg#only-light") for s in light] == \
               [s.removesuffix("-dark.svg#only-dark") for s in dark], html


# -- the drawing code -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course_figures():
    sys.path.insert(0, str(paths.KIT_ROOT / "site_hooks"))
    try:
        import course_figures

        yield course_figures
    finally:
        sys.path.remove(str(paths.KIT_ROOT / "site_hooks"))


def test_the_shape_figure_traces_the_real_nets(course_figures):
    """The corrected Net ends in (64, 10) as its real forward does; the seed's mixes 64 samples into 49 rows."""
    import torch
    from course_figures import models

    fixed = models.traced_shapes(course_figures.FIXED_NET)
    real = models.load_net(course_figures.FIXED_NET)()(torch.zeros(models.BATCH, 1, 28, 28))
    assert fixed[-1][1] == tuple(real.shape) == (64, 10)
    assert ("x.flatten(1)", (64, 3136)) in fixed
    seed = models.traced_shapes(course_figures.SEED_NET)
    assert ("x.view(-1, 4096)", (49, 4096)) in seed
    assert seed[-1][1] == (49, 10)


def test_the_sampler_figure_shows_real_shards(course_figures):
    from course_figures import distributed

    shards = distributed.shards()
    indices = [i for rank in shards for batch in rank for i in batch]
    assert sorted(set(indices)) == list(range(distributed.DATASET_SIZE))  # every sample is used
    assert len(indices) == 12  # 11 samples padded to a multiple of 2 ranks: one repeated
    assert all(len(batch) == distributed.BATCH_SIZE for rank in shards for batch in rank)


def test_unchanged_figures_are_not_redrawn(site, tmp_path):
    """The build's stamp matches the code, and any change to the code or a missing file redraws."""
    sys.path.insert(0, str(paths.KIT_ROOT / "site_hooks"))
    try:
        import figures as hook
    finally:
        sys.path.remove(str(paths.KIT_ROOT / "site_hooks"))
    out = paths.DOCS_DIR / hook.FIGURES_DIR
    digest = hook.source_hash()
    assert hook.up_to_date(out, digest)
    assert not hook.up_to_date(out, "0" * 64)
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.svg").write_text("<svg/>")
    (tmp_path / hook.STAMP).write_text(f"{digest}\nen/a.svg\nen/b.svg\n")
    assert not hook.up_to_date(tmp_path, digest)  # en/b.svg is missing


# -- a Chinese page's figures are in Chinese -------------------------------------------------
CODE_SPAN = re.compile(r"""
      [A-Za-z_][\w.]*\(                       # a call: nn.Conv2d(, F.conv2d(, f(
    | [A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+          # a dotted name: y.grad_fn, c.exp
    | \b[A-Za-z_]\w*\s*=                       # a keyword or an assignment: stride =, a=2
    | \b\w*(?:\d|_|[a-z][A-Z])\w*\b            # an identifier: conv1, max_pool2d, AccumulateGrad
""", re.VERBOSE)
MATH = re.compile(r"\$[^$]*\$")  # mathtext, such as a log axis's $\mathdefault{10^{3}}$
GLOSS = re.compile(r"（[^（）]*）")  # Chinese words, then the English term in full-width parentheses
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")  # two letters or more: x, y and f are symbols
ALSO_ALLOWED = {
    "ln": "the natural logarithm (the loss curve's ln 2)",
    "Net": "the chapters' class, named in the broken-vs-fixed titles",
}


@cache
def glossary_latin_terms() -> tuple[str, ...]:
    """The terms the Chinese glossary writes in Latin letters (``rank``, ``one-hot`` of ``one-hot 编码``)."""
    text = (paths.DOCS_DIR / "glossary.zh.md").read_text(encoding="utf-8")
    terms = set()
    for term in re.findall(r'^\| <a id="g-[\w-]+"></a>([^|]+?) \|', text, re.MULTILINE):
        terms.update(re.findall(r"[A-Za-z][A-Za-z0-9 -]*[A-Za-z0-9]", GLOSS.sub("", term)))
    return tuple(sorted(terms, key=len, reverse=True))


def is_code(text: str) -> bool:
    """Python, as the figures set code (in monospace): a statement, a call, not a lone word."""
    source = re.sub(r"^\d+\. ", "", text)  # the training loop's numbered steps
    for attempt in (source, source + "\n    pass"):  # "for x, y in loader:" heads a block
        try:
            tree = ast.parse(attempt)
        except SyntaxError:
            continue
        lone = len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) \
            and isinstance(tree.body[0].value, (ast.Name, ast.Constant))
        return not lone
    return False


def english_words(text: str, monospace: bool = False) -> list[str]:
    """The English words of one text a figure draws; code, symbols and glossary terms aside."""
    if monospace and is_code(text):
        return []
    text = CODE_SPAN.sub(" ", GLOSS.sub(" ", MATH.sub(" ", text)))
    for term in glossary_latin_terms():
        text = re.sub(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", " ", text)
    return [word for word in LATIN_WORD.findall(text) if word not in ALSO_ALLOWED]


def drawn_texts(course_figures, name: str, lang: str, theme) -> list[tuple[str, bool]]:
    """Every text of one drawing, with whether it is set in monospace."""
    import matplotlib.pyplot as plt
    from course_figures.style import drawing
    from matplotlib.text import Text

    with drawing(theme):
        fig = course_figures.registry()[name](lang, theme)
        fig.canvas.draw()  # tick labels exist once the figure is laid out
        texts = [(t.get_text(), "monospace" in t.get_fontfamily()) for t in fig.findobj(Text) if t.get_text()]
        plt.close(fig)
    return texts


def chinese_page_figures() -> list[str]:
    return sorted({figure.name for page in editions.chinese_pages()
                   for figure in editions.figures((paths.DOCS_DIR / page).read_text(encoding="utf-8"))})


@pytest.mark.parametrize("name", chinese_page_figures())
def test_a_figure_on_a_chinese_page_has_no_english_word(course_figures, name):
    """Its ``zh`` drawing, light and dark: a figure with words needs Chinese ones for these pages."""
    from course_figures.style import THEMES

    for theme in THEMES:
        found = {text: words for text, mono in drawn_texts(course_figures, name, "zh", theme)
                 if (words := english_words(text, mono))}
        assert found == {}, f"figures/zh/{name}{'' if theme.name == 'light' else '-dark'}.svg draws English: {found}"


def test_the_english_word_check_fires(course_figures):
    """The check above tells words from code: the English drawings of the figures with words fail it."""
    from course_figures.style import LIGHT

    flagged = {name for name in course_figures.registry()
               if any(english_words(text, mono) for text, mono in drawn_texts(course_figures, name, "en", LIGHT))}
    assert flagged == {"cross-correlation", "softmax-label-smoothing", "net-shapes", "broken-vs-fixed",
                       "training-loop", "loss-curve", "sampler-shards", "ddp-allreduce"}
    assert english_words("batch 0", True) == ["batch"]
    assert english_words("loss", True) == ["loss"]  # a lone word is not code, even in monospace
    assert english_words("all-reduce: sum, then ÷ 2") == ["sum", "then"]  # all-reduce is the glossary's term
    assert english_words("all-reduce：求和，再 ÷ 2") == []
    assert english_words("rank 0", True) == english_words("one-hot: 0.241", True) == []
    assert english_words("for x, y in loader:", True) == english_words("3. loss = loss_fn(logits, y)", True) == []
    assert english_words("for x, y in loader:") == ["for", "in", "loader"]  # code is set in monospace
