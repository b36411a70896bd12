"""Terminal output for learners (rich); JSON output lives in :mod:`grader.report`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader import messages
from grader.hints import Hint
from grader.registry import Exercise
from grader.report import Report

MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "skipped": ("–", "yellow")}
OUTPUT_LINES_SHOWN = 15


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    console(stderr=True).print(Text(f"error: {message}", style="bold red"))


def note(message: str) -> None:
    """One dim line on stderr: something the learner may like to know, never an error."""
    Console(stderr=True, highlight=False, soft_wrap=True, force_jupyter=False).print(Text(message, style="dim"))


def _points(value: float) -> str:
    return f"{value:g}"


def check_report(report: Report, exercise: Exercise, hint: Hint | None, *, show_output: bool,
                 lang: str = "en") -> None:
    """The coloured report; its headings in ``lang``, the checks' own messages as they are."""
    out = console()
    run = messages.text("report.run", lang, seed=report.seed, device=report.device,
                        isolation=messages.isolation(report.isolation, lang))
    out.print(Text.assemble((f"{exercise.id} ", "bold"), exercise.title_in(lang), (f"   {run}", "dim")))
    for t in report.tests:
        mark, colour = MARKS[t.status]
        line = Text.assemble((f" {mark} ", colour), t.name)
        if t.status != "skipped":
            line.append(f"  {_points(t.points)}/{_points(t.max_points)}", style="dim")
        if t.message:
            line.append(f"  {t.message}", style=None if t.status == "failed" else "dim")
        out.print(line)
    if report.error:
        out.print(Text(messages.text("report.could_not_grade", lang, error=report.error), style="red"))
    style = "bold green" if report.passed else "bold red"
    verdict = (messages.text("report.all_passed", lang) if report.passed
               else messages.text("report.failed", lang, count=len(report.failures)))
    out.print(Text(messages.text("report.score", lang, score=_points(report.score),
                                 max_score=_points(report.max_score), verdict=verdict), style=style))
    if report.output.strip():
        lines = report.output.rstrip().splitlines()
        if show_output:
            out.print(Text(messages.text("report.output", lang), style="bold"))
            out.print(Text("\n".join(lines[:OUTPUT_LINES_SHOWN]), style="dim"))
            if len(lines) > OUTPUT_LINES_SHOWN:
                out.print(Text(messages.text("report.more_lines", lang, count=len(lines) - OUTPUT_LINES_SHOWN),
                               style="dim"))
        else:
            out.print(Text(messages.text("report.output_hidden", lang, count=len(lines)), style="dim"))
    if hint:
        out.print(Text(str(hint), style="yellow"))
    if not report.passed:
        command = f"grader check {exercise.id} --seed {report.seed}"
        out.print(Text(messages.text("report.rerun", lang, command=command), style="dim"))


def exercise_table(rows: list[tuple[Exercise, str, str]], passed: int, total: int, *, lang: str = "en") -> None:
    table = Table(title=messages.text("list.title", lang), title_justify="left")
    table.add_column(messages.text("list.id", lang))
    table.add_column(messages.text("list.name", lang))
    table.add_column(messages.text("list.status", lang))
    table.add_column(messages.text("list.points", lang), justify="right")
    colours = {"passed": "green", "failed": "red"}
    for exercise, status, points in rows:
        table.add_row(exercise.id, exercise.title_in(lang),
                      Text(messages.status(status, lang), style=colours.get(status, "dim")), points)
    out = console()
    out.print(table)
    out.print(messages.text("list.progress", lang, passed=passed, total=total))
