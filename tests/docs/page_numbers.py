"""Check the numbers a page states about a figure or an example against the code that computes them.

A figure of the site is drawn by code (site_hooks/course_figures), and each figure also
returns the numbers it computes as named *facts* (``course_figures.facts()``). The pages
repeat some of those numbers in words: in a figure's alt text, and in the prose around
it. This module compares the two; tests/docs/test_page_numbers.py holds what each page
states and runs the comparison for both editions. Nothing here imports torch.

Two kinds of check:

* **Alt texts, every number.** :func:`numbers` reads all the numbers of an alt text, in
  order: integers and decimals (``-0.45``), shapes (``64×3136``, ``5x5``, ``4 by 4``),
  bracketed tuples (``(1, 0, 0, 0)``, ``[[1, 2], [3, 4]]``) and number words (``three``,
  ``twice``, ``六``, ``两``). :func:`sequence_problems` compares them with the facts the
  test lists for that figure, in the same order: a number changed, added, dropped or
  swapped by hand fails. Digits inside names (``conv1``, ``max_pool2d``,
  ``AddBackward0``) are not numbers, and neither are "one"/"一" and "zero"/"零", which
  are as often words ("one-hot", "一个") as counts.
* **Prose, named sentences.** A :class:`Claim` is a fragment of a sentence with its
  numbers left as ``{placeholders}``, in each language; :func:`claim_problems` fills
  them in from the facts (:class:`PageFormatter`: ``{n:w}`` writes a number word,
  ``{shape:x}`` a shape) and requires the result in the page, whitespace aside. So a
  number changed by hand in that sentence fails, and so does a sentence rewritten
  without updating its claim.

A decimal on the page matches a fact when the fact rounds to it at the precision the page
writes (``0.597`` for 0.59681, ``about 0.7`` for 0.739); an integer fact must be equal.
"""

from __future__ import annotations

import ast
import math
import re
import string
from dataclasses import dataclass

EN_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "eleven": 11, "twelve": 12, "twice": 2}
ZH_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"-?\d+(?:,\d{3})*(?:\.\d+)?"
_NOT_BEFORE = r"(?<![A-Za-z_\d.])"  # not the tail of a name (conv1) or of a number
_NOT_AFTER = r"(?![A-Za-z_\d])"  # not the head of a name (2d in Conv2d)
TOKEN = re.compile(
    rf"(?P<shape>{_NOT_BEFORE}\d+(?:(?:\s*×\s*|x|\s+by\s+)\d+)+{_NOT_AFTER})"
    rf"|(?P<tuple>(?<![A-Za-z_\d)\]])[(\[][-\d.,\s()\[\]]*\d[-\d.,\s()\[\]]*[)\]])"
    rf"|(?P<scalar>{_NOT_BEFORE}{_NUM}{_NOT_AFTER})"
    rf"|(?P<en>\b(?:{'|'.join(EN_WORDS)})\b)"
    rf"|(?P<zh>[二三四五六七八九]?十[一二三四五六七八九]?|[两二三四五六七八九])",
    re.IGNORECASE)
SHAPE_SEPARATOR = re.compile(r"\s*×\s*|x|\s+by\s+")


@dataclass(frozen=True)
class Number:
    """One number as a page writes it: ``value`` is a float or a (nested) tuple of floats."""

    text: str
    value: float | tuple
    decimals: int | tuple = 0  # the precision written, per element for a tuple
    start: int = -1  # where ``text`` starts in the text it was read from

    def __str__(self) -> str:
        return self.text


def _scalar(text: str) -> tuple[float, int]:
    plain = text.replace(",", "")
    return float(plain), len(plain.split(".")[1]) if "." in plain else 0


def _bracketed(text: str, start: int) -> Number | None:
    """``(0.925, 0.025)`` or ``[[1, 2], [3, 4]]`` as a tuple, or None for anything else."""
    try:
        literal = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    if not isinstance(literal, (tuple, list)) or len(literal) < 2:
        return None
    elements = re.findall(_NUM, text)

    def convert(item):
        if isinstance(item, (tuple, list)):
            return tuple(convert(i) for i in item)
        return float(item)

    return Number(text, convert(literal), tuple(_scalar(e)[1] for e in elements), start)


def _zh_word(text: str) -> int:
    if "十" not in text:
        return ZH_DIGITS[text]
    tens, _, units = text.partition("十")
    return (ZH_DIGITS[tens] if tens else 1) * 10 + ({"一": 1, **ZH_DIGITS}[units] if units else 0)


def numbers(text: str, lang: str = "en", offset: int = 0) -> list[Number]:
    """Every number in ``text``, in order (see the module docstring for what counts)."""
    found: list[Number] = []
    for m in TOKEN.finditer(text):
        kind, token, start = m.lastgroup, m.group(), offset + m.start()
        if kind == "shape":
            found.append(Number(token, tuple(float(d) for d in SHAPE_SEPARATOR.split(token)), 0, start))
        elif kind == "tuple":
            number = _bracketed(token, start)
            if number is not None:
                found.append(number)
            else:  # a parenthesis around text: read what is inside
                found.extend(numbers(token[1:-1], lang, start + 1))
        elif kind == "scalar":
            found.append(Number(token, *_scalar(token), start))
        elif kind == "en" and lang == "en":
            found.append(Number(token, float(EN_WORDS[token.lower()]), 0, start))
        elif kind == "zh" and lang == "zh":
            found.append(Number(token, float(_zh_word(token)), 0, start))
    return found


def flatten(values) -> list:
    """A fact list as the page writes it: lists are runs of numbers, tuples are one number each."""
    out = []
    for value in values:
        if isinstance(value, list):
            out.extend(flatten(value))
        else:
            out.append(value)
    return out


