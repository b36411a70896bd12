"""Markdown's fenced code blocks, read one way for every tool that must skip or read them.

A block opens with ``` or ~~~ (three or more, possibly indented, e.g. inside an admonition)
and an info string; it closes with a fence of the same character, at least as long, with
nothing after it. An unclosed block runs to the end of the page. A fence inside a block (a
longer outer fence showing Markdown) belongs to its text.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")


def opening(line: str) -> re.Match | None:
    """The fence ``line`` opens (its ``indent``, ``fence`` and ``info``), or None."""
    return FENCE.match(line.rstrip("\r\n"))


def closes(line: str, opener: re.Match) -> bool:
    """Whether ``line`` closes the block ``opener`` opened."""
    fence = FENCE.match(line.rstrip("\r\n"))
    return bool(fence and fence["fence"][0] == opener["fence"][0] and len(fence["fence"]) >= len(opener["fence"])
                and not fence["info"].strip())


def closing_line(lines: list[str], start: int) -> int:
    """The index of the line closing the block that opens at ``lines[start]``; ``len(lines)`` if none does."""
    opener = opening(lines[start])
    j = start + 1
    while j < len(lines) and not closes(lines[j], opener):
        j += 1
    return j


def language(info: str) -> str:
    """A block's language: the info string's first word, lower case, without ``.`` or ``{`` ("" when none)."""
    info = info.strip()
    return info.split()[0].lstrip(".{").lower() if info else ""
