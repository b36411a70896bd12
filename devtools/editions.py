"""Keep the site's two editions in step: English ``docs/<page>.md``, Chinese ``docs/<page>.zh.md``.

Pure functions over the Markdown sources and the registry (no torch, no MkDocs), used by
the site's tests (tests/docs/test_editions.py) and by ``grader dev check``. Each returns a
list of one-line problems; an empty list means the editions agree. The rules:

* every page exists in both editions, except the deliberate :data:`ENGLISH_ONLY_PAGES`
  (the Chinese edition shows their English text, and its nav marks them "（英文）");
* a page pair has the same quizzes: as many ``<quiz>`` blocks, each with the same
  options in the same order, the same ones correct, and the same inline code in each
  option (a translated option keeps its `` `code` ``, which is often the whole answer;
  word order may move the spans around);
* the errata pages have the same errata, with the same anchors, in the same order;
* a page pair shows the same figures (``![alt](../figures/<lang>/<name>.svg)``, drawn at
  build time by site_hooks/figures.py), in the same order, each edition its own
  language's drawing (``figures/en/`` or ``figures/zh/``), and every figure has alt text;
* a page pair typesets the same display formulas (``$$ ... $$``), in the same order;
* a page pair runs the same code: the same fenced code blocks, in the same order, same
  language, and the same code once the words meant for a reader are set aside
  (:func:`normalised`): ``#`` comments (python, pycon, bash, ...); in Python (python and
  pycon blocks, compared by syntax tree) docstrings and the literal text of strings passed
  to ``print(...)`` or to the exception of a ``raise`` (an f-string's ``{...}`` fields
  stay code); and, in pycon outputs and ``text`` blocks, the text those print and raise strings
  put there, matched string for string (:func:`label_pairs`). Everything else (statements,
  names, numbers, other strings, PyTorch's own output) must be identical, so the Chinese
  blocks do what the English ones do and show what they show, and Sybil need only run the
  English pages. A Chinese block may include (``--8<-- "exercises/exercise-04/net.zh.py"``)
  the Chinese edition of the stub the English block includes (``net.py``): the two stubs are
  one program, which tests/test_chinese_stubs.py and ``grader dev check`` prove
  (:func:`with_english_includes`). Diagrams (:data:`PROSE_BLOCKS`) only need to be there;
* an exercise page shows the registry's hints, in either edition: it carries the
  ``<!-- hints: exercise-NN -->`` marker for its own exercise and writes no hint by hand,
  and the registry has a Chinese hint (``hints_zh``) for every English one.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from devtools import fences
from grader import paths
from grader.registry import CHINESE_STUB_SUFFIX

ZH_SUFFIX = ".zh.md"

ENGLISH_ONLY_PAGES: tuple[str, ...] = (
    "guides/maintainer.md",  # for people who change the kit: they read English code and docstrings
    "reference/*.md",  # generated from the grader's (English) docstrings by mkdocstrings
)
"""Pages with no Chinese translation, on purpose. Glob patterns, relative to docs/."""

COMMENTED_LANGUAGES = {"python", "py", "python3", "pycon", "bash", "sh", "shell", "console", "powershell", "ps1",
                       "toml"}
"""Fence languages whose ``#`` comments a translation may change."""

PROSE_BLOCKS = {"mermaid"}
"""Fence languages whose text is a drawing's labels: compared by position and language only."""

PYTHON_LANGUAGES = {"python", "py", "python3", "pycon"}
"""Fence languages compared by syntax tree (:func:`python_skeleton`), when they parse."""

OUTPUT_LANGUAGES = {"text", ""}
"""Fence languages that show what code printed: translated print labels may differ there."""

TRANSLATED = "…"
"""What a reader-facing string (docstring, print or raise text) becomes in a skeleton."""

FIGURE = re.compile(r"!\[(?P<alt>(?:[^\]]|\](?!\())*)\]"
                    r"\((?P<path>[^)\s]*?figures/(?P<lang>[^/)]+)/(?P<name>[\w-]+)\.svg)\)")
