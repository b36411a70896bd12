"""The grader's language: --lang, then the locale; and a catalog complete in both languages."""

import string

import pytest

from grader import messages
from grader.i18n import gettext_in
from grader.language import LanguageError, resolve
from grader.sandbox.isolation import LEVELS, Isolation


@pytest.mark.parametrize("option, expected",
                         [("zh", "zh"), ("en", "en"), ("ZH", "zh"), ("zh_CN", "zh"), ("zh-Hans", "zh")])
def test_the_option_wins(option, expected):
    assert resolve(option, {"LANG": "zh_CN.UTF-8" if expected == "en" else "C.UTF-8"}) == expected


@pytest.mark.parametrize("environ, expected", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),       # LC_ALL before LANG, as in gettext
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),  # LC_MESSAGES before LANG
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, "zh"),              # an empty variable counts as unset
    ({"LC_ALL": "C.UTF-8", "GRADER_LANG": "zh"}, "zh"),         # GRADER_LANG first of all
])
def test_the_locale_decides_otherwise(environ, expected):
    assert resolve(None, environ) == expected


def test_an_unknown_language_is_refused():
    with pytest.raises(LanguageError, match="--lang must be one of en, zh, not 'xx'"):
        resolve("xx", {})


@pytest.mark.parametrize("key", sorted(messages.MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(key):
    english = messages.MESSAGES[key]
    chinese = gettext_in("zh", english)
    assert chinese != english, f"{key}: no Chinese in the catalog (grader/locale)"
    fields = [{name for _, name, _, _ in string.Formatter().parse(form) if name} for form in (english, chinese)]
    assert fields[0] == fields[1]


def test_every_isolation_level_is_described_in_chinese():
    for level in LEVELS:
        description = Isolation(level).description
        assert messages.isolation(description, "en") == description
        assert messages.isolation(description, "zh") != description
