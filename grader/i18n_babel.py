"""Babel's extraction method for the check modules (a maintainer's tool: ``pybabel extract``).

Run by ``pybabel extract -F babel.cfg`` (see babel.cfg, and "Translating messages" in
docs/guides/maintainer.md); never imported by the grader itself, which reads the compiled
catalog with the standard library's :mod:`gettext`.

A check module's catalog entries are its ``t("...")`` messages, as Babel's own Python
extractor finds them, plus the display title of each hidden check: ``def
test_output_shape_for_any_batch_size`` gives the msgid "output shape for any batch size",
which :func:`grader.i18n.check_title` looks up. The test id itself never changes: it is what
``--json`` and instructors see.
"""

from __future__ import annotations

import ast
import io

from babel.messages.extract import extract_python

TITLE_COMMENT = "check title: test_{name}"


def check_titles(source: bytes | str) -> list[tuple[int, str, str]]:
    """``(line, display title, test id)`` for each module-level ``def test_*`` of a check module."""
    tree = ast.parse(source)
    return [(node.lineno, node.name.removeprefix("test_").replace("_", " "), node.name.removeprefix("test_"))
            for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]


def extract_checks(fileobj, keywords, comment_tags, options):
    """Babel extraction method: the module's ``t(...)`` messages, then its checks' display titles."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for line, title, name in check_titles(source):
        yield line, None, title, [TITLE_COMMENT.format(name=name)]
