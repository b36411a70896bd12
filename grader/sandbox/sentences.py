"""The sentences the sandbox's inside composes, recognised on the trusted side to be translated.

Code in ``inside/`` runs in the sandbox, stdlib-only and without catalogs; a few of its
failure descriptions are sentences of the grader's own (``failures.describe``: ``exit()``,
the memory and process limits; ``worker.py``: a result that cannot be sent back). Rather
than changing the wire protocol to send a template id and values (more for the audited
inside to build, and the same English on the wire either way), the trusted side matches
the text against these fixed templates and rebuilds the :class:`~grader.i18n.Message`.
Anything that matches none (the learner's own exception text) stays as it is.

A learner can make their exception read like one of these (an exception class named
``called exit(1); ...``): it is then shown translated, which changes no verdict.
The templates here must stay the inside's sentences, word for word: tests/test_i18n.py
runs ``failures.describe`` and checks that each comes back recognised.
"""

from __future__ import annotations

import re
import string
from functools import cache

from grader.i18n import N_, Message, t

TEMPLATES = (
    N_("called exit({code}); code under test must not exit the process"),
    N_("SyntaxError: {message} ({file}, line {line})"),
    N_("MemoryError: the sandbox's memory limit was reached"),
    N_("BlockingIOError: no more processes: the sandbox's limit on processes and threads was reached "
       "(a fork bomb?)"),
    N_("result could not be sent: a {type} cannot be sent back to the grader"),
    N_("result could not be sent: result nested too deeply"),
)
LOCATION = re.compile(r"(?P<file>[^:\s][^:]*):(?P<line>\d+) in (?P<function>\S+)")
WHERE = re.compile(r"(?P<body>.*) \[(?P<where>[^\[\]\n]*)\]", re.DOTALL)
RANK = re.compile(r"(?P<doing>.*?) raised (?P<error>.*?)(?: \[(?P<where>[^\[\]\n]*)\])?", re.DOTALL)


@cache
def _pattern(template: str) -> re.Pattern:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(f"(?P<{name}>.*?)")
    return re.compile("".join(parts), re.DOTALL)


def _sentence(text: str) -> Message | None:
    for template in TEMPLATES:
        match = _pattern(template).fullmatch(text)
        if match:
            return Message(template, **match.groupdict())
    return None


def location(where: str) -> str:
    """``failures.describe``'s ``"file:line in function"`` as a translatable message (else unchanged)."""
    match = LOCATION.fullmatch(where) if isinstance(where, str) and not isinstance(where, Message) else None
    return t("{file}:{line} in {function}", **match.groupdict()) if match else where


def recognised(text: str) -> str:
    """``text`` from the inside as a translatable message where it is one of its sentences
    (possibly followed by `` [file:line in f]``); else ``text`` unchanged."""
    if not isinstance(text, str) or isinstance(text, Message):
        return text
    found = _sentence(text)
    if found is not None:
        return found
    match = WHERE.fullmatch(text)
    if match:
        found = _sentence(match["body"])
        if found is not None:
            return t("{error} [{where}]", error=found, where=location(match["where"]))
    return text


def rank_error(text: str) -> str:
    """A rank's ``failed["error"]`` (``inside/ranks.py``: ``"<doing> raised <error> [<where>]"``) as a
    translatable message, its ``<error>`` recognised; ``text`` unchanged if it is not one."""
    match = RANK.fullmatch(text) if isinstance(text, str) and not isinstance(text, Message) else None
    if not match:
        return text
    error = recognised(match["error"])
    if match["where"] is not None:
        return t("{doing} raised {error} [{where}]", doing=match["doing"], error=error, where=location(match["where"]))
    return t("{doing} raised {error}", doing=match["doing"], error=error)
