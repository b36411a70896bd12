"""The Chinese text the site shows, for tests/docs/test_vocabulary.py and test_chinese_style.py.

``prose(markdown)`` is a Chinese page as a reader reads it: fenced code blocks blanked (line
numbers kept, as in ``devtools.editions.without_code_blocks``), inline code reduced to a
one-letter stand-in (```x```, so that spacing next to it can still be checked), link
targets, attribute lists (``{ #anchor }``), HTML tags and comments, and TeX formulas
removed, and the ASCII quotes that Markdown syntax needs around admonition and tab titles
(``!!! note "自测"``, ``=== "Linux"``) dropped. What is left is text a Chinese author
wrote: headings, paragraphs, lists, tables, quiz questions and answers, alt texts.

``comments(markdown)`` is the other Chinese a page shows: the ``#`` comments of its code
blocks (code, docstrings and printed strings are compared with the English edition and
are left to that comparison).
"""

from __future__ import annotations

import re
from pathlib import Path

from devtools import editions
from grader import paths

HAN = "\u4e00-\u9fff"
FULLWIDTH = "，。：；、！？（）“”‘’《》……——"

_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_ATTRIBUTES = re.compile(r"\s*\{:?\s*[#.][^}\n]*\}")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_INLINE_MATH = re.compile(r"\\\(.*?\\\)")
_TITLE_QUOTES = re.compile(r'^(\s*(?:!!!|\?\?\?\+?|===)\s*[\w-]*\s*)"([^"\n]*)"', re.MULTILINE)


def chinese_pages() -> list[Path]:
    """Every Chinese page of the site: docs/**/*.zh.md."""
    return [paths.DOCS_DIR / page for page in editions.chinese_pages()]


def _blank_display_math(text: str) -> str:
    """``$$ ... $$`` blocks (TeX) blanked, line numbers kept."""
    lines = text.split("\n")
    inside = False
    for n, line in enumerate(lines):
        if line.strip() == "$$":
            inside = not inside
            lines[n] = ""
        elif inside:
            lines[n] = ""
    return "\n".join(lines)


def prose(markdown: str) -> str:
    text = editions.without_code_blocks(markdown)
    text = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _blank_display_math(text)
    text = _INLINE_CODE.sub("`x`", text)
    text = _INLINE_MATH.sub("x", text)
    text = _LINK_TARGET.sub("]", text)
    text = _ATTRIBUTES.sub("", text)
    text = _HTML_TAG.sub("", text)
    return _TITLE_QUOTES.sub(r"\1\2", text)


def comments(markdown: str) -> str:
    """The ``#`` comments of the page's code blocks, one per line."""
    found = []
    for block in editions.code_blocks(markdown):
        if block.language in {"mermaid", "text", "json", ""}:
            continue
        for line in block.text.splitlines():
            code = line
            if block.language == "pycon":
                prompt = re.match(r"^(>>>|\.\.\.)( |$)", line)
                if not prompt:
                    continue  # an output line
                code = line[prompt.end():]
            stripped = editions._strip_line_comment(code, block.language)
            if len(stripped) < len(code):
                found.append(code[len(stripped):])
    return "\n".join(found)
