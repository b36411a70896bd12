"""The Chinese pages follow one set of typographic rules, as a Chinese technical author writes.

The rules, checked on the prose of every docs/**/*.zh.md (tests/docs/zh_text.py: code
blocks, code spans, link targets and HTML left out):

* **Quotation marks** are “” (nested: ‘’), the marks the site already used most; never
  ASCII "..." and never 「」 or 『』. (The ASCII quotes Markdown needs around an admonition
  or tab title are syntax, not prose.)
* **Punctuation** in Chinese prose is full-width: no ASCII , ; : ! ? ( ) or sentence-ending
  . next to a Han character. Code keeps its own half-width punctuation.
* **Spacing**: one half-width space between a Han character and a Latin letter, a digit
  or inline code ("32 张 28x28 的灰度图", "在 `grad_fn` 里"); none between two Han characters
  (a link or emphasis does not need one: "的[特征图](...)"); no space next to full-width
  punctuation or quotes ("的“Get Started”页面"); a percentage is written "90%".
* **No soft line breaks** inside a paragraph: a browser shows a Chinese line break as a
  space in mid-sentence, so each paragraph, list item and admonition body is one line.
* **No retired colloquialisms** (``COLLOQUIALISMS``), in prose or code comments: the
  phrases an editorial pass replaced, listed so that they do not come back; and no
  paragraph opens with 这就是, which has nothing to point back to there.

``VERBATIM`` lists the quotations of the original article kept exactly as it printed them
(its title and section titles mix half-width punctuation and unspaced Latin); they are the
only exceptions.
"""

from __future__ import annotations

import re

import pytest

from grader import paths

import zh_text

HAN = zh_text.HAN
FULLWIDTH_PUNCT = "，。：；、！？（）“”‘’"

VERBATIM = [
    "《深度学习框架中的PyTorch：从入门到高级》",  # the article's title
    "2.2. 技术原理介绍: 算法原理，具体操作步骤，数学公式，代码实例和解释说明",  # a section title, as printed
    "和`x`（用于数据处理和加载）",  # a quoted sentence of section 3.2, as printed
]

COLLOQUIALISMS = ["瞎猜", "离谱", "走一遍", "播种", "大声报错", "书中示例", "吃饱", "最后一行显示"]
"""Replaced by the editorial pass: 随机猜测, 差距/偏差最大, 经过/遍历, 设随机种子, 报错, 本站,
保持满载, and the quiz stem 最后一行得到/表达式的值 (nothing is displayed)."""

RULES: dict[str, re.Pattern[str]] = {
    "ASCII double quote in prose (use “”)": re.compile(r'"'),
    "corner brackets (the site quotes with “”)": re.compile(r"[「」『』]"),
    "space before % (write 90%)": re.compile(r"\d\s+%|％"),
    "no space between Chinese and Latin/digit/code": re.compile(rf"[{HAN}][A-Za-z0-9`]|[A-Za-z0-9`%][{HAN}]"),
    "space between two Chinese characters": re.compile(rf"[{HAN}][ \t]+(?=[{HAN}])"),
    "space next to full-width punctuation": re.compile(
        rf"(?<=[^\s|])[ \t]+(?=[{FULLWIDTH_PUNCT}])|(?<=[{FULLWIDTH_PUNCT}])[ \t]+(?=[^\s|])"),
    "half-width punctuation in Chinese prose": re.compile(rf"[{HAN}][,;:!?(]|[,;:!?)][{HAN}]|[{HAN}]\.(?=\s|$)"),
    "a paragraph opening with 这就是 points at nothing": re.compile(r"^\s*这就是"),
}

BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+\. |\||#|>|<|!!!|\?\?\?|===|!\[|\$\$|$)")
"""A line that starts a block of its own (list item, table row, heading, quote, HTML, admonition, ...)."""
STANDS_ALONE = re.compile(r"^\s*(?:\||#|<|!!!|\?\?\?|===|\$\$|---)")
"""A line after which a new line always starts a new block."""


def spacing_view(line: str) -> str:
    """The line as the spacing rules see it: emphasis and link brackets are not text."""
    return re.sub(r"\*+|\[|\]", "", line)


