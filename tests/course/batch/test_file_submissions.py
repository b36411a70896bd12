"""Plain .py submissions found on disk: what is graded, what scores 0 without grading, what is ignored."""

from grader.course.batch import file_submissions
from grader.registry import load_registry


def test_folders_become_submissions_and_strangers_are_reported(tmp_path):
    (tmp_path / "ann" / "exercise-04").mkdir(parents=True)
    (tmp_path / "ann" / "exercise-04" / "net.py").write_text("x = 1\n")
    (tmp_path / "ann" / "exercise-99").mkdir()
    (tmp_path / "ben").mkdir()
    (tmp_path / ".git").mkdir()
    found, exercises, warnings = file_submissions.submissions(tmp_path, load_registry(), None, seed=4,
                                                              time_limit=None)
    assert [ex.id for ex in exercises] == ["exercise-04"]
    assert warnings == ["ann/exercise-99: not an exercise of the kit, ignored"]
    by_student = {sub.student: sub for sub in found}
    assert set(by_student) == {"ann", "ben"}
    assert by_student["ann"].ready is None and dict(by_student["ann"].task.files) == {"net.py": "x = 1\n"}
    assert by_student["ben"].ready["error"] == "nothing submitted for exercise-04"
    assert by_student["ann"].settings_sha == by_student["ben"].settings_sha != by_student["ann"].submission_sha
