"""catalog.fingerprint changes whenever something that decides an exercise's verdicts does."""

import shutil

import pytest

from grader import paths
from grader.course import catalog


@pytest.fixture
def solutions(tmp_path, monkeypatch):
    """A copy of the solutions of exercises 04 to 06, which the fingerprint then reads."""
    copy = tmp_path / "solutions"
    for exercise_id in ("exercise-04", "exercise-05", "exercise-06"):
        shutil.copytree(paths.SOLUTIONS_DIR / exercise_id, copy / exercise_id)
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", copy)
    return copy


def edit(path):
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def test_exercise_05s_checks_declare_that_they_read_exercise_04s_solution():
    assert catalog.other_solutions(paths.CHECKS_DIR / "exercise_05.py") == ("exercise-04",)
    assert catalog.other_solutions(paths.CHECKS_DIR / "exercise_06.py") == ()


def test_editing_exercise_04s_solution_changes_exercise_05s_fingerprint(solutions, registry):
    exercise = registry.get("exercise-05")
    before = catalog.fingerprint(exercise)
    edit(solutions / "exercise-04" / "net.py")
    assert catalog.fingerprint(exercise) != before


def test_editing_a_solution_no_check_reads_leaves_the_fingerprint(solutions, registry):
    exercise = registry.get("exercise-05")
    before = catalog.fingerprint(exercise)
    edit(solutions / "exercise-06" / "loss.py")
    assert catalog.fingerprint(exercise) == before
    edit(solutions / "exercise-05" / "sequential.py")
    assert catalog.fingerprint(exercise) != before
