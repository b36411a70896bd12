"""nbgrader's side of a batch: its course layout, its gradebook, its autograded notebooks.

Everything goes through nbgrader's own code: the course's ``nbgrader_config.py``
is loaded with traitlets into nbgrader's ``CourseDirectory`` (folders, database
URL, course id), and grades are written with ``nbgrader.api.Gradebook``
(``update_or_create_student``, ``update_or_create_submission``, ``find_grade``,
``find_comment``) exactly where ``nbgrader autograde`` would write them, so
``nbgrader export``, formgrader and ``nbgrader generate_feedback`` work unchanged.
Only the batch's parent process writes, one commit per graded notebook
(SQLite has one writer).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_output

from grader.course.notebooks import GradingPlan
from grader.course.store import atomic_write_text


class CourseError(ValueError):
    """The course folder or its gradebook is not usable; the message says what to do."""


def _scripts_on_path() -> None:
    """nbgrader creates a new gradebook by running the ``alembic`` script found on PATH;
    make this Python's scripts folder findable even when it was not activated."""
    scripts = Path(sys.executable).parent
    if shutil.which("alembic") is None and (scripts / "alembic").exists():
        os.environ["PATH"] = f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"


def load_coursedir(root: Path):
    """nbgrader's ``CourseDirectory`` for ``root``, configured by its ``nbgrader_config.py``."""
    _scripts_on_path()
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        try:
            config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        except Exception as exc:  # noqa: BLE001
            raise CourseError(f"{root / 'nbgrader_config.py'} could not be loaded: {exc}") from None
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    return coursedir


def submitted_students(coursedir, assignment: str) -> dict[str, Path]:
    """{student id: submission folder} for every student who submitted ``assignment``."""
    pattern = coursedir.format_path(coursedir.submitted_directory, "(?P<student_id>[^/]+)",
                                    re.escape(assignment), escape=True)
    found = {}
    for path in sorted(glob.glob(coursedir.format_path(coursedir.submitted_directory, "*", assignment))):
        match = re.fullmatch(pattern, path)
        if match and os.path.isdir(path) and not match.group("student_id").startswith("."):
            found[match.group("student_id")] = Path(path)
    return found


@dataclass
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    source: str
    checksum: str | None
    points: float | None  # grade cells only
    solution: bool


class Gradebook:
    """The batch's connection to nbgrader's gradebook (one, held by the parent process)."""

    def __init__(self, coursedir):
        from nbgrader.api import Gradebook as NbGradebook

        self.coursedir = coursedir
        self.gb = NbGradebook(coursedir.db_url, coursedir.course_id)
        self._cells: dict[tuple[str, str], dict[str, SourceCell]] = {}
        self._students: set[str] = set()

    def close(self) -> None:
        self.gb.close()

    # -- the assignment's structure, as `nbgrader generate_assignment` recorded it ---------
    def has_assignment(self, assignment: str, notebooks: list[str]) -> bool:
        from nbgrader.api import MissingEntry

        try:
            recorded = {nb.name for nb in self.gb.find_assignment(assignment).notebooks}
        except MissingEntry:
            return False
        return set(notebooks) <= recorded

    def mismatches(self, assignment: str, plans: dict[str, GradingPlan]) -> list[str]:
        """Cells the source notebooks grade that the gradebook lacks (a rebuild not yet released)."""
        found = []
        for notebook, plan in plans.items():
            cells = self.source_cells(assignment, notebook)
            graded = {name for name, cell in cells.items() if cell.points is not None}
            for grade_id in sorted(set(plan.checks) - graded):
                found.append(f"{notebook}/{grade_id}")
            for grade_id in sorted(set(plan.solutions) - set(cells)):
                found.append(f"{notebook}/{grade_id}")
        return found

    def source_cells(self, assignment: str, notebook: str) -> dict[str, SourceCell]:
        key = (assignment, notebook)
        if key not in self._cells:
            nb = self.gb.find_notebook(notebook, assignment)
            points = {c.name: float(c.max_score) for c in nb.grade_cells}
            solutions = {c.name for c in nb.solution_cells}
            self._cells[key] = {
                c.name: SourceCell(c.name, c.cell_type, bool(c.locked), c.source, c.checksum,
                                   points.get(c.name), c.name in solutions)
                for c in nb.source_cells
            }
        return self._cells[key]

    # -- grades -----------------------------------------------------------------------------
    def _submission(self, assignment: str, student: str, timestamp) -> None:
        with warnings.catch_warnings():
            # nbgrader's add_submission trips SQLAlchemy 2's autoflush warnings; they are harmless
            warnings.simplefilter("ignore")
            self._add_submission(assignment, student, timestamp)

    def _add_submission(self, assignment: str, student: str, timestamp) -> None:
        if student not in self._students:
            self.gb.update_or_create_student(student)
            self._students.add(student)
        if timestamp is not None:
            self.gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            self.gb.update_or_create_submission(assignment, student)

    def record(self, assignment: str, student: str, notebook: str, scores: dict[str, float],
               comments: dict[str, str | None], timestamp=None) -> None:
        """Set ``auto_score`` of each autograded cell (grade_id -> points) and commit once.

        As ``nbgrader autograde`` does, a grade that a person already scored by
        hand keeps ``needs_manual_grade`` set so the manual score is reviewed.
        """
        self._submission(assignment, student, timestamp)
        try:
            for grade_id, points in scores.items():
                grade = self.gb.find_grade(grade_id, notebook, assignment, student)
                grade.auto_score = float(points)
                grade.needs_manual_grade = grade.manual_score is not None
            for grade_id, text in comments.items():
                self.gb.find_comment(grade_id, notebook, assignment, student).auto_comment = text
            self.gb.db.commit()
        except BaseException:
            self.gb.db.rollback()
            raise

    def recorded(self, assignment: str, student: str, notebook: str, grade_ids) -> dict[str, float | None]:
        from nbgrader.api import MissingEntry

        found = {}
        for grade_id in grade_ids:
            try:
                found[grade_id] = self.gb.find_grade(grade_id, notebook, assignment, student).auto_score
            except MissingEntry:
                found[grade_id] = None
        return found


