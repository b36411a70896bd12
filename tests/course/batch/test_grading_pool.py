"""grader.course.batch.pool: one submission in, plain data out."""

from grader.course.batch import pool


def test_a_submission_without_its_file_scores_zero_and_says_which_file(monkeypatch):
    monkeypatch.setenv("GRADER_BATCH_ZYGOTE", "0")  # no sandbox is needed to find a file missing
    task = pool.GradeTask("exercise-04", (("net.py", None),), seed=3, time_limit=None)
    result = pool.grade_task(task)
    assert [t["name"] for t in result["tests"]] == ["files_present"]
    assert result["tests"][0]["points"] == 0 and "missing net.py" in result["error"]
    assert result["seed"] == 3 and result["wall_s"] >= 0
