"""A course built from the kit and released by nbgrader, with its real SQLite gradebook."""

import nbformat
import pytest

from grader.course.build.course_folder import build_course
from grader.course.gradebook import generate_assignment, load_coursedir
from grader.course.notebooks import GradingPlan
from grader.registry import load_registry


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """(coursedir, the released notebook, its plan) of exercise-04 in assignment ps1; one per test module."""
    root = tmp_path_factory.mktemp("gradebook") / "course"
    build_course(root, "ps1", [load_registry().get("exercise-04")], seed=3)
    coursedir = load_coursedir(root)
    generate_assignment(coursedir, "ps1")
    released = nbformat.read(root / "release" / "ps1" / "exercise-04.ipynb", as_version=4)
    plan = GradingPlan.from_metadata(nbformat.read(root / "source" / "ps1" / "exercise-04.ipynb", 4).metadata["grader"])
    return coursedir, released, plan

