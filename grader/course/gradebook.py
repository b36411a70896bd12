"""nbgrader's course folder and gradebook, reached through nbgrader's own API.

The course's ``nbgrader_config.py`` is loaded with traitlets into nbgrader's
``CourseDirectory`` (folders, database URL, course id); students who submitted
are those ``NbGraderAPI.get_submitted_students`` finds, and every read or write
of grades goes through ``nbgrader.api.Gradebook``. A connection is opened per
step and closed at once (it costs milliseconds): the autograde preprocessors
open their own, and SQLite has one writer at a time.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

from grader.course import CourseError


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


def api(coursedir):
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(coursedir=coursedir, config=coursedir.config)


def submitted_students(coursedir, assignment: str) -> dict[str, Path]:
    """{student id: submission folder}, as nbgrader finds them (hidden folders are not students)."""
    return {student: Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
            for student in sorted(api(coursedir).get_submitted_students(assignment))
            if not student.startswith(".")}


def generate_assignment(coursedir, assignment: str) -> None:
    """``nbgrader generate_assignment``, for a course the batch finds not yet released."""
    result = api(coursedir).generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        lines = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise CourseError(f"nbgrader generate_assignment {assignment} failed: {lines[-1] if lines else '?'}")


@contextmanager
def one_engine_per_database():
    """While a batch writes, every nbgrader ``Gradebook`` opened on a database shares one SQLAlchemy engine.

    nbgrader's autograde preprocessors each open a ``Gradebook`` of their own, six per
    notebook, and each new one builds an engine, checks the tables and compiles its queries
    again: a third of what writing one notebook's grades costs. A shared engine keeps its
    compiled queries; each ``Gradebook.close()`` still returns its connection (``dispose``).
    """
    import nbgrader.api

    original, engines = nbgrader.api.create_engine, {}

    def shared(url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in engines:
            engines[key] = original(url, **options)
        return engines[key]

    nbgrader.api.create_engine = shared
    try:
        yield
    finally:
        nbgrader.api.create_engine = original
        for engine in engines.values():
            engine.dispose()


@contextmanager
def opened(coursedir):
    """nbgrader's ``Gradebook`` of the course, closed on leaving."""
    _scripts_on_path()
    from nbgrader.api import Gradebook

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        yield gb


def has_assignment(coursedir, assignment: str, notebooks: list[str]) -> bool:
    from nbgrader.api import MissingEntry

    with opened(coursedir) as gb:
        try:
            recorded = {nb.name for nb in gb.find_assignment(assignment).notebooks}
        except MissingEntry:
            return False
    return set(notebooks) <= recorded


def mismatches(coursedir, assignment: str, plans: dict) -> list[str]:
    """Cells the source notebooks grade that the gradebook lacks (a rebuild not yet released)."""
    found = []
    with opened(coursedir) as gb:
        for notebook, plan in plans.items():
            recorded = gb.find_notebook(notebook, assignment)
            graded = {cell.name for cell in recorded.grade_cells}
            cells = {cell.name for cell in recorded.source_cells}
            found += [f"{notebook}/{grade_id}" for grade_id in sorted(set(plan.checks) - graded)]
            found += [f"{notebook}/{grade_id}" for grade_id in sorted(set(plan.solutions) - cells)]
    return found


def add_submission(coursedir, assignment: str, student: str, timestamp=None) -> None:
    """The student and their submission, as ``nbgrader autograde`` creates them before grading."""
    with opened(coursedir) as gb, warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy 2's autoflush warnings; they are harmless
        warnings.simplefilter("ignore")
        gb.update_or_create_student(student)
        if timestamp is not None:
            gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(assignment, student)


def recorded(coursedir, assignment: str, student: str, notebook: str, grade_ids) -> dict[str, float | None]:
    """grade_id -> the ``auto_score`` the gradebook holds (None: no such grade)."""
    from nbgrader.api import MissingEntry

    found = {}
    with opened(coursedir) as gb:
        for grade_id in grade_ids:
            try:
                found[grade_id] = gb.find_grade(grade_id, notebook, assignment, student).auto_score
            except MissingEntry:
                found[grade_id] = None
    return found
