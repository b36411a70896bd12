"""Learner-facing messages in English and Chinese, through standard gettext catalogs.

A message is made where today's f-string was, with the template and its values kept apart::

    t("{what} has shape {got}, expected {expected}", what=what, got=(49, 10), expected=(64, 10))

:class:`Message` *is* its English text (a ``str``, byte for byte what the f-string made), so
everything that handles messages as text (``CheckFailed``, ``CheckResult.message``, ``--json``,
the tests) sees what it always saw. It also keeps the template and the values, so that
:meth:`Message.render` can give it in another language: each template, its own and those of
the messages among its values (a hint, a description such as "Net()(x) for x of shape ..."),
is translated through the ``grader`` catalog (``grader/locale``), and the same values are
filled in. Values are never translated: shapes, numbers, names, the learner's own exception
text and PyTorch's messages stay as they are.

``t`` is the keyword Babel extracts (``pybabel extract -k t``: see "Translating messages" in
docs/guides/maintainer.md); its first argument must be a string literal. ``N_`` marks a
string for extraction without making a message (a table's English templates).

A message survives JSON: :meth:`Message.to_dict` and :meth:`Message.from_dict` (what
:meth:`grader.report.Report.to_dict` writes as ``message_i18n`` for the grader server).
At run time only the standard library's :mod:`gettext` reads the compiled catalog; Babel
is a maintainer's tool and is never imported here.
"""

from __future__ import annotations

import copy
import gettext
import numbers
import re
import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "grader"
# Chinese prose has no space beside full-width punctuation: "（x 的形状为 (2, 3)） 的形状" -> "）的形状"
FULL_WIDTH_SPACING = re.compile(r" *([，。：；、！？（）“”]) *")


def N_(text: str) -> str:  # noqa: N802  (gettext's own name for "mark, do not translate yet")
    """Mark ``text`` for the catalog; it is translated where it is used."""
    return text


def _plain(value: object) -> object:
    """A value as a message keeps it: JSON-ready, and formatting as the f-string's value did.

    Messages, strings and Python numbers stay (so ``{total:,}`` and ``{error:.3g}`` work);
    anything else (a tuple shape, a dtype, a device, a 0-d tensor) becomes the text an
    f-string's ``{value}`` gave it: ``format(value, "")``.
    """
    if isinstance(value, Message):
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return format(value, "")


class Message(str):
    """A learner-facing message: its English text, and the template and values it was made from."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Message:
        values = {name: _plain(value) for name, value in values.items()}
        self = super().__new__(cls, template.format(**values))
        self.template, self.values = template, values
        return self

    def render(self, lang: str) -> str:
        """The message in ``lang`` ("en" or "zh"); English where the catalog has no translation."""
        if lang == "en":
            return str.__str__(self)
        values = {name: value.render(lang) if isinstance(value, Message) else value
                  for name, value in self.values.items()}
        translated = _translations(lang).gettext(self.template)
        try:
            text = translated.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation never hides the message
            text = self.template.format(**values)
        return FULL_WIDTH_SPACING.sub(r"\1", text) if lang == "zh" else text

    def to_dict(self) -> dict:
        """``{"t": template, "v": {name: value}}``, messages among the values as dicts too."""
        return {"t": self.template,
                "v": {name: v.to_dict() if isinstance(v, Message) else v for name, v in self.values.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Message:
        values = {name: cls.from_dict(v) if isinstance(v, dict) else v for name, v in data["v"].items()}
        return cls(data["t"], **values)

    def __reduce__(self):
        return _rebuild, (self.template, self.values)

    def __copy__(self) -> Message:
        return self

    def __deepcopy__(self, memo) -> Message:
        return self

    def __repr__(self) -> str:
        return f"t({self.template!r}, {', '.join(f'{k}={v!r}' for k, v in self.values.items())})"


def _rebuild(template: str, values: dict) -> Message:
    return Message(template, **values)


t = Message  # the keyword Babel extracts: t("template", name=value, ...)


def render(text: str, lang: str) -> str:
    """A message in ``lang``; any other text as it is (it was never a template)."""
    return text.render(lang) if isinstance(text, Message) else text


def reason(exc: BaseException) -> str:
    """An exception's one-line message: its :class:`Message` where it was raised with one (``str(exc)``
    gives the English text only), else ``str(exc)``."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


def placeholders(template: str) -> set[str]:
    """``{name:spec}`` fields of a template, as written (``{total:,}`` -> ``"total:,"``)."""
    fields = set()
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is not None:
            fields.add(name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
    return fields


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext_in(lang: str, text: str) -> str:
    """``text`` (an English msgid) in ``lang``."""
    return text if lang == "en" else _translations(lang).gettext(text)


def _joined(items: Iterable[str], join) -> str:
    items = list(items)
    joined: str = items[0] if items else ""
    for item in items[1:]:
        joined = join(joined, item)
    return joined


def join_and(items: Iterable[str]) -> str:
    """``a and b and c``, as ``" and ".join(items)`` writes it, each join a translatable message."""
    return _joined(items, lambda before, after: t("{before} and {after}", before=before, after=after))


def join_semicolons(items: Iterable[str]) -> str:
    """``a; b; c``, as ``"; ".join(items)`` writes it, each join a translatable message."""
    return _joined(items, lambda before, after: t("{before}; {after}", before=before, after=after))


# -- check names ---------------------------------------------------------------------------
def check_title(name: str, lang: str) -> str:
    """A check's display name: ``output_shape_for_any_batch_size[cuda]`` -> "output shape for any
    batch size [cuda]" in English, its catalog translation in Chinese.

    The test id (``name``) stays what ``--json`` and instructors see; the catalog's msgid is the
    English display form, extracted from every ``def test_*`` of grader/checks by
    :func:`grader.i18n_babel.extract_checks`.
    """
    base, bracket, device = name.partition("[")
    title = gettext_in(lang, base.replace("_", " "))
    return f"{title} [{device}" if bracket else title


# checks that no check module defines (grader.runner's report for missing files)
EXTRA_CHECK_TITLES = [N_("files present")]


def localized(report, lang: str):
    """A copy of ``report`` (a :class:`grader.report.Report`) for a view in ``lang``: each check's
    message and the report's error in ``lang``, each check's name its display title.

    English is the language reports are made in: ``localized(report, "en")`` equals ``report``
    (check names stay the test ids the terminal shows today). A report read back from JSON keeps
    its messages' templates only where the JSON carried them (``Report.to_dict(localizable=True)``);
    a message without one is shown as it is.
    """
    copied = copy.deepcopy(report)
    if lang == "en":
        return copied
    for test in copied.tests:
        test.message = render(test.message, lang)
        test.name = check_title(test.name, lang)
    if copied.error is not None:
        copied.error = render(copied.error, lang)
    return copied
