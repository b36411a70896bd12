"""Does the registry agree with the files? Used by ``grader dev check``."""

from __future__ import annotations

from pathlib import Path

from grader import paths
from grader.registry import Exercise, Registry, chinese_stub_name

IGNORED = {"__pycache__", ".grader-progress.json", ".grader-progress.json.bak", "exercises.toml"}


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name not in IGNORED and not p.name.startswith(".")} \
        if folder.is_dir() else set()


def problems(reg: Registry, only: set[str] | None = None) -> list[str]:
    """Every disagreement, each as one line; an empty list means consistent.

    With ``only``, just those exercises' own files are examined (no orphan search).
    """
    found: list[str] = []
    ids = {ex.id for ex in reg}
    if only is not None:
        return [line for ex in reg if ex.id in only for line in _exercise_problems(ex)]
    for root in (paths.EXERCISES_DIR, paths.SOLUTIONS_DIR):
        for orphan in sorted(_entries(root) - ids):
            found.append(f"{root.name}/{orphan} is not in the registry")
    declared_checks = {f"{ex.checks_module}.py" for ex in reg}
    for orphan in sorted({p.name for p in paths.CHECKS_DIR.glob("exercise_*.py")} - declared_checks):
        found.append(f"grader/checks/{orphan} belongs to no registered exercise")
    for ex in reg:
        found += _exercise_problems(ex)
    if (paths.DOCS_DIR / "exercises").is_dir():
        pages = {f"exercises/{p.name.replace('.zh.md', '.md')}"  # a Chinese page belongs to its English one
                 for p in (paths.DOCS_DIR / "exercises").glob("exercise-*.md")}
        for orphan in sorted(pages - {ex.docs for ex in reg}):
            found.append(f"docs/{orphan} belongs to no registered exercise")
    return found


def _exercise_problems(ex: Exercise) -> list[str]:
    found: list[str] = []
    for root in (paths.EXERCISES_DIR, paths.SOLUTIONS_DIR):
        files = set(ex.files)
        if root == paths.EXERCISES_DIR:  # each stub has its Chinese edition beside it
            files |= {chinese_stub_name(name) for name in ex.files}
        present = _entries(root / ex.id)
        for name in sorted(files - present):
            found.append(f"{root.name}/{ex.id}/{name} is missing")
        for name in sorted(present - files):
            found.append(f"{root.name}/{ex.id}/{name} is not listed in the registry's files")
    if not (paths.CHECKS_DIR / f"{ex.checks_module}.py").is_file():
        found.append(f"grader/checks/{ex.checks_module}.py is missing")
    if (paths.DOCS_DIR / "exercises").is_dir() and not (paths.DOCS_DIR / ex.docs).is_file():
        found.append(f"docs/{ex.docs} is missing")
    return found
