"""How many English words a Chinese learner still reads in the checks' messages.

Grades every exercise's untouched stub (seed 1, the CPU, a sandboxed worker of its own, as
``grader check --no-server`` does, through :func:`grader.runner.grade`), renders each report's
messages in Chinese with :func:`grader.i18n.localized`'s machinery, and counts the English
words left, per exercise and in all.

The rule: only the grader's own words count. A message is a tree of templates and values
(:class:`grader.i18n.Message`); values are left out (shapes, numbers, names, the learner's own
exception text, PyTorch's and Python's messages: they are never translated), and so is what a
translated template writes as code. A word is a run of Latin letters; it is code, not English,
when it is

* part of an identifier or API name: it holds ``_`` or a digit, starts with a capital
  (``DataLoader``, ``Linear``, ``True``, ``CPU``: names, never the start of a Chinese sentence),
  touches ``.``, ``(``, ``[``, ``=``, ``-``, ``/`` or ``:`` (``x.flatten(1)``, ``Net()``,
  ``requires_grad=True``, ``log-softmax``), or sits in backticks;
* inside code: a call with its arguments (``make_loader(dataset, rank, ...)``), an indexing
  (``images[i]``), a tuple of names (``(N, C, H, W)``), an expression with operators
  (``out = in + 2*padding - kernel + 1``, ``dilation > 1``), a quoted name (``“same”``), or a
  check title's device (``[cpu]``);
* one of :data:`KEPT_IN_LATIN`: terms the Chinese edition writes in Latin letters (the
  glossary's ``logits``, ``softmax``, ``dropout``, ``rank``...).

A check's message that is a plain string (no template, e.g. pytest's skip reason) counts in full.
Display titles count the same way (the check's title in Chinese).

    python scripts/english_words_left.py            # every exercise
    python scripts/english_words_left.py exercise-04
"""

from __future__ import annotations

import re
import sys

from grader import paths
from grader.i18n import Message, check_title, gettext_in
from grader.registry import load_registry
from grader.runner import grade

# Latin terms the Chinese edition keeps (docs/glossary.zh.md writes them so), one-letter names and units, and
# the names of functions, tools and parameters that a sentence names bare ("用 gather 取出", "带 padding 的")
KEPT_IN_LATIN = frozenset({
    "gather", "logsumexp", "detach", "forward", "pytest", "inf", "target", "index", "weight", "tol", "padding",
    "images", "labels", "notebook",
    "logits", "logit", "softmax", "sigmoid", "dropout", "rank", "worker", "pickle", "gloo", "nccl", "bubblewrap",
    "rlimits", "fork", "rendezvous", "sleep", "float", "int", "uint8", "s", "x", "y", "h", "t", "e", "fn",
    "k", "d", "p", "i", "n", "a", "b", "mean", "std", "dict",
})
WORD = re.compile(r"(?<![\w.\-/`*+])([A-Za-z][A-Za-z]*)(?![\w.(\[=\-/`:*+])")
VALUE = "\ue000"  # stands for a value while the templates are rendered


def _skeleton(message: str, lang: str) -> str:
    """``message`` rendered in ``lang`` with every value replaced by :data:`VALUE`."""
    if not isinstance(message, Message):
        return message
    values = {name: _skeleton(v, lang) if isinstance(v, Message) else VALUE for name, v in message.values.items()}
    template = gettext_in(lang, message.template)
    fields = re.sub(r"\{(\w+)[^{}]*\}", lambda m: "{" + m.group(1) + "}", template.replace("{{", "\0").replace(
        "}}", "\1"))
    return fields.format(**values).replace("\0", "{").replace("\1", "}")


CODE = "\ue001"  # stands for a piece of code taken out
CALL = re.compile(r"[\w.\]\[]+\((?:[^()（）]|\([^()（）]*\))*\)")
NAMES = re.compile(rf"\((?:[\w.{CODE}]+, )+[\w.{CODE}]+\)")  # (N, C, H, W), (images, labels)
OPERAND = rf"[\w.*/+\-\[\]{CODE}\ue000]+"
FORMULA = re.compile(rf"{OPERAND}(?: (?:[<>=]=?|//|[*/+\-@]) {OPERAND})+")  # h + 2*padding, dilation > 1
INDEXED = re.compile(r"\w+\[[^\]]*\]")  # images[i], logits[:, labels]
DEVICE = re.compile(r" \[\w+\]$")  # a check title's device


def without_code(text: str, *, title: bool = False) -> str:
    text = re.sub(r"`[^`]*`", CODE, text)
    if title:
        text = DEVICE.sub("", text)
    for pattern in (CALL, INDEXED, NAMES, FORMULA):
        text = pattern.sub(CODE, text)
    return re.sub(r"“\w+”", CODE, text)  # a quoted name: “same” (padding)


def english_words(text: str, *, title: bool = False) -> list[str]:
    """The English words of ``text`` by the rule above (values already taken out)."""
    found = []
    for match in WORD.finditer(without_code(text, title=title)):
        word = match.group(1)
        if word in KEPT_IN_LATIN or word.lower() in KEPT_IN_LATIN:
            continue
        if word[0].isupper():
            continue
        found.append(word)
    return found


def words_left(message: str, lang: str = "zh") -> list[str]:
    return english_words(_skeleton(message, lang))


def main(exercises: list[str]) -> int:
    registry = load_registry()
    chosen = [registry.get(name) for name in exercises] if exercises else list(registry.exercises)
    total = 0
    for exercise in chosen:
        report = grade(exercise, paths.EXERCISES_DIR / exercise.id, seed=1, device="cpu")
        words: list[str] = []
        for test in report.tests:
            words += words_left(test.message) + english_words(check_title(test.name, "zh"), title=True)
        if report.error:
            words += words_left(report.error)
        total += len(words)
        print(f"{exercise.id}: {len(report.tests)} checks, {len(words)} English words left"
              + (f" ({', '.join(sorted(set(words)))})" if words else ""))
    print(f"total: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
