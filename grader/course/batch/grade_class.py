"""The batch grader's two modes, step by step: what ``grader batch`` does once its options are read.

``grade_course``  an nbgrader course: ``COURSE/submitted/<student>/<assignment>/<exercise>.ipynb``
                  graded in the sandbox, the scores written into nbgrader's gradebook
                  through its autograde pipeline (see :mod:`grader.course.batch.autograde`).
``grade_files``   ``ROOT/submissions/<student>/exercise-NN/<module>.py``, graded into a CSV.

Each step is a module of its own; this one only puts them in order, so a
reader sees the whole flow here and the command stays a thin entry point.
Bad input raises :class:`~grader.course.CourseError` with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.course import CourseError, gradebook
from grader.course.batch import feedback, file_submissions, grades_csv, grading, notebook_submissions, pool
from grader.course.notebooks import assignment_plans
from grader.course.store import Store
from grader.registry import Exercise, Registry


@dataclass
class Outcome:
    students: list[str]
    items: list[str]  # the table's columns: notebook names or exercise ids
    store: Store | None
    summary: grading.Summary | None  # None: nothing was found to grade
    jobs: int
    closing: str  # where the grades and feedback are (or why there are none)
    scheduler: str | None = None  # the Dask cluster graded on (None: the local pool of ``jobs``)


def grade_course(root: Path, assignment: str, *, registry: Registry, jobs: int | None, time_limit: float | None,
                 force: bool, progress: bool, note: Callable[[str], None], console=None,
                 scheduler: str | None = None) -> Outcome:
    jobs = jobs or pool.default_jobs()
    coursedir = gradebook.load_coursedir(root)
    plans = assignment_plans(coursedir, assignment, registry)
    if not gradebook.has_assignment(coursedir, assignment, list(plans)):
        note(f"{assignment} is not in the gradebook yet: running nbgrader's generate_assignment")
        gradebook.generate_assignment(coursedir, assignment)
        if not gradebook.has_assignment(coursedir, assignment, list(plans)):
            raise CourseError(f"nbgrader generate_assignment {assignment} did not record its notebooks; "
                              "run it yourself to see why")
    stale = gradebook.mismatches(coursedir, assignment, plans)
    if stale:
        raise CourseError(f"the gradebook does not have {', '.join(stale[:3])}{' ...' if len(stale) > 3 else ''}: "
                          f"the course was rebuilt since `nbgrader generate_assignment {assignment}`; "
                          "run it again (with --force)")
    submissions = notebook_submissions.submissions(coursedir, assignment, plans, registry, time_limit=time_limit)
    if not submissions:
        return Outcome([], list(plans), None, None, jobs,
                       f"No submissions of {assignment} under {coursedir.submitted_directory}/.")
    store = Store(Path(root) / ".grader-batch" / assignment)
    sink = _gradebook_sink(coursedir, assignment)
    with gradebook.one_engine_per_database():
        summary = grading.run(submissions, store, sink, jobs=jobs, force=force, progress=progress, console=console,
                              scheduler=scheduler)
    students = sorted({s.student for s in submissions})
    folder = feedback.write_course_feedback(coursedir, assignment, plans, store, registry, students)
    return Outcome(students, list(plans), store, summary, jobs,
                   f"Scores are in {coursedir.db_url} (nbgrader export reads them); "
                   f"feedback in {folder}/<student>/{assignment}/feedback.md", scheduler)


def _gradebook_sink(coursedir, assignment: str):
    from grader.course.batch.autograde import GradebookSink  # imports nbgrader's preprocessors: only for a course

    return GradebookSink(coursedir, assignment)


def grade_files(root: Path, *, registry: Registry, chosen: list[Exercise] | None, jobs: int | None,
                time_limit: float | None, seed: int | None, csv_path: Path | None, force: bool, progress: bool,
                note: Callable[[str], None], console=None, scheduler: str | None = None) -> Outcome:
    jobs = jobs or pool.default_jobs()
    submissions_dir = Path(root) / "submissions"
    if not submissions_dir.is_dir():
        raise CourseError(f"{root} has no submissions/ folder (expected submissions/<student>/exercise-NN/"
                          "<module>.py); for an nbgrader course, name the assignment too")
    store = Store(Path(root) / ".grader-batch" / "files")
    settings = _kept_settings(store, seed, time_limit)
    submissions, exercises, warnings = file_submissions.submissions(
        submissions_dir, registry, chosen, seed=int(settings["seed"]), time_limit=settings["time_limit"])
    for line in warnings:
        note(f"warning: {line}")
    summary = grading.run(submissions, store, file_submissions.FilesSink(), jobs=jobs, force=force,
                          progress=progress, console=console, scheduler=scheduler)
    students = sorted({s.student for s in submissions})
    csv_path = (csv_path or Path(root) / "grades.csv").resolve()
    grades_csv.write(csv_path, exercises, store, students)
    folder = feedback.write_files_feedback(Path(root), exercises, store, students)
    return Outcome(students, [ex.id for ex in exercises], store, summary, jobs,
                   f"Grades in {csv_path}; feedback in {folder}/<student>.md (seed {settings['seed']})", scheduler)


def _kept_settings(store: Store, seed: int | None, time_limit: float | None) -> dict:
    """The class's seed and time limit: kept from the first run; an explicit option changes them for later runs too."""
    from grader.runner import fresh_seed

    settings = store.settings({"seed": fresh_seed(), "time_limit": None})
    chosen = {"seed": seed if seed is not None else settings["seed"],
              "time_limit": time_limit if time_limit is not None else settings.get("time_limit")}
    return settings if chosen == settings else store.save_settings(chosen)