def line_problems(line: str) -> list[str]:
    for quoted in VERBATIM:
        line = line.replace(quoted, "")
    problems = []
    for rule, pattern in RULES.items():
        text = spacing_view(line) if "space" in rule else line
        for match in pattern.finditer(text):
            start = max(0, match.start() - 12)
            problems.append(f"{rule}: …{text[start:match.end() + 12]}…")
    return problems


def soft_breaks(prose: str) -> list[int]:
    """Line numbers at which a paragraph (or list item, admonition body) goes on to the next line."""
    lines = prose.split("\n")
    found = []
    for n in range(len(lines) - 1):
        this, following = lines[n], lines[n + 1]
        if not this.strip() or STANDS_ALONE.match(this) or BLOCK_START.match(following):
            continue
        found.append(n + 1)
    return found


def page_problems(markdown: str) -> list[str]:
    prose = zh_text.prose(markdown)
    problems = [f"line {n}: {p}" for n, line in enumerate(prose.split("\n"), start=1) for p in line_problems(line)]
    problems += [f"line {n}: join this line with the next (a Chinese paragraph is one line)"
                 for n in soft_breaks(prose)]
    spoken = prose + "\n" + zh_text.comments(markdown)
    problems += [f"retired colloquialism: {phrase}" for phrase in COLLOQUIALISMS if phrase in spoken]
    return problems


PAGES = [p.relative_to(paths.DOCS_DIR).as_posix() for p in zh_text.chinese_pages()]


def test_every_chinese_page_is_checked():
    assert len(PAGES) >= 30
    assert {"index.zh.md", "glossary.zh.md", "errata.zh.md", "chapters/multi-gpu.zh.md",
            "guides/instructor.zh.md", "exercises/index.zh.md"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_chinese_page_follows_the_style_rules(page):
    assert page_problems((paths.DOCS_DIR / page).read_text(encoding="utf-8")) == []


def test_the_pages_do_use_the_marks_the_rules_expect():
    """Not vacuous: the pages are full of the forms the rules protect."""
    text = "\n".join(zh_text.prose(p.read_text(encoding="utf-8")) for p in zh_text.chinese_pages())
    assert text.count("“") >= 100 and text.count("“") == text.count("”")
    assert len(re.findall(rf"[{HAN}] [A-Za-z0-9`]", text)) >= 1000
    assert re.search(r"\d%", text)


# -- the rules themselves, on made-up text -------------------------------------------------------
@pytest.mark.parametrize("bad, rule", [
    ('它叫 "same" 填充', "ASCII double quote"),
    ("原文叫作「神经网络」", "corner brackets"),
    ("远超 90 % 的数字", "space before %"),
    ("一个3x3的卷积核", "no space between"),
    ("把特征图送进 [线性层](linear-layers.md) 之前", "space between two Chinese"),
    ("在`grad_fn`里", "no space between"),
    ("pytorch.org 的 “Get Started” 页面", "space next to full-width"),
    ("形状不对,报错", "half-width punctuation"),
    ("这是结论.", "half-width punctuation"),
    ("## 自动求导\n\n这就是自动求导：", "这就是"),
])
def test_each_rule_catches_its_mistake(bad, rule):
    markdown = bad + "\n"
    assert any(rule in p for p in page_problems(markdown)), page_problems(markdown)


def test_good_text_and_syntax_pass():
    good = ('!!! note "自测"\n    这些题目供你自我检查。\n\n=== "Linux"\n\n'
            "32 张 28x28 的灰度图，在 `grad_fn` 里，见[勘误](../errata.md#kernel-32)，远超 90% 的数字。\n\n"
            "pytorch.org 的“Get Started”页面上有一个选择器（selector）。\n\n"
            "```python\nx = \"a\"  # 代码里的引号\n```\n")
    assert page_problems(good) == []


def test_soft_line_breaks_and_colloquialisms_are_caught():
    assert soft_breaks("第一行，\n第二行。\n\n* 列表项\n  接着写\n\n| a |\n| b |\n") == [1, 4]
    assert page_problems("```python\nx = 1  # 最先播种\n```\n") == ["retired colloquialism: 播种"]
