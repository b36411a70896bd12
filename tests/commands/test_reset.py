"""``grader reset``: restores the shipped stub, never discarding work silently."""

from grader import paths

STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()


def test_yes_restores_the_stub(grader, make_workspace):
    workspace = make_workspace("exercise-04")  # holds the reference, i.e. the learner's edits
    result = grader("reset", "exercise-04", "-w", str(workspace), "--yes")
    assert result.code == 0
    assert (workspace / "exercise-04" / "net.py").read_text() == STUB


def test_changes_are_kept_without_confirmation(grader, make_workspace):
    workspace = make_workspace("exercise-04")
    before = (workspace / "exercise-04" / "net.py").read_text()
    result = grader("reset", "exercise-04", "-w", str(workspace))  # no terminal to ask on
    assert result.code == 2 and "--yes" in result.stderr
    assert (workspace / "exercise-04" / "net.py").read_text() == before


def test_missing_file_is_recreated(grader, tmp_path):
    result = grader("reset", "exercise-04", "-w", str(tmp_path))
    assert result.code == 0
    assert (tmp_path / "exercise-04" / "net.py").read_text() == STUB


def test_reset_speaks_the_workspace_language(grader, make_workspace, chinese_error, chinese_text):
    from grader import marker

    workspace = make_workspace("exercise-04")
    (workspace / marker.MARKER).write_text(marker.text(lang="zh", kit_version="test"))
    refused = grader("reset", "exercise-04", "-w", str(workspace))
    assert chinese_error(refused, "net.py") == "错误：net.py 有改动；要丢弃这些改动，请加上 `--yes`"
    done = grader("reset", "exercise-04", "-w", str(workspace), "--yes")
    assert done.code == 0 and done.stdout == "exercise-04 已恢复为原始的起始代码（net.py）。\n"
    chinese_text(done.stdout, "net.py")
    unknown = grader("reset", "exercise-99", "-w", str(workspace))
    chinese_error(unknown, "'exercise-99'")


def test_a_chinese_locale_without_a_workspace_language(grader, make_workspace, chinese_error, chinese_locale):
    result = grader("reset", "exercise-04", "-w", str(make_workspace("exercise-04")), env=chinese_locale)
    chinese_error(result, "net.py")


def test_refusal_in_english_is_as_it_always_was(grader, make_workspace):
    result = grader("reset", "exercise-04", "-w", str(make_workspace("exercise-04")))
    assert (result.code, result.stderr) == (2, "error: net.py has changes; pass --yes to discard them\n")