# -- the autograded notebook that formgrader and `nbgrader generate_feedback` read ---------
def scores_for(plan: GradingPlan, report: dict) -> dict[str, float]:
    """grade_id -> points earned; a check absent from the report earns 0."""
    results = {t["name"]: t for t in report.get("tests", [])}
    return {grade_id: (float(results[name]["points"]) if name in results and results[name]["passed"] else 0.0)
            for grade_id, name in plan.checks.items()}


def check_message(plan: GradingPlan, report: dict, grade_id: str) -> tuple[bool, str]:
    name = plan.checks[grade_id]
    result = next((t for t in report.get("tests", []) if t["name"] == name), None)
    if result is None:
        return False, report.get("error") or "not run"
    return bool(result["passed"]), result.get("message") or ""


def no_response(plan: GradingPlan, nb, cells: dict[str, SourceCell]) -> dict[str, str | None]:
    """nbgrader's "No response." comment for solution cells left exactly as released."""
    from nbgrader.utils import compute_checksum

    submitted = {}
    for cell in (nb.cells if nb is not None else []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in plan.solutions and grade_id not in submitted:
            submitted[grade_id] = cell
    comments = {}
    for grade_id in plan.solutions:
        source = cells.get(grade_id)
        cell = submitted.get(grade_id)
        if source is None:
            continue
        if cell is None:
            comments[grade_id] = "No response."
            continue
        probe = nbformat.from_dict({"cell_type": source.cell_type, "source": str(cell.get("source", "")),
                                    "metadata": {"nbgrader": {"grade": False, "solution": True,
                                                              "locked": source.locked, "grade_id": grade_id}}})
        comments[grade_id] = "No response." if compute_checksum(probe) == source.checksum else None
    return comments


def autograded_notebook(nb, plan: GradingPlan, report: dict, cells: dict[str, SourceCell]):
    """The submission as ``nbgrader autograde`` would leave it, with each check's verdict as output.

    Locked and test cells are restored from the gradebook's copy (a student's
    edit of a test cell is discarded, as nbgrader's OverwriteCells does);
    duplicate or unknown grade_ids lose their nbgrader metadata.
    """
    seen: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        meta = cell.metadata.get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if grade_id is None:
            continue
        source = cells.get(grade_id)
        if grade_id in seen or source is None:
            del cell.metadata["nbgrader"]
            continue
        seen.add(grade_id)
        if cell.cell_type != source.cell_type:
            cell.cell_type = source.cell_type
            if source.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            else:
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
        meta.update(grade=source.points is not None, solution=source.solution, locked=source.locked,
                    checksum=source.checksum)
        if source.points is not None:
            meta["points"] = source.points
        else:
            meta.pop("points", None)
        if source.locked:
            cell.source = source.source
        if grade_id in plan.checks:
            passed, message = check_message(plan, report, grade_id)
            if passed:
                text = f"passed: {plan.checks[grade_id]} ({plan.points[grade_id]:g} points)\n"
                cell.outputs = [new_output("stream", name="stdout", text=text)]
            else:
                cell.outputs = [new_output("error", ename="CheckFailed", evalue=message,
                                           traceback=[f"CheckFailed: {message}"])]
    return nb


def write_autograded(coursedir, assignment: str, student: str, notebook: str, nb, submission_dir: Path) -> None:
    folder = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    atomic_write_text(folder / f"{notebook}.ipynb", nbformat.writes(nb))
    stamp = submission_dir / "timestamp.txt"
    if stamp.is_file():
        target = folder / "timestamp.txt"
        if target.exists():
            os.chmod(target, 0o644)
        shutil.copyfile(stamp, target)
