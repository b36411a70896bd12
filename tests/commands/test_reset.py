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
