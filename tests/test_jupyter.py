"""grader.jupyter: a bad ``%grader`` line is one error, in the language the line (or its workspace) speaks."""

import pytest

from grader import jupyter, marker
from grader.commands.common import UsageError


def error_for(line: str) -> jupyter.Shown:
    with pytest.raises((UsageError, ValueError)) as info:
        jupyter.run(line)
    return jupyter.error(info.value, line)


@pytest.mark.parametrize(("line", "values"), [
    ("check exercise-99 --lang zh", ["'exercise-99'"]),
    ("hint nothing-like-it --lang zh", ["'nothing-like-it'"]),
    ("check exercise-04 --device tpu --lang zh", ["auto, cpu, cuda", "'tpu'"]),
    ("frob exercise-04 --lang zh", ["argument command: invalid choice: 'frob' (choose from 'check', 'hint')"]),
    ("check --lang zh", ["the following arguments are required: exercise"]),
])
def test_a_bad_line_in_chinese_is_one_chinese_error(line, values, chinese_text):
    shown = error_for(line)
    assert shown.text.startswith("错误：") and "\n" not in shown.text
    chinese_text(shown.text, *values)
    assert shown.html.startswith('<p style="color:#cf222e">错误：')


def test_the_workspace_language_without_lang(tmp_path, monkeypatch, chinese_text):
    monkeypatch.setenv("GRADER_LANG", "en")
    (tmp_path / marker.MARKER).write_text(marker.text(lang="zh", kit_version="test"))
    shown = error_for(f"check exercise-99 -w {tmp_path}")
    assert shown.text == "错误：没有名为 'exercise-99' 的练习；你是不是想输入 exercise-09？"
    parse = error_for(f"check -w {tmp_path}")
    assert parse.text.startswith("错误：`%grader`：")


def test_english_is_as_it_was_and_the_html_is_escaped(monkeypatch):
    monkeypatch.setenv("GRADER_LANG", "en")
    shown = error_for("check exercise-99")
    assert shown.text == "error: unknown exercise 'exercise-99'; did you mean exercise-09?"
    assert shown.html == f'<p style="color:#cf222e">{shown.text}</p>'
    parse = error_for("check <b>")
    assert "<b>" in parse.text and "&lt;b&gt;" in parse.html and "<b>" not in parse.html
