"""nbgrader's autograde pipeline with the sandbox's verdicts: grades land where nbgrader reads them."""

import json
from types import SimpleNamespace

import nbformat

from grader.course import gradebook
from grader.course.batch.autograde import GradebookSink, autograde, pipeline, scores_for
from grader.course.notebooks import read_notebook

from course_helpers import report_failing


def graded(course, nb, report, student):
    coursedir, _, plan = course
    gradebook.add_submission(coursedir, "ps1", student)
    return autograde(nb, plan, report, coursedir=coursedir, assignment="ps1", student=student,
                     notebook="exercise-04")


def test_the_pipeline_is_nbgraders_with_the_sandbox_for_execute(course):
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, OverwriteCells, SaveAutoGrades

    steps = pipeline(course[0].config)
    assert Execute not in steps and SaveAutoGrades in steps
    assert steps.index(OverwriteCells) < steps.index(SaveAutoGrades)
    assert len(steps) == sum(len(Autograde.class_traits()[name].default())
                             for name in ("sanitize_preprocessors", "autograde_preprocessors")) + 1


def test_scores_are_recorded_where_nbgrader_reads_them(course):
    from nbgrader.api import Gradebook as NbGradebook

    coursedir, released, plan = course
    scores = scores_for(plan, report_failing(plan, "returns_raw_logits[cpu]"))
    graded(course, released, report_failing(plan, "returns_raw_logits[cpu]"), "alice")
    assert gradebook.recorded(coursedir, "ps1", "alice", "exercise-04", scores) == scores
    with NbGradebook(coursedir.db_url, coursedir.course_id) as gb:
        comment = gb.find_comment("solution_net", "exercise-04", "ps1", "alice").auto_comment
        assert comment == "No response."  # the released stub, untouched
        submission = gb.find_submission("ps1", "alice")
        assert submission.score == 9.0 and submission.max_score == 10.0
        assert not submission.needs_manual_grade


def test_a_manual_score_is_kept_for_review(course):
    from nbgrader.api import Gradebook as NbGradebook

    coursedir, released, plan = course
    grade_id = next(gid for gid in plan.checks if plan.points[gid] == 2)
    graded(course, released, report_failing(plan, plan.checks[grade_id]), "bob")
    with NbGradebook(coursedir.db_url, coursedir.course_id) as gb:
        gb.find_grade(grade_id, "exercise-04", "ps1", "bob").manual_score = 1.5
        gb.db.commit()
    graded(course, released, report_failing(plan), "bob")
    with NbGradebook(coursedir.db_url, coursedir.course_id) as gb:
        grade = gb.find_grade(grade_id, "exercise-04", "ps1", "bob")
        assert grade.auto_score == 2.0 and grade.manual_score == 1.5 and grade.needs_manual_grade
        assert grade.score == 1.5


def test_autograded_notebook_restores_locked_cells_and_shows_verdicts(course):
    _, released, plan = course
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    for cell in nb.cells:
        meta = cell.metadata["nbgrader"]
        if meta.get("grade"):
            cell.source, meta["points"] = "pass", 50
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade_id": "made_up", "grade": True}}))
    nb = read_notebook(nbformat.writes(nb).encode())  # as the batch reads a submission
    result = graded(course, nb, report_failing(plan, "samples_do_not_mix[cpu]"), "carl")
    tests = [c for c in result.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(tests) == len(plan.checks)
    assert all("expect_check" in c.source for c in tests)
    assert sum(c.metadata["nbgrader"]["points"] for c in tests) == 10
    failed = [c for c in tests if c.outputs[0]["output_type"] == "error"]
    assert [c.outputs[0]["evalue"] for c in failed] == ["boom"]
    assert "nbgrader" not in result.cells[-1].metadata  # an id the gradebook does not know


def test_duplicate_ids_keep_the_last_cell_as_nbgrader_does(course):
    _, released, plan = course
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    solution = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "solution_net")
    nb.cells.append(nbformat.from_dict(json.loads(json.dumps(solution))))
    nb.cells[-1].id, nb.cells[-1].source = "copied", "%%writefile net.py\nlast = True"
    result = graded(course, read_notebook(nbformat.writes(nb).encode()), report_failing(plan), "dora")
    kept = [c for c in result.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "solution_net"]
    assert [c.source for c in kept] == ["%%writefile net.py\nlast = True"]


def test_sink_records_grades_of_a_notebook_nbgrader_cannot_read(course):
    coursedir, released, plan = course
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    check = next(c for c in nb.cells if c.metadata["nbgrader"].get("grade"))
    nb.cells.remove(check)  # a deleted check cell: nbgrader would record no grade for it
    report = report_failing(plan, "samples_do_not_mix[cpu]")
    folder = __import__("pathlib").Path(coursedir.root) / "submitted" / "erin" / "ps1"
    sub = SimpleNamespace(student="erin", item="exercise-04",
                          context={"plan": plan, "notebook": nb, "folder": folder, "timestamp": None})
    sink = GradebookSink(coursedir, "ps1")
    sink.record(sub, report)
    assert gradebook.recorded(coursedir, "ps1", "erin", "exercise-04", plan.checks) == scores_for(plan, report)
    assert not sink.ensure(sub, report)
    missing = SimpleNamespace(student="fay", item="exercise-04", context={"plan": plan, "folder": folder})
    assert sink.ensure(missing, report)  # graded before, lost from the gradebook: written again
    assert gradebook.recorded(coursedir, "ps1", "fay", "exercise-04", plan.checks) == scores_for(plan, report)


def test_the_course_config_sets_the_lists_as_for_nbgrader_autograde():
    from nbgrader.preprocessors import ClearOutput, Execute, LimitOutput
    from traitlets.config import Config

    from grader.course.batch.autograde import ShowVerdicts

    config = Config()
    config.Autograde.autograde_preprocessors = [Execute, LimitOutput]
    config.Autograde.sanitize_preprocessors.append(ClearOutput)
    steps = pipeline(config)
    assert steps[-2:] == [ShowVerdicts, LimitOutput] and steps[-3] is ClearOutput
