"""nbgrader's autograde pipeline, with the sandbox's verdicts where nbgrader would execute the notebook.

``nbgrader autograde`` passes each submitted notebook through the two
configurable preprocessor lists of its ``Autograde`` converter: the sanitize list
(clear outputs, drop duplicate grade_ids, restore the kernelspec, the locked
cells and the points from the gradebook, validate) and the autograde list
(execute, then save the grades and "No response." comments, assign late
penalties). The batch runs the same lists, as the course's config sets them,
with one step swapped: ``Execute`` becomes :class:`ShowVerdicts`, which writes
each test cell's output from the report of the kit's sandboxed grading (and one
added, :class:`ForgetUnknownCells`, where nbgrader itself would fail). The
notebook's code never runs here, and its grades are nbgrader's own reading of
those outputs (an error: 0; otherwise the cell's points).
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from grader.atomic_write import atomic_write_text
from grader.course import NBGRADER_LOG, gradebook
from grader.course.notebooks import PASSED, GradingPlan
from grader.i18n import gettext_in


def scores_for(plan: GradingPlan, report: dict) -> dict[str, float]:
    """grade_id -> points earned; a check absent from the report earns 0."""
    results = {item["name"]: item for item in report.get("tests", [])}
    return {grade_id: (float(results[name]["points"]) if name in results and results[name]["passed"] else 0.0)
            for grade_id, name in plan.checks.items()}


def in_class_language(report: dict) -> dict[str, str]:
    """{check name: its message in the class's language}, where the report carries a translation
    (a course built with ``--lang``); empty for an English class."""
    translated = report.get("translated") or {}
    return {item["name"]: item["message"] for item in translated.get("tests", []) if item.get("message")}


def verdict_outputs(plan: GradingPlan, report: dict, grade_id: str) -> list:
    """A check cell's outputs: one line when it passed, else an error nbgrader scores 0."""
    name = plan.checks[grade_id]
    result = next((item for item in report.get("tests", []) if item["name"] == name), None)
    if result is not None and result["passed"]:
        text = gettext_in(plan.lang, PASSED).format(check=name, points=f"{plan.points[grade_id]:g}") + "\n"
        return [new_output("stream", name="stdout", text=text)]
    translated = in_class_language(report)
    message = (translated.get(name) or result.get("message") or "") if result is not None \
        else (report.get("error") or "not run")
    return [new_output("error", ename="CheckFailed", evalue=message, traceback=[f"CheckFailed: {message}"])]


class ShowVerdicts(NbGraderPreprocessor):
    """In place of nbgrader's ``Execute``: each check cell shows the sandbox's verdict."""

    def preprocess(self, nb, resources):
        self.plan, self.report = resources["grader"]["plan"], resources["grader"]["report"]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id in self.plan.checks:
            cell.outputs = verdict_outputs(self.plan, self.report, grade_id)
        return cell, resources


class ForgetUnknownCells(NbGraderPreprocessor):
    """After ``OverwriteCells``: a cell whose grade_id the gradebook lacks becomes an ordinary cell.

    ``OverwriteCells`` drops only such a cell's grade_id and leaves its flags, which
    nbgrader's own ``CheckCellMetadata`` then rejects, failing the whole notebook;
    a student's made-up cell must not cost the autograded notebook.
    """

    def preprocess_cell(self, cell, resources, index):
        if "nbgrader" in cell.metadata and "grade_id" not in cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources


def pipeline(config) -> list[type]:
    """nbgrader's sanitize then autograde preprocessors, as ``config`` sets them, ``Execute`` swapped."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, OverwriteCells
    from traitlets.config.loader import LazyConfigValue
    from traitlets.utils.importstring import import_item

    section = config["Autograde"] if "Autograde" in config else {}
    steps = []
    for name in ("sanitize_preprocessors", "autograde_preprocessors"):
        chosen = default = Autograde.class_traits()[name].default()
        if name in section:  # a list, or a change of the default (``c.Autograde.<name>.append(...)``)
            chosen = section[name].get_value(default) if isinstance(section[name], LazyConfigValue) else section[name]
        for step in chosen:
            step = import_item(step) if isinstance(step, str) else step
            steps.append(ShowVerdicts if issubclass(step, Execute) else step)
            if issubclass(step, OverwriteCells):
                steps.append(ForgetUnknownCells)
    return steps


def autograde(nb, plan: GradingPlan, report: dict, *, coursedir, assignment: str, student: str, notebook: str):
    """Run the pipeline over a copy of ``nb``: grades and comments go to the gradebook; returns the graded copy."""
    resources = {"nbgrader": {"student": student, "assignment": assignment, "notebook": notebook,
                              "db_url": coursedir.db_url},
                 "grader": {"plan": plan, "report": report}}
    nb = copy.deepcopy(nb)
    for step in pipeline(coursedir.config):
        nb, resources = step(config=coursedir.config, log=NBGRADER_LOG)(nb, resources)
    return nb


def released_stand_in(coursedir, assignment: str, notebook: str):
    """The notebook as released, rebuilt from the gradebook's copy of its cells.

    It stands in for a submission that is missing, unreadable, or too odd for
    nbgrader's pipeline, so that its grades are still recorded the same way
    (and every solution cell reads "No response.").
    """
    with gradebook.opened(coursedir) as gb:
        recorded = gb.find_notebook(notebook, assignment)
        points = {c.name: float(c.max_score) for c in recorded.grade_cells}
        solutions, tasks = {c.name for c in recorded.solution_cells}, {c.name for c in recorded.task_cells}
        cells = []
        for cell in recorded.source_cells:
            meta = {"grade": cell.name in points, "grade_id": cell.name, "locked": bool(cell.locked),
                    "solution": cell.name in solutions, "task": cell.name in tasks, "schema_version": 3,
                    "checksum": cell.checksum, **({"points": points[cell.name]} if cell.name in points else {})}
            make = new_code_cell if cell.cell_type == "code" else new_markdown_cell
            cells.append(make(cell.source, metadata={"nbgrader": meta}))
    return new_notebook(cells=cells)


def write_autograded(coursedir, assignment: str, student: str, notebook: str, nb, submission_dir: Path) -> None:
    """Where formgrader and ``nbgrader generate_feedback`` read it, with the submission's timestamp."""
    folder = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    atomic_write_text(folder / f"{notebook}.ipynb", nbformat.writes(nb))
    stamp = submission_dir / "timestamp.txt"
    if stamp.is_file():
        target = folder / "timestamp.txt"
        if target.exists():
            os.chmod(target, 0o644)
        shutil.copyfile(stamp, target)


class GradebookSink:
    """Records each result of the batch in the course's gradebook through the pipeline."""

    def __init__(self, coursedir, assignment: str):
        self.coursedir, self.assignment = coursedir, assignment

    def record(self, sub, report: dict) -> None:
        plan, where = sub.context["plan"], self._where(sub)
        gradebook.add_submission(self.coursedir, self.assignment, sub.student, sub.context.get("timestamp"))
        graded = None
        if sub.context.get("notebook") is not None:
            try:
                graded = autograde(sub.context["notebook"], plan, report, **where)
            except Exception:  # noqa: BLE001  (a notebook too odd for nbgrader still gets its grades, below)
                graded = None
        if graded is None or not self._holds(sub, report):  # e.g. a check cell deleted
            autograde(released_stand_in(self.coursedir, self.assignment, sub.item), plan, report, **where)
        if graded is not None:
            write_autograded(self.coursedir, self.assignment, sub.student, sub.item, graded, sub.context["folder"])

    def ensure(self, sub, report: dict) -> bool:
        """Write an already graded result again when the gradebook lost it; True if it did."""
        if self._holds(sub, report):
            return False
        self.record(sub, report)
        return True

    def _where(self, sub) -> dict:
        return {"coursedir": self.coursedir, "assignment": self.assignment, "student": sub.student,
                "notebook": sub.item}

    def _holds(self, sub, report: dict) -> bool:
        wanted = scores_for(sub.context["plan"], report)
        return gradebook.recorded(self.coursedir, self.assignment, sub.student, sub.item, wanted) == wanted
