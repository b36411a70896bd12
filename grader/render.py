"""Terminal output for learners (rich); JSON output lives in :mod:`grader.report`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.hints import Hint
from grader.registry import Exercise
from grader.report import Report

MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "skipped": ("–", "yellow")}
OUTPUT_LINES_SHOWN = 15


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    console(stderr=True).print(Text(f"error: {message}", style="bold red"))


def _points(value: float) -> str:
    return f"{value:g}"


def check_report(report: Report, exercise: Exercise, hint: Hint | None, *, show_output: bool) -> None:
    out = console()
    out.print(Text.assemble((f"{exercise.id} ", "bold"), exercise.title,
                            (f"   seed {report.seed} · {report.device} · {report.isolation}", "dim")))
    for t in report.tests:
        mark, colour = MARKS[t.status]
        line = Text.assemble((f" {mark} ", colour), t.name)
        if t.status != "skipped":
            line.append(f"  {_points(t.points)}/{_points(t.max_points)}", style="dim")
        if t.message:
            line.append(f"  {t.message}", style=None if t.status == "failed" else "dim")
        out.print(line)
    if report.error:
        out.print(Text(f"could not grade: {report.error}", style="red"))
    style = "bold green" if report.passed else "bold red"
    verdict = "all checks passed" if report.passed else f"{len(report.failures)} check(s) failed"
    out.print(Text(f"Score {_points(report.score)}/{_points(report.max_score)} — {verdict}", style=style))
    if report.output.strip():
        lines = report.output.rstrip().splitlines()
        if show_output:
            out.print(Text("Your code printed:", style="bold"))
            out.print(Text("\n".join(lines[:OUTPUT_LINES_SHOWN]), style="dim"))
            if len(lines) > OUTPUT_LINES_SHOWN:
                out.print(Text(f"[... {len(lines) - OUTPUT_LINES_SHOWN} more lines]", style="dim"))
        else:
            out.print(Text(f"Your code printed {len(lines)} line(s); add --show-output to see them.", style="dim"))
    if hint:
        out.print(Text(str(hint), style="yellow"))
    if not report.passed:
        out.print(Text(f"Re-run with the same inputs: grader check {exercise.id} --seed {report.seed}", style="dim"))


def exercise_table(rows: list[tuple[Exercise, str, str]], passed: int, total: int) -> None:
    table = Table(title="PyTorch exercises", title_justify="left")
    table.add_column("id")
    table.add_column("title")
    table.add_column("status")
    table.add_column("points", justify="right")
    colours = {"passed": "green", "failed": "red"}
    for exercise, status, points in rows:
        table.add_row(exercise.id, exercise.title, Text(status, style=colours.get(status, "dim")), points)
    out = console()
    out.print(table)
    out.print(f"Progress: {passed}/{total} exercises passed")
