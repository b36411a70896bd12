"""Per-student Markdown feedback: each check on one line, written for both batch modes."""

from types import SimpleNamespace

from grader.course.batch.feedback import render, write_files_feedback
from grader.course.store import Store

REPORT = {"seed": 3, "isolation": "bubblewrap", "error": None, "tests": [
    {"name": "shape[cpu]", "passed": True, "points": 2.0, "max_points": 2.0, "message": "", "status": "passed"},
    {"name": "logits[cpu]", "passed": False, "points": 0.0, "max_points": 1.0, "status": "failed",
     "message": "all | logits >= 0\nsecond line"},
]}


def test_feedback_lists_each_check_on_one_line():
    text = render("ps1: feedback for carol", [("exercise-04 — Fix the Net", REPORT, 3.0),
                                              ("exercise-06 — Loss", {"error": "loss.ipynb was not submitted",
                                                                      "tests": []}, 10.0)])
    assert "**Total: 2/13**" in text
    assert "## exercise-04 — Fix the Net: 2/3" in text
    assert "| ✗ | logits[cpu] | 0/1 | all \\| logits >= 0 second line |" in text
    assert "Could not grade: loss.ipynb was not submitted" in text


def test_plain_feedback_has_one_file_per_student_with_every_exercise(tmp_path):
    store = Store(tmp_path / "store")
    store.save("dan", "exercise-04", {"report": REPORT})
    exercises = [SimpleNamespace(id="exercise-04", title="Fix the Net", points=3),
                 SimpleNamespace(id="exercise-06", title="Loss", points=10)]
    folder = write_files_feedback(tmp_path, exercises, store, ["dan"])
    text = (folder / "dan.md").read_text()
    assert "# Feedback for dan" in text and "**Total: 2/13**" in text
    assert "## exercise-06 — Loss: 0/10" in text and "Could not grade: not graded yet" in text


def test_feedback_flags_a_submission_that_reached_into_the_grader_process():
    flagged = dict(REPORT, review=["changed the grader process's resource limits (RLIMIT_DATA unlimited → 64)"])
    text = render("ps1: feedback for mallory", [("exercise-04 — Fix the Net", flagged, 3.0)])
    assert "**Flagged for the instructor's review**" in text and "RLIMIT_DATA" in text
    assert "Flagged" not in render("ps1: feedback for carol", [("exercise-04 — Fix the Net", REPORT, 3.0)])


def test_a_chinese_class_reads_the_checks_titles_and_messages_in_chinese():
    translated = REPORT | {"translated": {"lang": "zh", "error": None, "tests": [
        {"name": "shape[cpu]", "title": "形状 [cpu]", "message": ""},
        {"name": "logits[cpu]", "title": "原始 logits [cpu]", "message": "320 个 logits 都 >= 0"}]}}
    text = render("ps1：给 carol 的反馈", [("exercise-04 — 修好 Net", translated, 3.0)], "zh")
    assert "**总分：2/3**" in text and "| | 检查项 | 得分 | 原因 |" in text
    assert "| ✗ | 原始 logits [cpu] | 0/1 | 320 个 logits 都 >= 0 |" in text