DISPLAY_MATH = re.compile(r"^[ \t]*\$\$[ \t]*\n(?P<tex>.*?)\n[ \t]*\$\$[ \t]*$", re.MULTILINE | re.DOTALL)
QUIZ_OPEN = re.compile(r"^<quiz>[ \t]*$")
QUIZ_CLOSE = re.compile(r"^</quiz>[ \t]*$")
QUIZ_OPTION = re.compile(r"^[-*] \[(?P<mark>[xX ]?)\] (?P<text>.*)$")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
ERRATUM_HEADING = re.compile(r"^## .*\{ *#(?P<anchor>[A-Za-z0-9_-]+) *\}[ \t]*$")
HINTS_MARKER = re.compile(r"<!--\s*hints:\s*(?P<id>\S+?)\s*-->")
SNIPPET_INCLUDE = re.compile(r"""^(?P<lead>[ \t]*-+8<-+[ \t]+)(?P<quote>["'])(?P<path>[^"'\n]+)(?P=quote)""",
                             re.MULTILINE)
HAND_WRITTEN_HINT = re.compile(r'^[ \t]*(?:\?\?\?\+?|!!!)[ \t]*\w+[ \t]+"(?:Hint|提示)\b', re.MULTILINE)


@dataclass(frozen=True)
class CodeBlock:
    language: str  # the first word of the info string, lower case ("" when none)
    text: str  # the block's lines, dedented by the fence's own indent
    line: int  # 1-based line of the opening fence

    @property
    def comparable(self) -> str:
        """What must match across editions, printed labels aside: :func:`normalised`'s code."""
        return normalised(self.text, self.language).code


@dataclass(frozen=True)
class PagePair:
    page: str  # the English page, relative to docs/ ("chapters/tensors.md")
    en: Path
    zh: Path

    @property
    def zh_page(self) -> str:
        return zh_name(self.page)


def zh_name(page: str) -> str:
    """``chapters/tensors.md`` -> ``chapters/tensors.zh.md``."""
    return page.removesuffix(".md") + ZH_SUFFIX


def is_english_only(page: str) -> bool:
    return any(fnmatch.fnmatchcase(page, pattern) for pattern in ENGLISH_ONLY_PAGES)


def _rel(path: Path, docs_dir: Path) -> str:
    return path.relative_to(docs_dir).as_posix()


def english_pages(docs_dir: Path | None = None) -> list[str]:
    docs_dir = docs_dir or paths.DOCS_DIR
    return sorted(_rel(p, docs_dir) for p in docs_dir.rglob("*.md") if not p.name.endswith(ZH_SUFFIX))


def chinese_pages(docs_dir: Path | None = None) -> list[str]:
    docs_dir = docs_dir or paths.DOCS_DIR
    return sorted(_rel(p, docs_dir) for p in docs_dir.rglob("*" + ZH_SUFFIX))


def page_pairs(docs_dir: Path | None = None) -> list[PagePair]:
    """Every English page that has a Chinese translation."""
    docs_dir = docs_dir or paths.DOCS_DIR
    return [PagePair(page, docs_dir / page, docs_dir / zh_name(page))
            for page in english_pages(docs_dir) if (docs_dir / zh_name(page)).is_file()]


# -- Markdown scanning ------------------------------------------------------------------
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def code_blocks(markdown: str) -> list[CodeBlock]:
    """Fenced code blocks (:mod:`devtools.fences`), in page order, including ones indented in
    admonitions and tabs; each block's lines dedented by its fence's indent."""
    blocks: list[CodeBlock] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        opener = fences.opening(lines[i])
        if not opener:
            i += 1
            continue
        indent, j = opener["indent"], fences.closing_line(lines, i)
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip(" \t") for line in lines[i + 1:j]]
        blocks.append(CodeBlock(fences.language(opener["info"]), "\n".join(body), i + 1))
        i = j + 1
    return blocks


