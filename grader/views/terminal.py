"""Terminal output for learners (rich): reports, ``grader list``'s table, one-line errors and notes.

JSON output lives in :mod:`grader.report`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader import messages
from grader.hints import Hint
from grader.i18n import t
from grader.registry import Exercise
from grader.report import Report
from grader.views.model import ReportView

OUTPUT_LINES_SHOWN = 15


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def error(message: str, lang: str = "en") -> None:
    """``error: <message>`` on stderr, in ``lang`` (the message too, where it is a :class:`~grader.i18n.Message`)."""
    console(stderr=True).print(Text(error_line(message, lang), style="bold red"))


def error_line(message: str, lang: str = "en") -> str:
    return t("error: {message}", message=message).render(lang)


def note(message: str) -> None:
    """One dim line on stderr: something the learner may like to know, never an error."""
    Console(stderr=True, highlight=False, soft_wrap=True, force_jupyter=False).print(Text(message, style="dim"))


def check_report(report: Report, exercise: Exercise, hint: Hint | None, *, show_output: bool,
                 lang: str = "en") -> None:
    """The coloured report (:class:`~grader.views.model.ReportView`), in ``lang``."""
    view = ReportView.of(report, exercise, hint, lang)
    out = console()
    out.print(Text.assemble((f"{view.exercise_id} ", "bold"), view.title, (f"   {view.run}", "dim")))
    for row in view.rows:
        line = Text.assemble((f" {row.mark} ", row.colour), row.name)
        if row.points:
            line.append(f"  {row.points}", style="dim")
        if row.message:
            line.append(f"  {row.message}", style=None if row.status == "failed" else "dim")
        out.print(line)
    if view.error:
        out.print(Text(view.error, style="red"))
    out.print(Text(view.score, style="bold green" if view.passed else "bold red"))
    if view.output.strip():
        lines = view.output.rstrip().splitlines()
        if show_output:
            out.print(Text(messages.text("report.output", lang), style="bold"))
            out.print(Text("\n".join(lines[:OUTPUT_LINES_SHOWN]), style="dim"))
            if len(lines) > OUTPUT_LINES_SHOWN:
                out.print(Text(messages.text("report.more_lines", lang, count=len(lines) - OUTPUT_LINES_SHOWN),
                               style="dim"))
        else:
            out.print(Text(messages.text("report.output_hidden", lang, count=len(lines)), style="dim"))
    if view.hint:
        out.print(Text(view.hint, style="yellow"))
    if view.rerun:
        out.print(Text(view.rerun, style="dim"))


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
