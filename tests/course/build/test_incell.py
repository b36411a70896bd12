"""What an nbgrader test cell runs: read this notebook's code, grade once, assert one check."""

import nbformat
import pytest

from grader.course.build import incell

SOLUTIONS = {"solution_net": "net.py"}
REPORT = {"error": None, "tests": [
    {"name": "shape[cpu]", "passed": True, "points": 2.0, "message": ""},
    {"name": "logits[cpu]", "passed": False, "points": 0.0, "message": "all 320 logits are >= 0"},
]}


@pytest.fixture
def graded(monkeypatch, tmp_path):
    """Run in an empty folder, with the engine replaced by a recorder returning REPORT."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(incell, "_reports", {})
    calls = []

    def fake_grade(exercise, contents, **options):
        calls.append(contents)
        return REPORT

    monkeypatch.setattr(incell, "_grade", fake_grade)
    return calls


def write_notebook(code: str):
    cell = nbformat.v4.new_code_cell(code, metadata={"nbgrader": {"grade_id": "solution_net", "solution": True}})
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), "exercise-04.ipynb")


def check(name):
    incell.expect_check("exercise-04", name, notebook="exercise-04.ipynb", solutions=SOLUTIONS, seed=1)


def test_code_comes_from_the_notebook_and_is_graded_once(graded, capsys):
    write_notebook("%%writefile net.py\nclass Net: ...")
    (__import__("pathlib").Path("net.py")).write_text("stale = True\n")  # %%writefile output is not used
    check("shape[cpu]")
    with pytest.raises(incell.CheckFailed, match="all 320 logits are >= 0"):
        check("logits[cpu]")
    assert graded == [{"net.py": "class Net: ...\n"}]
    out = capsys.readouterr()
    assert out.out == "passed: shape[cpu] (2 points)\n" and out.err == ""


def test_a_check_missing_from_the_report_fails(graded):
    write_notebook("x = 1")
    with pytest.raises(incell.CheckFailed, match="nope.*not run"):
        check("nope")


def test_without_the_notebook_the_saved_module_is_used(graded):
    (__import__("pathlib").Path("net.py")).write_text("saved = True\n")
    check("shape[cpu]")
    assert graded == [{"net.py": "saved = True\n"}]


def test_no_code_at_all_fails_before_grading(graded):
    with pytest.raises(incell.CheckFailed, match="no code for net.py"):
        check("shape[cpu]")
    assert graded == []
