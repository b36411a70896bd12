"""grader.runner: one grading, from the learner's folder to a report, whatever the folder holds."""

import dataclasses

import pytest

from grader.registry import load_registry
from grader.runner import DeviceUnavailable, grade, open_session, resolve_devices
from grader.sandbox import MAX_FILE_BYTES, FreshWorkers, Limits

EXERCISE = load_registry().get("exercise-04")
TWO_FILES = dataclasses.replace(EXERCISE, files=("net.py", "layers.py"))


def no_worker(*args):
    pytest.fail("a worker was started for a folder without the learner's files")


def test_a_missing_file_is_a_failed_files_present_check_worth_every_point(tmp_path):
    report = grade(EXERCISE, tmp_path, seed=5, workers=FreshWorkers(no_worker))
    assert [(t.name, t.passed, t.points, t.max_points, t.status) for t in report.tests] == \
        [("files_present", False, 0.0, 10.0, "failed")]
    assert report.tests[0].message == report.error == f"missing net.py in {tmp_path}"
    assert (report.exercise, report.seed, report.score, report.max_score, report.passed) == \
        ("exercise-04", 5, 0, EXERCISE.points, False)


def test_only_the_files_that_are_missing_are_named(tmp_path):
    (tmp_path / "net.py").write_text("")
    report = grade(TWO_FILES, tmp_path, workers=FreshWorkers(no_worker))
    assert report.error == f"missing layers.py in {tmp_path}"
    assert 0 <= report.seed < 2**31  # a fresh seed when none is given, shown so the run can be repeated


def test_a_file_over_the_one_size_limit_is_not_graded_and_the_report_says_why(tmp_path):
    (tmp_path / "net.py").write_text("x = 1\n" + "#" * MAX_FILE_BYTES)
    report = grade(EXERCISE, tmp_path, seed=5, workers=FreshWorkers(no_worker))
    assert report.error == "net.py is larger than 1 MiB, the limit for a learner's file: not graded"
    assert [(t.name, t.passed, t.points) for t in report.tests] == [("files_present", False, 0.0)]
    (tmp_path / "net.py").write_text("#" * MAX_FILE_BYTES)  # exactly at the limit: a worker is asked for

    class WorkerAsked(Exception):
        pass

    def asked(*args):
        raise WorkerAsked

    with pytest.raises(WorkerAsked):
        grade(EXERCISE, tmp_path, seed=5, workers=FreshWorkers(asked))


def test_the_worker_gets_the_exercises_limits_unless_overridden(tmp_path):
    started = []

    def remember(folder, modules, limits):
        started.append((folder, modules, limits))
        return object()

    open_session(EXERCISE, tmp_path, workers=remember)
    open_session(EXERCISE, tmp_path, workers=remember, time_limit=3.0, threads=2)
    open_session(EXERCISE, tmp_path, workers=remember, threads=0)
    default = Limits(EXERCISE.time_limit, EXERCISE.memory_limit_mb)
    assert started == [(tmp_path, ("net",), default),
                       (tmp_path, ("net",), Limits(3.0, EXERCISE.memory_limit_mb, 2)),
                       (tmp_path, ("net",), default)]


def test_devices_follow_the_requested_mode():
    import torch

    assert resolve_devices("cpu") == ["cpu"]
    assert resolve_devices("auto") == (["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
    if torch.cuda.is_available():
        assert resolve_devices("cuda") == ["cuda"]
    else:
        with pytest.raises(DeviceUnavailable, match="--device cuda: CUDA is not available on this machine"):
            resolve_devices("cuda")


def test_a_module_with_a_syntax_error_scores_nothing_and_every_check_says_where(grade_files):
    report = grade_files("exercise-04", {"net.py": "import torch\n\ndef broken(:\n"})
    assert report.score == 0 and not report.passed and report.error is None
    for check in report.tests:
        assert not check.passed, check.name
        assert "SyntaxError" in check.message and "net.py, line 3" in check.message, check.message
