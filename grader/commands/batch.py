"""``grader batch DIR [ASSIGNMENT]``: grade a class's submissions with the sandboxed engine.

With ASSIGNMENT, DIR is an nbgrader course (made by ``grader course build``):
scores go into its gradebook through nbgrader's own pipeline. Without, DIR holds
``submissions/<student>/exercise-NN/<module>.py`` and the grades go to a CSV.
The work is :mod:`grader.course.batch.grade_class`'s; this module reads the options.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from grader import extras
from grader.commands import common
from grader.views import terminal


@common.usage_errors
def main(*, directory: Path, assignment: str | None = None, jobs: int | None = None,
         time_limit: float | None = None, seed: int | None = None, exercises: list[str] | None = None,
         csv: Path | None = None, force: bool = False, progress: bool = True, scheduler: str | None = None) -> int:
    missing = extras.require("instructor", "grader batch")
    if missing:
        raise common.UsageError(missing)
    from grader.course import CourseError
    from grader.course.batch import cluster, console_table, grade_class

    if jobs is not None and jobs < 1:
        raise common.UsageError("--jobs must be at least 1")
    if scheduler is not None:
        if jobs is not None:
            raise common.UsageError("--jobs is for the local pool; a Dask cluster (--scheduler) has its own workers")
        try:
            cluster.parse(scheduler)
        except ValueError as exc:
            raise common.UsageError(str(exc)) from None
        if not cluster.available():
            raise common.UsageError(f"--scheduler needs Dask: {cluster.INSTALL_HINT}")
    if time_limit is not None and time_limit <= 0:
        raise common.UsageError("--time-limit must be positive")
    root = Path(directory).expanduser().resolve()
    if not root.is_dir():
        raise common.UsageError(f"{root} does not exist or is not a folder")
    if assignment is not None and (seed is not None or exercises or csv is not None):
        raise common.UsageError("--seed, --exercise and --csv are for plain .py submissions; "
                                "an nbgrader course takes them from its notebooks")
    reg = common.registry()
    out = terminal.console()
    options = {"registry": reg, "jobs": jobs, "time_limit": time_limit, "force": force, "progress": progress,
               "note": lambda line: out.print(Text(line, style="yellow")), "console": terminal.console(stderr=True),
               "scheduler": scheduler}
    try:
        if assignment is not None:
            outcome = grade_class.grade_course(root, assignment, **options)
        else:
            chosen = [common.exercise(name, reg) for name in exercises] if exercises else None
            outcome = grade_class.grade_files(root, chosen=chosen, seed=seed, csv_path=csv, **options)
    except CourseError as exc:
        raise common.UsageError(str(exc)) from None
    console_table.show(out, outcome)
    return 0
