"""Find output claims in the site's code that no test checks.

A page shows what code prints in a ``pycon`` session, which Sybil runs (docs/conftest.py),
so the output under each ``>>>`` line is what the code prints today. A comment such as
``print(x.shape)  # torch.Size([8, 3])`` in a plain ``python`` block makes the same claim
with nothing to check it, and drifts silently when PyTorch or the code changes. This
module finds those comments; tests/docs/test_output_comments.py fails on any of them.

What counts as an output comment (in a ``python``/``py`` block):

* anywhere: a comment holding a value's printed form (``torch.Size(``, ``tensor(``,
  ``Parameter containing``, ``<AddBackward0 ...>``), or starting with an arrow or an
  output label (``-> 3``, ``=> ...``, ``output: ...``, ``输出：...``);
* on a line that calls ``print``: a comment that starts with a value (a number, ``True``,
  ``False``, ``None``, a bracket or a quote) or says what is printed (``prints ...``,
  ``same ...``, ``输出...``, ``结果...``).

Explanatory comments stay allowed: ``# (N, 64, 14, 14)`` beside a layer call, ``# 8x8 -> 4x4``,
``# 1. forward``. And a ``pycon`` block whose outputs nothing runs (a skip marker before it)
is reported too.
"""

from __future__ import annotations

import io
import re
import tokenize

from devtools import editions

PYTHON_LANGUAGES = {"python", "py", "python3"}
SKIP_MARKER = re.compile(r"^\s*<!--\s*skip:\s*next\b")

PRINTED_FORM = re.compile(r"torch\.Size\(|\btensor\(|Parameter containing|<\w+Backward\d*\b|\barray\(")
OUTPUT_LABEL = re.compile(r"^(?:->|→|=>|(?:output|out|prints?|returns?)\s*[:：]|输出\s*[:：为是]|打印\s*[:：])",
                          re.IGNORECASE)
VALUE_START = re.compile(r"^(?:-?\d|True\b|False\b|None\b|inf\b|nan\b|[\[({'\"])")
SAYS_PRINTED = re.compile(r"^(?:prints?\b|shows?\b|same\b|输出|打印|结果|显示|相同)", re.IGNORECASE)


def _comments(source: str) -> list[tuple[int, str, bool]]:
    """``(line, text without '#', on a print line)`` for each comment of ``source``."""
    found: list[tuple[int, str, bool]] = []
    statement_start: list[str] = []  # the tokens that began the current logical line
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NEWLINE:
                statement_start = []
            elif tok.type == tokenize.COMMENT:
                on_print = statement_start[:2] == ["print", "("]
                found.append((tok.start[0], tok.string[1:].strip(), on_print))
            elif tok.type not in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
                if len(statement_start) < 2:
                    statement_start.append(tok.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return _comments_by_line(source)
    return found


def _comments_by_line(source: str) -> list[tuple[int, str, bool]]:
    """Fallback for text that does not tokenize (a fragment): one line at a time."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        code = editions._strip_line_comment(line, "python")
        if len(code) < len(line):
            found.append((number, line[len(code):].lstrip("#").strip(), code.lstrip().startswith("print(")))
    return found


def is_output_comment(text: str, on_print_line: bool) -> bool:
    """True when a comment's ``text`` shows what the code prints or evaluates to."""
    if PRINTED_FORM.search(text) or OUTPUT_LABEL.match(text):
        return True
    return on_print_line and bool(VALUE_START.match(text) or SAYS_PRINTED.match(text))


def unverified_outputs(markdown: str) -> list[str]:
    """One line per output claim that nothing checks: ``line N: the comment``."""
    problems: list[str] = []
    lines = markdown.splitlines()
    for block in editions.code_blocks(markdown):
        above = range(max(0, block.line - 3), block.line - 1)
        skipped = block.line >= 2 and any(SKIP_MARKER.match(lines[n]) for n in above)
        if block.language == "pycon" and skipped and re.search(r"^(?!>>>|\.\.\.)\S", block.text, re.MULTILINE):
            problems.append(f"line {block.line}: a skipped pycon block shows outputs that nothing runs")
        if block.language not in PYTHON_LANGUAGES:
            continue
        for number, text, on_print in _comments(block.text):
            if is_output_comment(text, on_print):
                problems.append(f"line {block.line + number}: output comment '# {text}': show it in a pycon session")
    return problems
