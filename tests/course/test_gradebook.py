"""The course folder and gradebook as nbgrader's API shows them, laid out by `nbgrader generate_assignment`."""

import dataclasses
from pathlib import Path

from grader.course import catalog, gradebook
from grader.registry import load_registry


def test_config_is_nbgraders(course):
    coursedir, _, _ = course
    assert coursedir.course_id == "pytorch-kit"
    assert coursedir.db_url.endswith("course/gradebook.db")


def test_the_released_assignment_is_known(course):
    coursedir, _, _ = course
    assert gradebook.has_assignment(coursedir, "ps1", ["exercise-04"])
    assert not gradebook.has_assignment(coursedir, "ps1", ["exercise-99"])
    assert not gradebook.has_assignment(coursedir, "ps2", ["exercise-04"])


def test_students_are_found_through_the_directory_structure(course):
    coursedir, _, _ = course
    root = Path(coursedir.root)
    for student in ("zoe", "yan", ".hidden"):
        (root / "submitted" / student / "ps1").mkdir(parents=True, exist_ok=True)
    (root / "submitted" / "yan" / "other").mkdir(parents=True, exist_ok=True)
    assert set(gradebook.submitted_students(coursedir, "ps1")) == {"zoe", "yan"}
    assert set(gradebook.submitted_students(coursedir, "other")) == {"yan"}
    assert gradebook.submitted_students(coursedir, "ps1")["zoe"] == root / "submitted" / "zoe" / "ps1"


def test_check_cells_cover_the_registry_points():
    exercise = load_registry().get("exercise-04")
    assert sum(c.points for c in catalog.checks(exercise)) == exercise.points


def test_a_rebuilt_course_not_yet_released_is_noticed(course):
    coursedir, _, plan = course
    changed = dataclasses.replace(plan, checks={**plan.checks, "check_new_one": "new_one[cpu]"})
    assert gradebook.mismatches(coursedir, "ps1", {"exercise-04": plan}) == []
    assert gradebook.mismatches(coursedir, "ps1", {"exercise-04": changed}) == ["exercise-04/check_new_one"]


def test_a_batch_opens_one_engine_per_database(course, tmp_path):
    import shutil

    import nbgrader.api
    from nbgrader.api import Gradebook

    shutil.copyfile(course[0].db_url.removeprefix("sqlite:///"), tmp_path / "gradebook.db")
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    original = nbgrader.api.create_engine
    with gradebook.one_engine_per_database():
        with Gradebook(url) as first:
            first.add_student("ann")
            engine = first.engine
        with Gradebook(url) as second:  # nbgrader's preprocessors open one after another
            assert second.engine is engine
            assert "ann" in [s.id for s in second.students]  # the closed one's connection was returned
    assert nbgrader.api.create_engine is original
    with Gradebook(url) as later:
        assert later.engine is not engine
