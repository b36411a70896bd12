"""``grader hint``: one new hint per call, in order, remembered in the workspace."""

import pytest


def test_hints_are_revealed_one_at_a_time(grader, registry, tmp_path):
    hints = registry.get("exercise-04").hints
    for number, text in enumerate(hints, start=1):
        result = grader("hint", "exercise-04", "-w", str(tmp_path))
        assert result.code == 0
        assert f"Hint {number}/{len(hints)}: {text[:40]}" in " ".join(result.stdout.split())
    again = grader("hint", "exercise-04", "-w", str(tmp_path))
    assert f"Hint {len(hints)}/{len(hints)}" in again.stdout and "last hint" in again.stdout


def test_hints_in_chinese_with_lang_zh_or_a_chinese_locale(grader, registry, tmp_path, in_chinese):
    args, env = in_chinese
    hints = registry.get("exercise-04").hints_zh
    for number, text in enumerate(hints, start=1):
        result = grader("hint", "exercise-04", "-w", str(tmp_path), *args, env=env)
        assert result.code == 0
        assert f"提示 {number}/{len(hints)}：{text[:20]}" in "".join(result.stdout.split("\n"))
    assert "最后一条提示" in result.stdout and "Hint" not in result.stdout
    # the count of hints seen is shared between the languages
    assert f"Hint {len(hints)}/{len(hints)}" in grader("hint", "exercise-04", "-w", str(tmp_path)).stdout


def test_an_unknown_language_is_a_usage_error(grader, tmp_path):
    result = grader("hint", "exercise-04", "-w", str(tmp_path), "--lang", "xx")
    assert result.code == 2
    assert result.stderr.strip() == "error: --lang must be one of en, zh, not 'xx'"


@pytest.mark.slow
def test_a_failed_check_reveals_the_next_unseen_hint(grader, stub_workspace):
    workspace = str(stub_workspace("exercise-04"))
    assert "Hint 1/3" in grader("hint", "exercise-04", "-w", workspace).stdout
    assert "Hint 2/3" in grader("check", "exercise-04", "-w", workspace).stdout


def test_unknown_exercise(grader, tmp_path):
    result = grader("hint", "nope", "-w", str(tmp_path))
    assert result.code == 2 and "unknown exercise 'nope'" in result.stderr


def test_an_unknown_exercise_in_chinese_is_one_chinese_line(grader, tmp_path, in_chinese, chinese_error):
    args, env = in_chinese
    result = grader("hint", "exercise-99", "-w", str(tmp_path), *args, env=env)
    chinese_error(result, "'exercise-99'")
    assert not (tmp_path / ".grader-progress.json").exists()
