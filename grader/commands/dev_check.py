"""``grader dev check``: the course is consistent, every solution passes, every stub fails."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.table import Table
from rich.text import Text

from grader import course_files, paths, render
from grader.commands import common
from grader.runner import fresh_seed, grade
from grader.workspace import pristine_stub


@common.usage_errors
def main(*, exercises: list[str] | None = None, seed: int | None = None) -> int:
    reg = common.registry()
    chosen = [common.exercise(name, reg) for name in exercises] if exercises else list(reg)
    seed = fresh_seed() if seed is None else seed
    out = render.console()
    problems = course_files.problems(reg, {ex.id for ex in chosen} if exercises else None)
    table = Table(title=f"grader dev check (seed {seed})", title_justify="left")
    for column in ("exercise", "solution", "stub", "verdict"):
        table.add_column(column)
    if problems:  # grading inconsistent files would only add noise
        for line in problems:
            out.print(Text(f"✗ {line}", style="red"))
        out.print(Text(f"{len(problems)} problem(s) between the registry and the files", style="bold red"))
        return 1
    for ex in chosen:
        solution = grade(ex, paths.SOLUTIONS_DIR / ex.id, seed=seed)
        with tempfile.TemporaryDirectory(prefix="grader-stub-") as tmp:
            for name in ex.files:  # the shipped stub, even if a learner edited exercises/
                (Path(tmp) / name).write_text(pristine_stub(ex, name), encoding="utf-8")
            stub = grade(ex, Path(tmp), seed=seed)
        wrong = []
        if not solution.passed or solution.score != ex.points or solution.max_score != ex.points:
            failed = "; ".join(f"{t.name}: {t.message}" for t in solution.failures) or solution.error or ""
            wrong.append(f"solution scores {solution.score:g}/{solution.max_score:g}, registry says {ex.points} {failed}")
        if stub.score >= stub.max_score:
            wrong.append("the untouched stub scores full marks")
        problems += [f"{ex.id}: {w}" for w in wrong]
        table.add_row(ex.id, f"{solution.score:g}/{solution.max_score:g}", f"{stub.score:g}/{stub.max_score:g}",
                      Text("ok", style="green") if not wrong else Text("; ".join(wrong), style="red"))
    out.print(table)
    if problems:
        out.print(Text(f"{len(problems)} problem(s)", style="bold red"))
        return 1
    out.print(Text(f"All {len(chosen)} exercises consistent: solutions full marks, stubs fail.", style="bold green"))
    return 0
