"""Writing into nbgrader's real SQLite gradebook, as `nbgrader generate_assignment` laid it out."""

import json

import nbformat
import pytest

from grader.course import catalog
from grader.course.build import build_course
from grader.course.gradebook import (Gradebook, autograded_notebook, load_coursedir, no_response, scores_for,
                                     submitted_students)
from grader.course.notebooks import GradingPlan
from grader.registry import load_registry


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from nbgrader.apps import NbGraderAPI

    root = tmp_path_factory.mktemp("gradebook") / "course"
    exercise = load_registry().get("exercise-04")
    build_course(root, "ps1", [exercise], seed=3)
    coursedir = load_coursedir(root)
    result = NbGraderAPI(coursedir=coursedir, config=coursedir.config).generate_assignment("ps1")
    assert result["success"], result.get("error")
    released = nbformat.read(root / "release" / "ps1" / "exercise-04.ipynb", as_version=4)
    plan = GradingPlan.from_metadata(nbformat.read(root / "source" / "ps1" / "exercise-04.ipynb", 4).metadata["grader"])
    return coursedir, released, plan


def report_failing(plan, *names):
    tests = [{"name": check, "passed": check not in names, "points": 0.0 if check in names else plan.points[gid],
              "max_points": plan.points[gid], "message": "boom" if check in names else ""}
             for gid, check in plan.checks.items()]
    return {"tests": tests, "error": None}


def test_config_is_nbgraders(course):
    coursedir, _, _ = course
    assert coursedir.course_id == "pytorch-kit"
    assert coursedir.db_url.endswith("course/gradebook.db")


def test_scores_are_recorded_where_nbgrader_reads_them(course):
    from nbgrader.api import Gradebook as NbGradebook

    coursedir, released, plan = course
    book = Gradebook(coursedir)
    try:
        assert book.has_assignment("ps1", ["exercise-04"]) and not book.has_assignment("ps1", ["exercise-99"])
        scores = scores_for(plan, report_failing(plan, "returns_raw_logits[cpu]"))
        comments = no_response(plan, released, book.source_cells("ps1", "exercise-04"))
        assert comments == {"solution_net": "No response."}  # the released stub, untouched
        book.record("ps1", "alice", "exercise-04", scores, comments)
        assert book.recorded("ps1", "alice", "exercise-04", scores) == scores
    finally:
        book.close()
    with NbGradebook(coursedir.db_url, coursedir.course_id) as gb:
        submission = gb.find_submission("ps1", "alice")
        assert submission.score == 9.0 and submission.max_score == 10.0
        assert not submission.needs_manual_grade


def test_a_manual_score_is_kept_for_review(course):
    from nbgrader.api import Gradebook as NbGradebook

    coursedir, _, plan = course
    grade_id = next(iter(plan.checks))
    book = Gradebook(coursedir)
    try:
        book.record("ps1", "bob", "exercise-04", {grade_id: 0.0}, {})
        book.gb.find_grade(grade_id, "exercise-04", "ps1", "bob").manual_score = 1.5
        book.gb.db.commit()
        book.record("ps1", "bob", "exercise-04", {grade_id: 2.0}, {})
        grade = book.gb.find_grade(grade_id, "exercise-04", "ps1", "bob")
        assert grade.auto_score == 2.0 and grade.manual_score == 1.5 and grade.needs_manual_grade
    finally:
        book.close()
    with NbGradebook(coursedir.db_url, coursedir.course_id) as gb:
        assert gb.find_grade(grade_id, "exercise-04", "ps1", "bob").score == 1.5


def test_autograded_notebook_restores_locked_cells_and_shows_verdicts(course):
    coursedir, released, plan = course
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    for cell in nb.cells:
        meta = cell.metadata["nbgrader"]
        if meta.get("grade"):
            cell.source, meta["points"] = "pass", 50
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade_id": "made_up", "grade": True}}))
    book = Gradebook(coursedir)
    try:
        cells = book.source_cells("ps1", "exercise-04")
    finally:
        book.close()
    graded = autograded_notebook(nb, plan, report_failing(plan, "samples_do_not_mix[cpu]"), cells)
    tests = [c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(tests) == len(plan.checks)
    assert all("expect_check" in c.source for c in tests)
    assert sum(c.metadata["nbgrader"]["points"] for c in tests) == 10
    failed = [c for c in tests if c.outputs[0]["output_type"] == "error"]
    assert [c.outputs[0]["evalue"] for c in failed] == ["boom"]
    assert "nbgrader" not in graded.cells[-1].metadata  # an id the gradebook does not know


def test_students_are_found_through_the_directory_structure(course, tmp_path):
    coursedir, _, _ = course
    root = __import__("pathlib").Path(coursedir.root)
    for student in ("zoe", "yan"):
        (root / "submitted" / student / "ps1").mkdir(parents=True, exist_ok=True)
    (root / "submitted" / "yan" / "other").mkdir(parents=True, exist_ok=True)
    assert set(submitted_students(coursedir, "ps1")) == {"zoe", "yan"}
    assert set(submitted_students(coursedir, "other")) == {"yan"}


def test_check_cells_cover_the_registry_points():
    exercise = load_registry().get("exercise-04")
    assert sum(c.points for c in catalog.checks(exercise)) == exercise.points


def test_a_rebuilt_course_not_yet_released_is_noticed(course):
    import dataclasses

    coursedir, _, plan = course
    changed = dataclasses.replace(plan, checks={**plan.checks, "check_new_one": "new_one[cpu]"})
    book = Gradebook(coursedir)
    try:
        assert book.mismatches("ps1", {"exercise-04": plan}) == []
        assert book.mismatches("ps1", {"exercise-04": changed}) == ["exercise-04/check_new_one"]
    finally:
        book.close()
