"""An nbgrader course's submitted notebooks, as submissions for the batch to grade.

How each notebook grades comes from the instructor's *source* notebook (its
``metadata.grader``), never from a submission; the students are those nbgrader
finds in its ``submitted`` folder, and the code graded is what the solution
cells hold (read as nbgrader reads them, see :func:`~grader.course.notebooks.extract_solutions`).
A missing, oversized or unreadable notebook is a submission too: it scores 0, with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.course import catalog
from grader.course.batch import pool
from grader.course.batch.grading import Submission, make_task, sha256
from grader.course.gradebook import submitted_students
from grader.course.notebooks import (
    MAX_NOTEBOOK_BYTES,
    GradingPlan,
    UnreadableNotebook,
    extract_solutions,
    read_notebook,
)
from grader.registry import Registry


def submissions(coursedir, assignment: str, plans: dict[str, GradingPlan], registry: Registry, *,
                time_limit: float | None) -> list[Submission]:
    """One submission per student and notebook of the assignment."""
    settings = {name: sha256(catalog.fingerprint(registry.get(plan.exercise)),
                             json.dumps(plan.to_metadata(), sort_keys=True), repr(time_limit or plan.time_limit))
                for name, plan in plans.items()}
    found = []
    for student, folder in submitted_students(coursedir, assignment).items():
        stamp_path = folder / "timestamp.txt"
        stamp = stamp_path.read_bytes() if stamp_path.is_file() else b""
        try:
            timestamp = coursedir.get_existing_timestamp(str(folder))
        except Exception:  # noqa: BLE001  (a malformed timestamp is ignored, as a missing one)
            timestamp = None
        for name, plan in plans.items():
            context = {"plan": plan, "folder": folder, "timestamp": timestamp}
            sha, files, error = _read(folder / f"{name}.ipynb", stamp, plan, context)
            ex = registry.get(plan.exercise)
            task = make_task(ex, {f: None for f in ex.files} | files, plan.seed, time_limit or plan.time_limit,
                             plan.device, plan.lang)
            ready = pool.error_report(task, error) if error else None
            found.append(Submission(student, name, ex, task, sha, settings[name], ready, context))
    return found


def _read(path: Path, stamp: bytes, plan: GradingPlan, context: dict) -> tuple[str, dict, str | None]:
    """(content hash, {file: code}, why it cannot be graded or None); the notebook goes into ``context``."""
    if not path.is_file():
        return "missing", {}, f"{path.name} was not submitted"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return (f"size:{size}:{path.stat().st_mtime_ns}", {},
                f"{path.name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB; not read")
    data = path.read_bytes()
    try:
        context["notebook"] = read_notebook(data)
    except UnreadableNotebook as exc:
        return sha256(data, stamp), {}, str(exc)
    return sha256(data, stamp), extract_solutions(context["notebook"], plan), None
