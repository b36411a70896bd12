"""``grader list``: exercises, status from the progress file, overall progress."""

import pytest


def test_lists_every_registry_exercise_as_not_tried(grader, registry, tmp_path):
    result = grader("list", "--workspace", str(tmp_path))
    assert result.code == 0
    for exercise in registry:
        assert exercise.id in result.stdout and exercise.title in result.stdout
    assert f"Progress: 0/{len(registry)} exercises passed" in result.stdout


def test_lists_in_chinese_with_lang_zh_or_a_chinese_locale(grader, registry, tmp_path, in_chinese):
    args, env = in_chinese
    result = grader("list", "--workspace", str(tmp_path), *args, env=env)
    assert result.code == 0
    for exercise in registry:
        assert exercise.title_zh in result.stdout and exercise.title not in result.stdout
    assert "状态" in result.stdout and "未尝试" in result.stdout and "not tried" not in result.stdout
    assert f"进度：已通过 0/{len(registry)} 个练习" in result.stdout


def test_an_unknown_language_is_a_usage_error(grader, tmp_path):
    result = grader("list", "--workspace", str(tmp_path), "--lang", "xx")
    assert result.code == 2
    assert result.stderr.strip() == "error: --lang must be one of en, zh, not 'xx'"


@pytest.mark.slow
def test_status_follows_checks_and_survives_losing_the_state_file(grader, registry, make_workspace):
    workspace = make_workspace("exercise-04")
    assert grader("check", "exercise-04", "-w", str(workspace)).code == 0
    listed = grader("list", "-w", str(workspace)).stdout
    row = next(line for line in listed.splitlines() if "exercise-04" in line)
    assert "passed" in row and "10/10" in row
    assert f"Progress: 1/{len(registry)}" in listed

    (workspace / ".grader-progress.json").unlink()
    row = next(line for line in grader("list", "-w", str(workspace)).stdout.splitlines() if "exercise-04" in line)
    assert "not tried" in row
    assert (workspace / "exercise-04" / "net.py").exists()  # the learner's work is untouched


def test_corrupt_state_file_is_kept_aside_not_lost(grader, tmp_path):
    (tmp_path / ".grader-progress.json").write_text("{not json")
    assert grader("hint", "exercise-04", "-w", str(tmp_path)).code == 0
    assert (tmp_path / ".grader-progress.json.bak").read_text() == "{not json"


def test_a_missing_workspace_in_chinese_is_one_chinese_line(grader, tmp_path, in_chinese, chinese_error):
    args, env = in_chinese
    result = grader("list", "--workspace", str(tmp_path / "nowhere"), *args, env=env)
    assert chinese_error(result) == f"错误：工作区 {tmp_path / 'nowhere'} 不存在，或者不是文件夹"
