"""The learner's workspace: a folder laid out like ``exercises/``.

By default the kit's own ``exercises/``; ``--workspace DIR`` points elsewhere
(an instructor's copy of a student's work, a folder of reference solutions).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader import paths
from grader.registry import Exercise


class WorkspaceError(ValueError):
    """The workspace folder does not exist or is not a folder."""


class Workspace:
    def __init__(self, root: Path | None = None):
        self.root = Path(root or paths.EXERCISES_DIR).expanduser().resolve()
        if not self.root.is_dir():
            raise WorkspaceError(f"workspace {self.root} does not exist or is not a folder")

    @property
    def is_kit(self) -> bool:
        return self.root == paths.EXERCISES_DIR.resolve()

    def exercise_dir(self, exercise: Exercise) -> Path:
        return self.root / exercise.id

    def file(self, exercise: Exercise, name: str) -> Path:
        return self.exercise_dir(exercise) / name

    @property
    def progress_file(self) -> Path:
        return self.root / ".grader-progress.json"


def pristine_stub(exercise: Exercise, name: str) -> str:
    """The stub as the kit ships it: the committed version, else the kit's file."""
    relative = f"exercises/{exercise.id}/{name}"
    try:
        shown = subprocess.run(["git", "-C", str(paths.KIT_ROOT), "show", f"HEAD:{relative}"],
                               capture_output=True, text=True, timeout=10)
        if shown.returncode == 0:
            return shown.stdout
    except (OSError, subprocess.TimeoutExpired):
        pass
    return (paths.EXERCISES_DIR / exercise.id / name).read_text(encoding="utf-8")


@contextmanager
def scratch_exercise(exercise_id: str, files: dict[str, str | None], prefix: str = "grader-") -> Iterator[Path]:
    """A fresh temporary workspace's folder for one exercise (``<tmp>/<exercise_id>``) holding ``files``
    (name: text; None leaves a file out), removed afterwards: how code that is not in a workspace (a notebook
    cell, a submission) is graded."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp) / exercise_id
        folder.mkdir()
        for name, text in files.items():
            if text is not None:
                (folder / name).write_text(text, encoding="utf-8")
        yield folder
