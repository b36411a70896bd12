"""Write an nbgrader course directory derived from the kit (``grader course build``).

Layout written (nothing else is touched, so an existing course keeps its
gradebook, submissions and feedback)::

    DIR/nbgrader_config.py                     generated, overwritten on every build
    DIR/source/<assignment>/<exercise>.ipynb   one notebook per exercise
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.atomic_write import atomic_write_text
from grader.course import catalog
from grader.course.notebooks import build_notebook
from grader.registry import Exercise

CONFIG_TEMPLATE = Path(__file__).with_name("config_template.py")


def course_config(course_id: str, cell_timeout_s: int) -> str:
    """The course's nbgrader_config.py: the template (a real, linted file) with its two settings filled in."""
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    text = re.sub(r"^COURSE_ID = .*$", lambda _: f"COURSE_ID = {course_id!r}", text, count=1, flags=re.M)
    return re.sub(r"^CELL_TIMEOUT = \d+", f"CELL_TIMEOUT = {int(cell_timeout_s)}", text, count=1, flags=re.M)


@dataclass
class BuiltCourse:
    root: Path
    assignment: str
    notebooks: list[Path]
    seed: int


def cell_timeout(exercises: list[Exercise], time_limit: float | None) -> int:
    """Seconds nbgrader may spend in one cell: the worst case of the engine's own limits.

    A session restarts a crashed or hung worker at most 3 times, so at most four
    calls can time out; each restart boots a worker (a few seconds, 120 at most).
    """
    longest = max((time_limit or ex.time_limit) for ex in exercises)
    return int(4 * (longest + 30) + 120)


def build_course(root: Path, assignment: str, exercises: list[Exercise], *, seed: int,
                 time_limit: float | None = None, device: str = "cpu",
                 course_id: str = "pytorch-kit", lang: str = "en") -> BuiltCourse:
    root = Path(root).resolve()
    notebooks = []
    wanted = {f"{ex.id}.ipynb" for ex in exercises}
    for stale in sorted((root / "source" / assignment).glob("exercise-*.ipynb")):
        if stale.name not in wanted:  # an exercise dropped from the selection
            stale.unlink()
    for ex in exercises:
        nb = build_notebook(ex, catalog.checks(ex), seed=seed, time_limit=time_limit, device=device, lang=lang)
        path = root / "source" / assignment / f"{ex.id}.ipynb"
        atomic_write_text(path, nbformat.writes(nb))
        notebooks.append(path)
    atomic_write_text(root / "nbgrader_config.py", course_config(course_id, cell_timeout(exercises, time_limit)))
    return BuiltCourse(root, assignment, notebooks, seed)
