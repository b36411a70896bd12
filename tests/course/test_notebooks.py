"""Course notebooks: built from the kit, and read back safely from whatever a student submits."""

import json

import nbformat
import pytest

from grader import paths
from grader.course import catalog
from grader.course.build.nbgrader_ext import ClearSolutionsWithStarter, generate_assignment_preprocessors
from grader.course.notebooks import (
    GradingPlan,
    UnreadableNotebook,
    build_notebook,
    extract_solutions,
    module_source,
    read_notebook,
)
from grader.registry import load_registry

STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()
REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()


@pytest.fixture(scope="module")
def exercise():
    return load_registry().get("exercise-04")


@pytest.fixture(scope="module")
def source(exercise):
    return build_notebook(exercise, catalog.checks(exercise), seed=5, time_limit=4.0)


def test_checks_are_collected_with_registry_points(exercise):
    checks = catalog.checks(exercise)
    assert sum(c.points for c in checks) == exercise.points
    assert "output_shape_for_any_batch_size[cpu]" in [c.name for c in checks]


def test_notebook_cells_and_plan(source, exercise):
    plan = GradingPlan.from_metadata(source.metadata["grader"])
    assert plan.solutions == {"solution_net": "net.py"} and plan.seed == 5 and plan.time_limit == 4.0
    assert sum(plan.points.values()) == exercise.points
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in source.cells}
    solution = by_id["solution_net"]
    assert solution.source.startswith("%%writefile net.py\n### BEGIN SOLUTION\n")
    assert solution.source.endswith("### END SOLUTION") and "64 * 7 * 7" in solution.source
    assert solution.metadata["grader"]["starter"] == STUB.rstrip("\n")
    for grade_id, check in plan.checks.items():
        cell = by_id[grade_id]
        assert cell.metadata["nbgrader"]["points"] == plan.points[grade_id]
        assert cell.metadata["nbgrader"]["locked"] and cell.metadata["nbgrader"]["grade"]
        hidden = cell.source.split("### BEGIN HIDDEN TESTS\n")[1]
        assert repr(check) in hidden and "seed=5" in hidden and hidden.endswith("### END HIDDEN TESTS")
    assert nbformat.validate(source) is None


def test_released_cell_gets_the_stub(source):
    from nbgrader.preprocessors import ClearSolutions

    assert ClearSolutionsWithStarter in generate_assignment_preprocessors()
    assert ClearSolutions not in generate_assignment_preprocessors()
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    cleared, _ = ClearSolutionsWithStarter().preprocess(nb, {})
    solution = next(c for c in cleared.cells if c.metadata["nbgrader"]["solution"])
    assert solution.source == "%%writefile net.py\n" + STUB.rstrip("\n")
    assert "grader" not in solution.metadata


def test_module_source_drops_only_the_writefile_line():
    assert module_source("%%writefile net.py\nx = 1") == "x = 1\n"
    assert module_source("  %%writefile  net.py  \nx = 1\n") == "x = 1\n"
    assert module_source("x = 1\n%%writefile net.py") == "x = 1\n%%writefile net.py\n"


def test_extract_matches_by_grade_id_and_unflagged_copies_are_ordinary_cells(source):
    plan = GradingPlan.from_metadata(source.metadata["grader"])
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    solution = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "solution_net")
    solution.source = "%%writefile net.py\nanswer = 1"
    decoy_markdown = nbformat.v4.new_markdown_cell("answer = 3", metadata={"nbgrader": {"grade_id": "solution_net"}})
    duplicate = nbformat.v4.new_code_cell("answer = 2", metadata={"nbgrader": {"grade_id": "solution_net"}})
    nb.cells.insert(0, decoy_markdown)
    nb.cells.append(duplicate)
    assert extract_solutions(nb, plan) == {"net.py": "answer = 1\n"}
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.source != "%%writefile net.py\nanswer = 1"]
    nb.cells = [c for c in nb.cells if c is not duplicate]
    assert extract_solutions(nb, plan) == {"net.py": None}  # the solution cell was deleted


def test_of_duplicate_solution_cells_the_last_wins_as_in_nbgraders_deduplicate_ids(source):
    plan = GradingPlan.from_metadata(source.metadata["grader"])
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    solution = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "solution_net")
    solution.source = "%%writefile net.py\nanswer = 1"
    nb.cells.append(nbformat.v4.new_code_cell("%%writefile net.py\nanswer = 2",
                                              metadata={"nbgrader": dict(solution.metadata["nbgrader"])}))
    assert extract_solutions(nb, plan) == {"net.py": "answer = 2\n"}
    assert [c.source for c in nb.cells if c.metadata["nbgrader"].get("solution")][0] == "%%writefile net.py\nanswer = 1"


@pytest.mark.parametrize("data", [b"", b"{not json", b"\xff\xfe", json.dumps({"cells": 3}).encode()])
def test_unreadable_submissions_are_data(data):
    with pytest.raises(UnreadableNotebook, match="could not be read"):
        read_notebook(data)


def test_odd_but_readable_metadata_is_dropped_not_trusted(source):
    plan = GradingPlan.from_metadata(source.metadata["grader"])
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": "a = 1", "metadata": {"nbgrader": {"grade_id": 5}}, "outputs": [],
         "execution_count": None},
        {"cell_type": "code", "source": ["%%writefile net.py\n", "b = 2"], "outputs": [], "execution_count": None,
         "metadata": {"nbgrader": {"grade_id": "solution_net", "solution": True}}},
    ]}
    read = read_notebook(json.dumps(nb).encode())
    assert "nbgrader" not in read.cells[0].metadata
    assert extract_solutions(read, plan) == {"net.py": "b = 2\n"}


def test_a_chinese_class_reads_its_notebook_in_chinese_and_starts_from_the_chinese_stub(exercise, source):
    chinese = build_notebook(exercise, catalog.checks(exercise), seed=5, time_limit=4.0, lang="zh")
    intro, solution = chinese.cells[0].source, chinese.cells[1]
    assert intro.startswith(f"# 练习 04 — {exercise.title_in('zh')}") and "这个 notebook 怎样评分" in intro
    chinese_stub = (paths.EXERCISES_DIR / "exercise-04" / "net.zh.py").read_text().rstrip("\n")
    assert solution.metadata["grader"]["starter"] == chinese_stub
    assert solution.source == source.cells[1].source  # the reference is the reference, in any language
    assert GradingPlan.from_metadata(chinese.metadata["grader"]).lang == "zh"
    assert "lang" not in source.metadata["grader"]  # an English course's plan (and fingerprint) is as before
    assert "lang='zh'" in chinese.cells[-1].source  # its test cells ask for the class's language
