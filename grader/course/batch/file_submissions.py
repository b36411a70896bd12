"""Plain ``.py`` submissions (``ROOT/<student>/exercise-NN/<module>.py``), as submissions to grade.

For classes that do not use nbgrader: every exercise folder a student has is
graded with one seed and time limit for the whole class; the store's records
are the grades, and the CSV and feedback are written from them.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.course import catalog
from grader.course.batch import pool
from grader.course.batch.grading import Submission, make_task, sha256
from grader.registry import Exercise, Registry
from grader.sandbox import MAX_FILE_BYTES


class FilesSink:
    """Nothing to write besides the store's record (the CSV is written from the records)."""

    def record(self, sub: Submission, report: dict) -> None:
        pass

    def ensure(self, sub: Submission, report: dict) -> bool:
        return False


def submissions(root: Path, registry: Registry, chosen: list[Exercise] | None, *, seed: int,
                time_limit: float | None, device: str = "cpu") -> tuple[list[Submission], list[Exercise], list[str]]:
    """(submissions, exercises graded, warnings) for ``root/<student>/exercise-NN/<files>``."""
    warnings: list[str] = []
    students = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    seen: set[str] = set()
    for student in students:
        for folder in student.iterdir():
            if folder.is_dir() and not folder.name.startswith("."):
                try:
                    seen.add(registry.get(folder.name).id)
                except LookupError:
                    warnings.append(f"{student.name}/{folder.name}: not an exercise of the kit, ignored")
    exercises = chosen or [ex for ex in registry if ex.id in seen]
    found = []
    for ex in exercises:
        settings = sha256(catalog.fingerprint(ex), str(seed), repr(time_limit), device)
        for student in students:
            files = _read(student / ex.id, ex)
            task = make_task(ex, files, seed, time_limit, device)
            ready = None
            if all(text is None for text in files.values()):
                ready = pool.error_report(task, f"nothing submitted for {ex.id}")
            sha = sha256(json.dumps(sorted(files.items())))
            found.append(Submission(student.name, ex.id, ex, task, sha, settings, ready))
    return found, exercises, warnings


def _read(folder: Path, ex: Exercise) -> dict[str, str | None]:
    """{file: text, or None when absent}. Of a file over the size limit only one byte more than the
    limit is read: enough for the grading to reject it with the message every path gives."""
    files: dict[str, str | None] = {}
    for name in ex.files:
        path = folder / name
        if path.is_file():
            with open(path, "rb") as handle:
                files[name] = handle.read(MAX_FILE_BYTES + 1).decode("utf-8", errors="replace")
        else:
            files[name] = None
    return files
