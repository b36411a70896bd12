"""The learner's workspace: a folder laid out like ``exercises/``.

``--workspace DIR`` wins (an instructor's copy of a student's work, a folder of reference
solutions). Otherwise the workspace that ``grader init`` made, found by walking up from the
current folder to its marker (:mod:`grader.marker`); in a checkout with no marker above, the
kit's own ``exercises/``, as before there was ``grader init``.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader import kit, marker, paths
from grader.i18n import t
from grader.registry import Exercise


class WorkspaceError(ValueError):
    """The workspace folder does not exist or is not a folder."""


class NoWorkspace(WorkspaceError):
    """No ``--workspace``, no marker above the current folder, and no checkout to fall back on."""


def default_root() -> Path:
    """The workspace to use when no ``--workspace`` is given."""
    found = marker.find()
    if found is not None:
        return found
    if not kit.INSTALLED:
        return paths.EXERCISES_DIR
    raise NoWorkspace(t("no grader workspace in this folder or above it: run `grader init` and cd into the "
                        "folder it writes, or pass --workspace DIR"))


class Workspace:
    def __init__(self, root: Path | None = None):
        self.root = Path(root or default_root()).expanduser().resolve()
        if not self.root.is_dir():
            raise WorkspaceError(t("workspace {root} does not exist or is not a folder", root=str(self.root)))
        self.marker = marker.read(self.root)

    @property
    def lang(self) -> str:
        """The language of the workspace's stubs: what ``grader init --lang`` chose (English elsewhere)."""
        return self.marker.lang if self.marker else "en"

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


def pristine_stub(exercise: Exercise, name: str, workspace: Workspace | None = None) -> str:
    """The stub as the kit ships it, in the workspace's language.

    The kit's own ``exercises/`` in a checkout is the one place where the learner edits the kit's
    files themselves, so there the committed version (git) is the original; everywhere else the
    kit's file is (the installed package's, or a checkout's ``exercises/``)."""
    if workspace is None or workspace.is_kit:
        committed = _committed_stub(exercise, name)
        if committed is not None:
            return committed
    lang = workspace.lang if workspace is not None else "en"
    return kit.stub_file(exercise.id, name, lang).read_text(encoding="utf-8")


def _committed_stub(exercise: Exercise, name: str) -> str | None:
    if kit.CHECKOUT_ROOT is None:
        return None
    relative = f"exercises/{exercise.id}/{name}"
    try:
        shown = subprocess.run(["git", "-C", str(kit.CHECKOUT_ROOT), "show", f"HEAD:{relative}"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return shown.stdout if shown.returncode == 0 else None


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