def matches(number: Number, fact) -> bool:
    """Whether ``number`` as written states ``fact``, rounded to the precision it is written at."""
    if isinstance(fact, tuple) or isinstance(number.value, tuple):
        if not (isinstance(fact, tuple) and isinstance(number.value, tuple)):
            return False
        flat_fact, flat_page = _leaves(fact), _leaves(number.value)
        if _nesting(fact) != _nesting(number.value) or len(flat_fact) != len(flat_page):
            return False
        decimals = number.decimals if isinstance(number.decimals, tuple) else (0,) * len(flat_page)
        return all(matches(Number(str(p), p, d), f) for p, d, f in zip(flat_page, decimals, flat_fact))
    if isinstance(fact, bool) or not isinstance(fact, (int, float)):
        return False
    if isinstance(fact, int):
        return number.decimals == 0 and number.value == fact
    return abs(number.value - fact) <= 0.5 * 10 ** -number.decimals + 1e-9 * max(1.0, abs(fact))


def _leaves(value) -> list:
    return [leaf for item in value for leaf in (_leaves(item) if isinstance(item, tuple) else [item])]


def _nesting(value):
    return tuple(_nesting(v) for v in value) if isinstance(value, tuple) else None


def show(fact) -> str:
    """A fact as a short readable string, for messages."""
    if isinstance(fact, tuple):
        return "(" + ", ".join(show(f) for f in fact) + ")"
    if isinstance(fact, float):
        return f"{fact:.6g}"
    return str(fact)


def sequence_problems(where: str, text: str, lang: str, expected: list) -> list[str]:
    """``[]`` if the numbers of ``text`` are exactly ``expected`` (facts, in order), else what differs."""
    found = numbers(text, lang)
    expected = flatten(expected)
    for i, (number, fact) in enumerate(zip(found, expected)):
        if not matches(number, fact):
            return [f"{where}: number {i + 1} is {number.text!r}, the code computes {show(fact)}\n"
                    f"  page: {[n.text for n in found]}\n  code: {[show(f) for f in expected]}"]
    if len(found) != len(expected):
        extra = "states more numbers than" if len(found) > len(expected) else "leaves out numbers of"
        return [f"{where} {extra} the code's list\n"
                f"  page: {[n.text for n in found]}\n  code: {[show(f) for f in expected]}"]
    return []


# -- prose -----------------------------------------------------------------------------------
NUMBER_WORDS = {
    "en": {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
           11: "eleven", 12: "twelve"},
    "zh": {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"},
}


class PageFormatter(string.Formatter):
    """``str.format`` with the ways the pages write numbers, in the page's language.

    ``{n:w}`` a number word ("four", "四"; ``W``: capitalised); ``{s:x}`` a shape
    ``64×3136``, ``{s:X}`` ``28x28``, ``{s:N}`` ``(N, 64, 7, 7)`` and ``{s:Nx}``
    ``N×64×7×7`` (the batch size replaced by N), ``{s:dot}`` ``64·1·32·32``; ``{n:mil}``
    whole millions ("4 million", "400 万"). A float with an integer value prints as an
    integer; other specs are Python's (``{x:.3f}``, ``{n:,}``).
    """

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec):
        if format_spec in ("w", "W"):
            word = NUMBER_WORDS[self.lang][int(value)]
            return word.capitalize() if format_spec == "W" else word
        if format_spec in ("x", "X", "N", "Nx", "dot"):
            dims = [str(int(d)) for d in value]
            return {"x": "×".join(dims), "X": "x".join(dims), "N": "(" + ", ".join(["N", *dims[1:]]) + ")",
                    "Nx": "×".join(["N", *dims[1:]]), "dot": "·".join(dims)}[format_spec]
        if format_spec == "mil":
            millions = math.floor(value / 1e6)
            return f"{millions} million" if self.lang == "en" else f"{millions * 100} 万"
        if not format_spec and isinstance(value, float) and value.is_integer():
            return str(int(value))
        if not format_spec and isinstance(value, tuple):
            return "(" + ", ".join(self.format_field(v, "") for v in value) + ")"
        return super().format_field(value, format_spec)


@dataclass(frozen=True)
class Claim:
    """A sentence fragment of ``page`` that states numbers from ``source``'s facts.

    ``en`` and ``zh`` are the fragment in each edition, with ``{placeholders}`` for the
    numbers (:class:`PageFormatter`); ``zh=None`` means the same text (a formula, a table
    cell, a code line).
    """

    page: str  # "chapters/models": the English page is <page>.md, the Chinese <page>.zh.md
    source: str  # a figure's name, or "examples"
    en: str
    zh: str | None = None

    def fragment(self, lang: str) -> str:
        return self.en if lang == "en" or self.zh is None else self.zh

    def text(self, lang: str, facts: dict) -> str:
        return PageFormatter(lang).format(self.fragment(lang), **facts)

    def fields(self) -> list[str]:
        return [field for _, field, _, _ in string.Formatter().parse(self.en) if field]


def normalised(text: str) -> str:
    return " ".join(text.split())


def claim_problems(claim: Claim, lang: str, page_text: str, facts: dict) -> list[str]:
    """``[]`` if the page holds the claim's fragment with the facts filled in, else where it differs."""
    expected = normalised(claim.text(lang, facts))
    page = normalised(page_text)
    if expected in page:
        return []
    # the longest literal start of the fragment that the page still has, to show the text there
    literal = normalised(claim.fragment(lang).split("{", 1)[0])
    at = page.find(literal) if literal else -1
    context = page[at:at + len(expected) + 20] if at >= 0 else "(the fragment's start is not on the page either)"
    return [f"docs/{claim.page}{'.zh' if lang == 'zh' else ''}.md should say {expected!r}\n  the page has: {context!r}"]
