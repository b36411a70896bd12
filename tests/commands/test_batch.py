"""``grader batch``: plain .py submissions to a CSV, resumably; usage errors.

(The nbgrader mode is tested end to end in tests/course/test_nbgrader_e2e.py.)
"""

import csv

import pytest

from grader import paths

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()


def make_class(root, answers):
    for student, text in answers.items():
        folder = root / "submissions" / student / "exercise-04"
        folder.mkdir(parents=True)
        if text is not None:
            (folder / "net.py").write_text(text)


@pytest.mark.slow
def test_plain_submissions_are_graded_into_a_csv_and_not_twice(grader, tmp_path):
    make_class(tmp_path, {"alice": REFERENCE, "bob": STUB, "carl": None})
    (tmp_path / "submissions" / "alice" / "exercise-99").mkdir()
    first = grader("batch", str(tmp_path), "--jobs", "2", "--seed", "3", "--time-limit", "10", "--no-progress")
    assert first.code == 0, first.stdout + first.stderr
    assert "graded 3, already recorded 0" in first.stdout
    assert "alice/exercise-99: not an exercise of the kit, ignored" in first.stdout
    with (tmp_path / "grades.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert {s: rows[s]["exercise-04"] for s in rows} == {"alice": "10", "bob": "0", "carl": "0"}
    assert rows["alice"]["max_total"] == "10"
    bob = (tmp_path / "feedback" / "bob.md").read_text()
    assert "**Total: 0/10**" in bob and "shape '[-1, 4096]' is invalid" in bob
    assert "nothing submitted for exercise-04" in (tmp_path / "feedback" / "carl.md").read_text()

    again = grader("batch", str(tmp_path), "--no-progress")  # the seed is kept from the first run
    assert again.code == 0 and "graded 0, already recorded 3" in again.stdout, again.stdout + again.stderr


def test_usage_errors_exit_2(grader, tmp_path):
    assert grader("batch", str(tmp_path / "missing")).code == 2
    nothing = grader("batch", str(tmp_path))
    assert nothing.code == 2 and "no submissions/ folder" in nothing.stderr
    assert grader("batch", str(tmp_path), "--jobs", "0").code == 2
    not_a_course = grader("batch", str(tmp_path), "ps1")
    assert not_a_course.code == 2 and "grader course build" in not_a_course.stderr
    assert grader("batch", str(tmp_path), "ps1", "--seed", "3").code == 2
