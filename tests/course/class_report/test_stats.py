"""The class report's pure parts: normalised messages, review flags, statistics (no grading, no nbgrader)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from grader.course.class_report import stats
from grader.course.class_report.data import CheckResult, ClassData, NotebookInfo, NotebookResult, StudentResult
from grader.course.class_report.failure_text import normalise
from grader.course.class_report.review_flags import kind_of, notebook_flags, report_flags


@pytest.mark.parametrize("first, second", [
    ("your code: RuntimeError: shape '[-1, 4096]' is invalid for input of size 3136 [net.py:33 in forward]",
     "your code: RuntimeError: shape '[-1, 4096]' is invalid for input of size 12544 [net.py:33 in forward]"),
    ("Net()(x) for x of shape (64, 1, 28, 28) has shape (49, 10), expected (64, 10)",
     "Net()(x) for x of shape (3, 1, 28, 28) has shape (1, 7), expected (3, 10)"),
    ("Net() has 6,362,762 parameters; the budget is 2,000,000", "Net() has 912 parameters; the budget is 2,000,000"),
    ("logits differ by 0.379 (tensor([[0.1, -2.5e-3], [nan, inf]]))", "logits differ by 12 (tensor([1.5]))"),
    ("expected torch.Size([4, 10]), got torch.Size([4])", "expected torch.Size([8, 10]), got torch.Size([8, 3, 2])"),
    ("timed out after 5 s of CPU time", "timed out after 10 s of CPU time"),
    ("object at 0x7f3a2c10 in /tmp/grader-batch-abc/exercise-04/net.py",
     "object at 0x55aa in /tmp/grader-batch-xyz/exercise-04/net.py"),
])
def test_random_numbers_and_shapes_do_not_split_one_cause(first, second):
    assert normalise(first) == normalise(second)


@pytest.mark.parametrize("first, second", [
    ("all 320 logits are >= 0: is there a ReLU", "samples are being mixed"),
    ("NameError: name 'fc2' is not defined", "NameError: name 'fc1' is not defined"),  # names stay
    ("exercise-04 failed", "exercise-06 failed"),
])
def test_different_causes_stay_apart(first, second):
    assert normalise(first) != normalise(second)


def test_normalised_text_keeps_words_calls_and_hints():
    assert normalise("flatten with x.flatten(1) so the  batch\nsurvives; float32 fc2") == \
        "flatten with x.flatten(<n>) so the batch survives; float32 fc2"
    assert normalise("shape (64, 1, 28, 28) vs [[1, 2], [3, 4]]") == "shape (…) vs […]"


@pytest.mark.parametrize("message, kind", [
    ("your code: timed out after 5 s of CPU time while importing net.py (infinite loop?)", "timeout"),
    ("your code: the process running your code exited with status 0 while running net_forward", "crash"),
    ("your code: the process running your code was killed by SIGKILL while running net_forward", "crash"),
    ("the grading process died (BrokenProcessPool)", "crash"),
    ("your code: MemoryError: the sandbox's memory limit was reached", "memory"),
    ("the worker sent 99999999 bytes while running x; the limit is 1000", "output"),
    ("the worker sent a malformed reply while running net_forward (tampering?)", "tampering"),
    ("your code: FileNotFoundError: [Errno 2] No such file or directory: '/kit/solutions/exercise-04/net.py'",
     "reference"),
    ("your code: ModuleNotFoundError: No module named 'grader'", "reference"),
    ("all 320 logits are >= 0: is there a ReLU", None),
])
def test_kind_of_a_sandbox_message(message, kind):
    assert kind_of(message) == kind


def test_report_flags_once_per_kind_and_output_floods():
    report = {"error": None, "output": "x\n[... output truncated: 9000000 bytes in all, first 4096 shown]",
              "tests": [{"name": "a", "passed": False, "message": "your code: timed out after 5 s of CPU time"},
                        {"name": "b", "passed": False, "message": "your code: timed out after 5 s of CPU time"},
                        {"name": "c", "passed": True, "message": ""}]}
    flags = report_flags(report)
    assert [(f.kind, f.check) for f in flags] == [("timeout", "a"), ("output", "")]
    assert "9000000 bytes" in flags[1].detail
    assert report_flags({"tests": [{"name": "a", "passed": False, "message": "wrong answer"}]}) == []


def _cell(source, **meta):
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta} if meta else {})


def test_notebook_flags_edited_tests_torch_patches_and_grader_code():
    released = {"check_a": "expect_check('a')", "check_b": "expect_check('b')"}
    honest = nbformat.v4.new_notebook(cells=[
        _cell("%%writefile net.py\nimport torch\n# grader check exercise-04\nx = torch.zeros(1)",
              grade_id="net", solution=True),
        _cell("expect_check('a')", grade_id="check_a", grade=True), _cell("expect_check('b')", grade_id="check_b")])
    assert notebook_flags(honest, released, {"check_a", "check_b"}) == []
    hostile = nbformat.v4.new_notebook(cells=[
        _cell("%%writefile net.py\nimport torch\ntorch.allclose = lambda *a, **k: True\n", grade_id="net",
              solution=True),
        _cell("import grader.course.build.incell as helper\nhelper.expect_check = lambda *a: None"),
        _cell("pass", grade_id="check_a", grade=True), _cell("expect_check('b')", grade_id="check_b")])
    flags = {f.kind: f.detail for f in notebook_flags(hostile, released, {"check_a", "check_b"})}
    assert flags == {"tampering": "the code replaces part of torch: torch.allclose =",
                     "edited-tests": "1 locked test cell(s) edited: check_a",
                     "grader-code": "a cell uses the kit's grading code: import grader.course.build.incell as helper"}


def test_distribution_quartiles_and_histogram():
    dist = stats.distribution([0, 0, 7, 9, 9, 10, 0, 0], 10)
    assert (dist["mean"], dist["median"], dist["q1"], dist["q3"]) == (4.375, 3.5, 0.0, 9.0)
    assert dist["histogram"]["edges"] == [float(i) for i in range(12)]  # a bar per point, full marks included
    assert dist["histogram"]["counts"] == [4, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1]
    assert stats.distribution([], 10)["median"] is None
    assert stats.distribution([3.5], 10)["q1"] == 3.5


def test_histogram_of_many_points_has_at_most_twenty_bins():
    hist = stats.histogram([0, 49.5, 100, 100], 100)
    assert len(hist["counts"]) == 20 and hist["edges"][-1] == 100
    assert hist["counts"][0] == 1 and hist["counts"][9] == 1 and hist["counts"][-1] == 2


def _class(outcomes: dict[str, list[tuple[str, str]]]) -> ClassData:
    """A class of one notebook with checks a (2 points) and b (1 point); outcomes: student -> [(status, message)]."""
    info = NotebookInfo("nb", "exercise-04", "Fix the Net", [("check_a", "a", 2.0), ("check_b", "b", 1.0)])
    students = []
    for student, results in outcomes.items():
        checks = [CheckResult(gid, name, pts, pts if status == "passed" else 0.0, status, message)
                  for (gid, name, pts), (status, message) in zip(info.checks, results)]
        record = {"report": {"wall_s": 2.5, "tests": []}}
        students.append(StudentResult(student, {"nb": NotebookResult("nb", sum(c.points for c in checks), 3.0,
                                                                       checks, record)}, [Path("/c/fb.md")]))
    return ClassData(Path("/c"), "ps1", {"nb": info}, students)


def test_check_failures_share_and_top_three_normalised_messages():
    data = _class({
        "s1": [("failed", "size 3136"), ("passed", "")],
        "s2": [("failed", "size 12544"), ("passed", "")],
        "s3": [("failed", "boom"), ("failed", "x")],
        "s4": [("failed", "crash"), ("not graded", "")],
        "s5": [("failed", "zap"), ("passed", "")],
    })
    rows = stats.check_failures(data)
    assert [(r["check"], r["failed"], r["graded"], r["share"]) for r in rows] == [("a", 5, 5, 1.0), ("b", 1, 4, 0.25)]
    top = rows[0]["top_messages"]
    assert [(m["message"], m["count"]) for m in top] == [("size <n>", 2), ("boom", 1), ("crash", 1)]
    assert top[0]["example"] == "size 3136"


def test_summary_students_and_scores():
    summary = stats.summarise(_class({"s1": [("passed", ""), ("passed", "")],
                                            "s2": [("failed", "no"), ("passed", "")]}))
    assert [(s["student"], s["score"], s["wall_s"]) for s in summary["students"]] == [("s1", 3.0, 2.5),
                                                                                      ("s2", 1.0, 2.5)]
    assert summary["scores"]["assignment"]["mean"] == 2.0 and summary["max_score"] == 3.0
    assert summary["flagged"] == []


def test_a_submission_that_reached_into_the_grader_process_is_flagged_with_what_it_tried():
    review = ["sent a signal to the grader process (SIGUSR1)",
              "graded again on a fresh worker, and only that grade kept"]
    flags = report_flags({"tests": [{"name": "a", "passed": True, "message": ""}], "review": review})
    assert [(f.kind, f.label) for f in flags] == [("grader-process", "reached into the grader process")]
    assert "SIGUSR1" in flags[0].detail and "fresh worker" in flags[0].detail
    assert report_flags({"tests": [{"name": "a", "passed": True, "message": ""}]}) == []