def without_code_blocks(markdown: str) -> str:
    """The page with every fenced block's lines blanked (line numbers kept)."""
    lines = markdown.splitlines()
    for block in code_blocks(markdown):
        end = block.line + len(block.text.splitlines()) if block.text else block.line
        for n in range(block.line - 1, min(end + 1, len(lines))):
            lines[n] = ""
    return "\n".join(lines)


def _strip_line_comment(line: str, language: str) -> str:
    """``line`` without its ``#`` comment; a ``#`` inside quotes is not a comment.

    In shell-like languages a comment starts only at the line's start or after blank space
    (``$#``, ``${#x}`` and ``url#frag`` are code); in Python and TOML at any ``#``.
    """
    shell = language not in {"python", "py", "python3", "pycon", "toml"}
    quote: str | None = None
    escaped = False
    for k, char in enumerate(line):
        if escaped:
            escaped = False
            continue
        if char == "\\" and quote != "'":
            escaped = True
            continue
        if quote:
            if char == quote:
                quote = None
            continue
        if char in "\"'":
            quote = char
        elif char == "#" and (not shell or k == 0 or line[k - 1] in " \t"):
            return line[:k]
    return line


def strip_comments(text: str, language: str) -> str:
    """The block's code without ``#`` comments, trailing blanks, or comment-only lines.

    For ``pycon``, only the ``>>>``/``...`` input lines are stripped; outputs are compared
    as they are.
    """
    out: list[str] = []
    for line in text.splitlines():
        if language == "pycon":
            prompt = re.match(r"^(>>>|\.\.\.)( |$)", line)
            if not prompt:
                out.append(line.rstrip())
                continue
            code = _strip_line_comment(line[len(prompt.group(0)):], "python").rstrip()
            if not code.strip() and line[len(prompt.group(0)):].strip():
                continue  # a comment-only input line
            out.append((prompt.group(1) + " " + code).rstrip())
            continue
        stripped = _strip_line_comment(line, language).rstrip()
        if not stripped.strip() and line.strip():
            continue  # a comment-only line: a translation may reflow it
        out.append(stripped)
    return "\n".join(out).strip("\n")


# -- code compared across editions ------------------------------------------------------
@dataclass(frozen=True)
class Skeleton:
    """Python with the words for a reader set aside: what two editions must share."""

    code: str  # ast.unparse of the tree, comments gone, reader-facing strings replaced by TRANSLATED
    labels: tuple[str, ...]  # the replaced print/raise text, in tree order (docstrings are not shown)


class _SetAside(ast.NodeTransformer):
    """Replace docstrings and the literal text of print/raise arguments with :data:`TRANSLATED`."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def visit(self, node):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                first.value.value = TRANSLATED  # a docstring
        return super().visit(node)

    def _text(self, node) -> None:
        """A string argument's text; an f-string keeps its fields (``{loss:.2f}``), loses its text."""
        parts = node.values if isinstance(node, ast.JoinedStr) else [node]
        for part in parts:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                self.labels.append(part.value)
                part.value = TRANSLATED

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            for arg in node.args:
                self._text(arg)
        return self.generic_visit(node)

    def visit_Raise(self, node):
        if isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                self._text(arg)
        return self.generic_visit(node)


