"""``grader course build``: an nbgrader course derived from the registry, stubs, solutions and checks."""

import nbformat
from traitlets.config.loader import PyFileConfigLoader


def test_builds_config_and_one_notebook_per_exercise(grader, tmp_path, registry):
    course = tmp_path / "course"
    result = grader("course", "build", str(course), "-a", "week1", "-e", "4", "--seed", "9", "--time-limit", "7")
    assert result.code == 0, result.stdout + result.stderr
    assert "source/week1/exercise-04.ipynb" in result.stdout and "seed 9" in result.stdout
    config = (course / "nbgrader_config.py").read_text()
    assert "c.Execute.timeout = " in config and "generate_assignment_preprocessors" in config
    loaded = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()  # as nbgrader reads it
    assert loaded.CourseDirectory.course_id == "pytorch-kit" and loaded.Execute.timeout >= 4 * (7 + 30)
    nb = nbformat.read(course / "source" / "week1" / "exercise-04.ipynb", as_version=4)
    plan = nb.metadata["grader"]
    assert plan["exercise"] == "exercise-04" and plan["seed"] == 9 and plan["time_limit"] == 7.0
    assert sum(plan["points"].values()) == registry.get("exercise-04").points
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells]
    assert ids[:2] == ["intro", "solution_net"] and len(ids) == len(set(ids))
    assert "Fix the Net" in nb.cells[0].source


def test_rebuild_keeps_other_files_and_drops_deselected_exercises(grader, tmp_path):
    course = tmp_path / "course"
    (course / "source" / "ps").mkdir(parents=True)
    (course / "source" / "ps" / "exercise-77.ipynb").write_text("{}")  # an exercise no longer chosen
    (course / "gradebook.db").write_text("keep me")
    result = grader("course", "build", str(course), "-a", "ps", "-e", "exercise-04")
    assert result.code == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (course / "source" / "ps").iterdir()) == ["exercise-04.ipynb"]
    assert (course / "gradebook.db").read_text() == "keep me"


def test_usage_errors_exit_2(grader, tmp_path):
    assert grader("course", "build", str(tmp_path / "c"), "-e", "exercise-77").code == 2
    assert grader("course", "build", str(tmp_path / "c"), "-a", "../escape").code == 2
    assert grader("course", "build", str(tmp_path / "c"), "--time-limit", "0").code == 2
    assert grader("course", "build", str(tmp_path / "c"), "--device", "tpu").code == 2
    (tmp_path / "file").write_text("")
    assert grader("course", "build", str(tmp_path / "file")).code == 2


def test_the_course_config_finds_this_pythons_scripts_when_no_venv_is_activated(monkeypatch):
    """nbgrader runs `alembic` from PATH; `.venv/bin/nbgrader` with a bare PATH must still find it."""
    import os
    import sys

    from traitlets.config import Config

    from grader.course.build.course_folder import course_config

    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    exec(course_config("pytorch-kit", 300), {"get_config": Config, "__name__": "nbgrader_config"})
    assert os.environ["PATH"].split(os.pathsep) == [os.path.dirname(sys.executable), "/usr/bin", "/bin"]
    exec(course_config("pytorch-kit", 300), {"get_config": Config, "__name__": "nbgrader_config"})
    assert os.environ["PATH"].count(os.path.dirname(sys.executable)) == 1  # loaded twice, added once
