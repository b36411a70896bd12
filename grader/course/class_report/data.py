"""What a class report reads: the gradebook's scores and the batch's records of each grading.

Scores come from nbgrader's gradebook, through nbgrader's own ``Gradebook``
classes (a manual score an instructor entered in formgrader wins over the
automatic one, as in ``nbgrader export``). What the gradebook cannot hold comes
from the batch's :class:`~grader.course.store.Store`: each check's message, the
submission's output and its wall time. A course graded by ``nbgrader
autograde`` alone has scores but no records; the report then shows scores only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.course import CourseError, gradebook
from grader.course.class_report.review_flags import Flag, notebook_flags, report_flags
from grader.course.notebooks import MAX_NOTEBOOK_BYTES, UnreadableNotebook, assignment_plans, read_notebook
from grader.course.store import Store
from grader.registry import Registry


@dataclass
class CheckResult:
    """One check of one student's notebook: its gradebook score and, if the batch graded it, why."""

    grade_id: str
    check: str
    max_points: float
    points: float | None  # None: the gradebook holds no grade for it
    status: str  # passed | failed | skipped | not graded (no record of the batch)
    message: str = ""


@dataclass
class NotebookResult:
    notebook: str
    score: float
    max_score: float
    checks: list[CheckResult]
    record: dict | None  # the batch's record (its ``report`` is the grading's JSON); None: not graded by it
    flags: list[Flag] = field(default_factory=list)  # why a human should look (grader.course.class_report.review_flags)

    @property
    def report(self) -> dict:
        return (self.record or {}).get("report") or {}

    @property
    def wall_s(self) -> float | None:
        value = self.report.get("wall_s")
        return float(value) if value is not None else None


@dataclass
class StudentResult:
    student: str
    notebooks: dict[str, NotebookResult]
    feedback: list[Path] = field(default_factory=list)  # the batch's feedback.md, then nbgrader's HTML, if written

    @property
    def score(self) -> float:
        return round(sum(nb.score for nb in self.notebooks.values()), 3)

    @property
    def wall_s(self) -> float | None:
        times = [nb.wall_s for nb in self.notebooks.values() if nb.wall_s is not None]
        return round(sum(times), 3) if times else None


@dataclass
class NotebookInfo:
    """A notebook of the assignment: its exercise and checks, in the order of its grade cells."""

    name: str
    exercise: str
    title: str
    checks: list[tuple[str, str, float]]  # (grade_id, check name, points)

    @property
    def max_score(self) -> float:
        return round(sum(points for _, _, points in self.checks), 3)


@dataclass
class ClassData:
    course: Path
    assignment: str
    notebooks: dict[str, NotebookInfo]
    students: list[StudentResult]

    @property
    def max_score(self) -> float:
        return round(sum(nb.max_score for nb in self.notebooks.values()), 3)


def read_class(root: Path, assignment: str, registry: Registry) -> ClassData:
    """The class as the gradebook and the batch's records hold it; CourseError if there is none to read."""
    root = Path(root).resolve()
    coursedir = gradebook.load_coursedir(root)
    _require_gradebook(coursedir)
    grades = _gradebook_grades(coursedir, assignment)
    plans = assignment_plans(coursedir, assignment, registry)
    notebooks = {}
    for name, plan in plans.items():
        ex = registry.get(plan.exercise)
        notebooks[name] = NotebookInfo(name, ex.id, ex.title,
                                       [(gid, check, plan.points[gid]) for gid, check in plan.checks.items()])
    store = Store(root / ".grader-batch" / assignment)
    students = []
    released = {name: _test_cells(coursedir, assignment, name, info) for name, info in notebooks.items()}
    for student in sorted(grades):
        records = store.records(student)
        results = {}
        for name, info in notebooks.items():
            result = _notebook_result(info, grades[student].get(name, {}), records.get(name))
            result.flags = report_flags(result.report) + _submission_flags(coursedir, assignment, student, info,
                                                                           released[name])
            results[name] = result
        students.append(StudentResult(student, results, _feedback_files(coursedir, assignment, student, notebooks)))
    return ClassData(root, assignment, notebooks, students)


def _require_gradebook(coursedir) -> None:
    """A report reads; it must not create an empty gradebook where there is none."""
    url = coursedir.db_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise CourseError(f"{coursedir.root} has no gradebook ({url.removeprefix('sqlite:///')}); "
                          "grade the class first with `grader batch` or `nbgrader autograde`")


def _gradebook_grades(coursedir, assignment: str) -> dict[str, dict[str, dict[str, float]]]:
    """{student: {notebook: {grade_id: score}}} for every submission of the assignment."""
    from nbgrader.api import MissingEntry

    found: dict[str, dict[str, dict[str, float]]] = {}
    with gradebook.opened(coursedir) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(sorted(a.name for a in gb.assignments)) or "none"
            raise CourseError(f"the gradebook has no assignment {assignment!r} (it has: {known})") from None
        for submission in gb.assignment_submissions(assignment):
            found[submission.student_id] = {
                nb.name: {grade.name: float(grade.score) for grade in nb.grades} for nb in submission.notebooks}
    return found


def _notebook_result(info: NotebookInfo, scores: dict[str, float], record: dict | None) -> NotebookResult:
    report = (record or {}).get("report") or {}
    tests = {t.get("name"): t for t in report.get("tests", [])}
    checks = []
    for grade_id, check, points in info.checks:
        test = tests.get(check)
        if record is None:
            status, message = "not graded", ""
        elif test is None:  # the whole submission could not be graded: the report's error says why
            status, message = "failed", report.get("error") or "not run"
        else:
            status = test.get("status") or ("passed" if test.get("passed") else "failed")
            message = test.get("message") or ""
        checks.append(CheckResult(grade_id, check, points, scores.get(grade_id), status, message))
    score = round(sum(c.points or 0.0 for c in checks), 3)
    return NotebookResult(info.name, score, info.max_score, checks, record)


def _feedback_files(coursedir, assignment: str, student: str, notebooks: dict) -> list[Path]:
    root = Path(coursedir.root)
    candidates = [root / "batch_feedback" / student / assignment / "feedback.md"]
    candidates += [Path(coursedir.format_path(coursedir.feedback_directory, student, assignment)) / f"{name}.html"
                   for name in notebooks]
    return [path for path in candidates if path.is_file()]


def _test_cells(coursedir, assignment: str, name: str, info: NotebookInfo) -> dict[str, str]:
    """grade_id -> the test cell's source as released to students ({} if the release is gone)."""
    path = Path(coursedir.format_path(coursedir.release_directory, ".", assignment)) / f"{name}.ipynb"
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return {}
    ids = {gid for gid, _, _ in info.checks}
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") in ids}


def _submission_flags(coursedir, assignment: str, student: str, info: NotebookInfo,
                      released: dict[str, str]) -> list[Flag]:
    path = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment)) / f"{info.name}.ipynb"
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return []
        submitted = read_notebook(path.read_bytes())
    except (OSError, UnreadableNotebook):
        return []
    return notebook_flags(submitted, released, {gid for gid, _, _ in info.checks})