def python_skeleton(source: str) -> Skeleton | None:
    """``source`` without comments, docstrings or print/raise text; None if it is not Python.

    Two sources with equal skeletons run the same statements on the same values; they may
    differ only in what a reader sees: comments, docstrings, and the text of the strings
    they print or raise (``print("features per sample:", n)``, ``raise ValueError(f"got {x}")``).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    setter = _SetAside()
    tree = setter.visit(tree)
    return Skeleton(ast.unparse(tree), tuple(setter.labels))


PS1 = re.compile(r"^>>>( |$)")
PS2 = re.compile(r"^\.\.\.( |$)")


def pycon_examples(text: str) -> list[tuple[str, list[str]]]:
    """A ``>>>`` session as doctest reads it: (source, output lines) per example.

    An example is a ``>>>`` line and the ``...`` lines right after it; its output is the
    lines up to the next ``>>>`` (a ``...`` line there is output: doctest's ellipsis).
    """
    examples: list[tuple[list[str], list[str]]] = []
    for line in text.splitlines():
        if PS1.match(line):
            examples.append(([line[4:]], []))
        elif examples and PS2.match(line) and not examples[-1][1]:
            examples[-1][0].append(line[4:])
        elif line.strip():
            if not examples:
                examples.append(([], []))
            examples[-1][1].append(line.rstrip())
    return [("\n".join(source), output) for source, output in examples]


@dataclass(frozen=True)
class Normalised:
    code: str  # must be equal across editions
    outputs: tuple[str, ...] = ()  # must be equal once translated labels are matched (label_pairs)
    labels: tuple[str, ...] = ()  # the block's print/raise text, in order


def normalised(text: str, language: str) -> Normalised:
    """One code block as the editions compare it (see the module's docstring).

    python: its :func:`python_skeleton`; pycon: each example's skeleton, then its output;
    text (and plain) blocks: output only; other commented languages: ``#`` comments
    stripped; diagrams: nothing. Python that does not parse falls back to comment stripping.
    """
    if language in PROSE_BLOCKS:
        return Normalised("")
    if language == "pycon":
        codes, outputs, labels = [], [], []
        for source, output in pycon_examples(text):
            skeleton = python_skeleton(source)
            if skeleton is None:
                return Normalised(strip_comments(text, language))
            if skeleton.code or output:  # a comment-only prompt: a translation may reflow it
                codes.append(skeleton.code)
                outputs.append("\n".join(output))
                labels += skeleton.labels
        return Normalised("\n".join(codes), tuple(outputs), tuple(labels))
    if language in PYTHON_LANGUAGES:
        skeleton = python_skeleton(text)
        if skeleton is not None:
            return Normalised(skeleton.code, (), skeleton.labels)
    if language in COMMENTED_LANGUAGES:
        return Normalised(strip_comments(text, language))
    plain = "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
    if language in OUTPUT_LANGUAGES:
        return Normalised("", (plain,))
    return Normalised(plain)


def label_pairs(en: list[Normalised], zh: list[Normalised]) -> list[tuple[str, str]]:
    """The translated print/raise texts of a page pair: (English, Chinese), longest first.

    Taken from the blocks whose code agrees, string for string in tree order; a text the
    translation left as it was is not a pair.
    """
    pairs: dict[tuple[str, str], None] = {}
    for a, b in zip(en, zh):
        if a.code == b.code and len(a.labels) == len(b.labels):
            pairs.update(dict.fromkeys((x, y) for x, y in zip(a.labels, b.labels) if x != y))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def with_labels_matched(output: str, pairs: list[tuple[str, str]], side: int) -> str:
    """``output`` with each translated text (``side`` 0: English, 1: Chinese) replaced by its pair's number."""
    for number in sorted(range(len(pairs)), key=lambda n: -len(pairs[n][side])):
        output = output.replace(pairs[number][side], f"\x00{number}\x00")
    return output


def quizzes(markdown: str) -> list[list[str]]:
    """Each ``<quiz>`` block's options as marks, e.g. ``[["x", " ", " "], ...]``."""
    return [[mark for mark, _ in options] for options in quiz_options(markdown)]


def quiz_options(markdown: str) -> list[list[tuple[str, tuple[str, ...]]]]:
    """Each ``<quiz>`` block's options as (mark, the distinct inline code spans, sorted)."""
    found: list[list[tuple[str, tuple[str, ...]]]] = []
    current: list[tuple[str, tuple[str, ...]]] | None = None
    for line in without_code_blocks(markdown).splitlines():
        if QUIZ_OPEN.match(line):
            current = []
        elif QUIZ_CLOSE.match(line) and current is not None:
            found.append(current)
            current = None
        elif current is not None:
            option = QUIZ_OPTION.match(line)
            if option:
                mark = "x" if option.group("mark").lower() == "x" else " "
                current.append((mark, tuple(sorted(set(INLINE_CODE.findall(option.group("text")))))))
    return found


def errata_anchors(markdown: str) -> list[str]:
    """The anchors of the errata (``## ... { #kernel-32 }``), in page order."""
    return [m.group("anchor") for line in without_code_blocks(markdown).splitlines()
            if (m := ERRATUM_HEADING.match(line))]


@dataclass(frozen=True)
class Figure:
    name: str  # "max-pooling"
    lang: str  # the edition folder it is taken from: "en" or "zh"
    alt: str


def figures(markdown: str) -> list[Figure]:
    """The generated figures a page shows, in page order (code blocks aside)."""
    return [Figure(m.group("name"), m.group("lang"), m.group("alt").strip())
            for m in FIGURE.finditer(without_code_blocks(markdown))]


def formulas(markdown: str) -> list[str]:
    """The TeX of each display formula (``$$`` on their own lines), whitespace-normalised."""
    return [" ".join(m.group("tex").split()) for m in DISPLAY_MATH.finditer(without_code_blocks(markdown))]


# -- the rules --------------------------------------------------------------------------
def page_problems(page: str, docs_dir: Path | None = None) -> list[str]:
    """``page`` (English ``x.md`` or Chinese ``x.zh.md``, relative to docs/) has its other edition."""
    docs_dir = docs_dir or paths.DOCS_DIR
    if page.endswith(ZH_SUFFIX):
        english_page = page.removesuffix(ZH_SUFFIX) + ".md"
        if not (docs_dir / english_page).is_file():
            return [f"docs/{page} has no English edition: docs/{english_page} is missing"]
        if is_english_only(english_page):
            return [f"docs/{page} translates a page listed as English-only; remove it from "
                    f"devtools.editions.ENGLISH_ONLY_PAGES and '（英文）' from its nav title in mkdocs.yml"]
        return []
    if not (docs_dir / zh_name(page)).is_file() and not is_english_only(page):
        return [f"docs/{page} has no Chinese edition: docs/{zh_name(page)} is missing"]
    return []


def missing_page_problems(docs_dir: Path | None = None) -> list[str]:
    docs_dir = docs_dir or paths.DOCS_DIR
    problems = []
    for page in english_pages(docs_dir) + chinese_pages(docs_dir):
        problems += page_problems(page, docs_dir)
    return problems


def quiz_problems(pair: PagePair) -> list[str]:
    en, zh = quiz_options(_read(pair.en)), quiz_options(_read(pair.zh))
    if len(en) != len(zh):
        return [f"docs/{pair.zh_page} has {len(zh)} quiz questions, docs/{pair.page} has {len(en)}"]
    problems = []
    for number, (en_options, zh_options) in enumerate(zip(en, zh), start=1):
        en_marks, zh_marks = [m for m, _ in en_options], [m for m, _ in zh_options]
        if en_marks != zh_marks:
            problems.append(f"docs/{pair.zh_page} quiz {number}: options {''.join(f'[{m}]' for m in zh_marks)} "
                            f"differ from docs/{pair.page}'s {''.join(f'[{m}]' for m in en_marks)}")
            continue
        for option, ((_, en_code), (_, zh_code)) in enumerate(zip(en_options, zh_options), start=1):
            if en_code != zh_code:
                problems.append(f"docs/{pair.zh_page} quiz {number} option {option}: code {list(zh_code)} "
                                f"differs from docs/{pair.page}'s {list(en_code)}")
    return problems


def with_english_includes(text: str) -> str:
    """A Chinese block's text with each pymdownx.snippets include of a Chinese stub
    (``--8<-- "exercises/exercise-04/net.zh.py"``) naming the English stub instead (``net.py``),
    as the English block does; an escaped include (``;--8<--``) is shown text and stays."""
    def english(match: re.Match) -> str:
        path = match.group("path")
        if not path.endswith(CHINESE_STUB_SUFFIX):
            return match.group(0)
        quote = match.group("quote")
        return f"{match.group('lead')}{quote}{path.removesuffix(CHINESE_STUB_SUFFIX)}.py{quote}"

    return SNIPPET_INCLUDE.sub(english, text)


def code_block_problems(pair: PagePair) -> list[str]:
    en = code_blocks(_read(pair.en))
    zh = [CodeBlock(b.language, with_english_includes(b.text), b.line) for b in code_blocks(_read(pair.zh))]
    problems = []
    if len(en) != len(zh):
        problems.append(f"docs/{pair.zh_page} has {len(zh)} code blocks, docs/{pair.page} has {len(en)}")
    compared = []
    for number, (a, b) in enumerate(zip(en, zh), start=1):
        if a.language != b.language:
            problems.append(f"docs/{pair.zh_page}:{b.line} code block {number} is '{b.language or 'plain'}', "
                            f"docs/{pair.page}:{a.line} has '{a.language or 'plain'}'")
            break  # the rest is out of step
        compared.append((number, a, b, normalised(a.text, a.language), normalised(b.text, b.language)))
    pairs = label_pairs([c[3] for c in compared], [c[4] for c in compared])
    for number, a, b, x, y in compared:
        where = (f"docs/{pair.zh_page}:{b.line} code block {number} ({b.language or 'plain'}) differs from "
                 f"docs/{pair.page}:{a.line}")
        if x.code != y.code:
            problems.append(f"{where}: {_first_difference(x.code, y.code)}")
            continue
        en_out = [with_labels_matched(out, pairs, 0) for out in x.outputs]
        zh_out = [with_labels_matched(out, pairs, 1) for out in y.outputs]
        if en_out != zh_out:
            def lines(outputs):
                return [line for out in outputs for line in out.splitlines()]

            en_lines, zh_lines = lines(x.outputs), lines(y.outputs)
            first = next((n for n, (p, q) in enumerate(zip(lines(en_out), lines(zh_out))) if p != q),
                         min(len(en_lines), len(zh_lines)))
            shown = zh_lines[first].strip()[:60] if first < len(zh_lines) else "nothing"
            instead = en_lines[first].strip()[:60] if first < len(en_lines) else "nothing"
            problems.append(f"{where}: output line {first + 1}: {shown!r} instead of {instead!r} "
                            "(only the text of translated print/raise strings may differ)")
    return problems


def figure_problems(pair: PagePair) -> list[str]:
    en, zh = figures(_read(pair.en)), figures(_read(pair.zh))
    problems = []
    for page, shown, lang in ((pair.page, en, "en"), (pair.zh_page, zh, "zh")):
        for figure in shown:
            if figure.lang != lang:
                problems.append(f"docs/{page} shows figures/{figure.lang}/{figure.name}.svg; "
                                f"this edition's drawing is figures/{lang}/{figure.name}.svg")
            if not figure.alt:
                problems.append(f"docs/{page}: figure {figure.name} has no alt text")
    en_names, zh_names = [f.name for f in en], [f.name for f in zh]
    if en_names != zh_names:
        problems.append(f"docs/{pair.zh_page} shows the figures {zh_names}, docs/{pair.page} shows {en_names}")
    return problems


def formula_problems(pair: PagePair) -> list[str]:
    en, zh = formulas(_read(pair.en)), formulas(_read(pair.zh))
    if len(en) != len(zh):
        return [f"docs/{pair.zh_page} has {len(zh)} display formulas, docs/{pair.page} has {len(en)}"]
    return [f"docs/{pair.zh_page} formula {number} differs from docs/{pair.page}'s: {b!r} instead of {a!r}"
            for number, (a, b) in enumerate(zip(en, zh), start=1) if a != b]


def _first_difference(a: str, b: str) -> str:
    a_lines, b_lines = a.splitlines(), b.splitlines()
    for n, (x, y) in enumerate(zip(a_lines, b_lines), start=1):
        if x != y:
            return f"line {n}: {y.strip()[:60]!r} instead of {x.strip()[:60]!r}"
    return f"{len(b_lines)} lines instead of {len(a_lines)} (comments aside)"


ERRATA_PAGE = "errata.md"


def errata_problems(docs_dir: Path | None = None) -> list[str]:
    docs_dir = docs_dir or paths.DOCS_DIR
    en_path, zh_path = docs_dir / ERRATA_PAGE, docs_dir / zh_name(ERRATA_PAGE)
    if not en_path.is_file() or not zh_path.is_file():
        return []  # a missing page is missing_page_problems' report
    en, zh = errata_anchors(_read(en_path)), errata_anchors(_read(zh_path))
    if len(en) != len(zh):
        missing = [a for a in en if a not in zh]
        extra = [a for a in zh if a not in en]
        detail = "; ".join(part for part in (f"missing {missing}" if missing else "",
                                              f"not in English {extra}" if extra else "") if part)
        return [f"docs/{zh_name(ERRATA_PAGE)} has {len(zh)} errata, docs/{ERRATA_PAGE} has {len(en)}"
                + (f" ({detail})" if detail else "")]
    if en != zh:
        return [f"docs/{zh_name(ERRATA_PAGE)}'s errata anchors {zh} differ from docs/{ERRATA_PAGE}'s {en} "
                "(same anchors, same order: links use them from both editions)"]
    return []


def exercise_hint_problems(ex, docs_dir: Path | None = None) -> list[str]:
    """One registry exercise: Chinese hints for its English ones, and both pages show them."""
    docs_dir = docs_dir or paths.DOCS_DIR
    problems = []
    hints = tuple(ex.hints)
    hints_zh = tuple(getattr(ex, "hints_zh", None) or ())
    if not hints_zh:
        problems.append(f"{ex.id}: the registry has no Chinese hints (hints_zh) for its {len(hints)} hints")
    elif len(hints_zh) != len(hints):
        problems.append(f"{ex.id}: the registry has {len(hints_zh)} Chinese hints (hints_zh) "
                        f"for {len(hints)} English ones")
    elif any(not h.strip() for h in hints_zh):
        problems.append(f"{ex.id}: an empty Chinese hint in the registry (hints_zh)")
    for page in (ex.docs, zh_name(ex.docs)):
        path = docs_dir / page
        if not path.is_file():
            continue  # page_problems reports it
        text = without_code_blocks(_read(path))
        named = HINTS_MARKER.findall(text)
        if named != [ex.id]:
            shown = ", ".join(named) if named else "no hints marker"
            problems.append(f"docs/{page}: hints must come from the registry with one "
                            f"<!-- hints: {ex.id} --> marker; found {shown}")
        if HAND_WRITTEN_HINT.search(text):
            problems.append(f"docs/{page}: a hand-written hint admonition; the registry's hints "
                            f"(exercises/exercises.toml) are the only ones")
    return problems


def hint_problems(docs_dir: Path | None = None, registry=None) -> list[str]:
    """Exercise pages (both editions) show their registry hints, which exist in both languages."""
    if registry is None:
        from grader.registry import load_registry

        registry = load_registry()
    problems = []
    for ex in registry:
        problems += exercise_hint_problems(ex, docs_dir)
    return problems


def sync_problems(docs_dir: Path | None = None, registry=None) -> list[str]:
    """Every problem of every rule, one line each (``grader dev check`` prints these)."""
    docs_dir = docs_dir or paths.DOCS_DIR
    problems = missing_page_problems(docs_dir)
    for pair in page_pairs(docs_dir):
        problems += quiz_problems(pair)
        problems += code_block_problems(pair)
        problems += figure_problems(pair)
        problems += formula_problems(pair)
    problems += errata_problems(docs_dir)
    problems += hint_problems(docs_dir, registry)
    return problems
