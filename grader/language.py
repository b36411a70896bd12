"""Which language the grader speaks: English or Chinese.

An explicit ``--lang`` wins. Otherwise the locale decides, as gettext does: the
first non-empty of ``GRADER_LANG``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``;
a value such as ``zh_CN.UTF-8`` means Chinese, anything else English.
``--json`` output is never translated.
"""

from __future__ import annotations

import os
import re
from typing import Literal

from grader.i18n import t

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
ENV_VARS = ("GRADER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


class LanguageError(ValueError):
    """``--lang`` names a language the grader does not speak."""


def _primary(tag: str) -> str:
    """``zh_CN.UTF-8``, ``zh-Hans`` and ``ZH`` all become ``zh``."""
    return re.split(r"[-_.@]", tag.strip(), maxsplit=1)[0].lower()


def resolve(option: str | None = None, environ: dict[str, str] | None = None) -> Language:
    if option is not None:
        lang = _primary(option)
        if lang not in LANGUAGES:
            raise LanguageError(t("--lang must be one of {choices}, not {option!r}", choices=", ".join(LANGUAGES),
                                  option=option))
        return lang
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in ENV_VARS if env.get(name)), "")
    return "zh" if _primary(locale) == "zh" else "en"
