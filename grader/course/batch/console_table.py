"""What ``grader batch`` prints when it is done: points per student and exercise, then the totals.

Read from the store's records (not from this run's results), so the table shows
the whole class, including what earlier runs graded.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from grader.report import score_of


def table(store, students: list[str], items: list[str]) -> Table:
    grid = Table(title="grader batch (points per exercise)", title_justify="left")
    grid.add_column("student")
    for item in items:
        grid.add_column(item.removeprefix("exercise-"), justify="right")
    grid.add_column("total", justify="right", style="bold")
    for student in students:
        records = store.records(student)
        cells, total, possible = [], 0.0, 0.0
        for item in items:
            record = records.get(item)
            if record is None:
                cells.append(Text("–", style="dim"))
                continue
            score, most = score_of(record["report"]), float(record.get("max_score") or 0)
            total, possible = total + score, possible + most
            cells.append(f"{score:g}")
        grid.add_row(student, *cells, f"{total:g}/{possible:g}")
    return grid


def totals(summary, jobs: int, scheduler: str | None = None) -> str:
    line = (f"graded {summary.graded}, already recorded {summary.kept}"
            + (f" ({summary.restored} written back to the gradebook)" if summary.restored else "")
            + (f", {summary.crashed} whose grading process died (scored 0)" if summary.crashed else "")
            + f" in {summary.wall_s:.1f} s "
            + (f"on the Dask cluster {scheduler}" if scheduler else f"with {jobs} job(s)"))
    if summary.grading_s:
        line += f"; {sum(summary.grading_s) / len(summary.grading_s):.1f} s per submission in its grader"
    return line


def show(out, outcome) -> None:
    """Print a :class:`~grader.course.batch.grade_class.Outcome`: the table and totals if anything was found,
    then the closing line."""
    if outcome.summary is not None:
        out.print(table(outcome.store, outcome.students, outcome.items))
        out.print(Text(totals(outcome.summary, outcome.jobs, getattr(outcome, "scheduler", None)), style="bold"))
    out.print(Text(outcome.closing, style="dim" if outcome.summary is not None else ""))
