"""A report as HTML, for notebooks (``%grader check``): the terminal report's content, in a table."""

from __future__ import annotations

from html import escape

from grader import messages
from grader.hints import Hint
from grader.registry import Exercise
from grader.report import Report
from grader.views.terminal import MARKS

COLOURS = {"green": "#1a7f37", "red": "#cf222e", "yellow": "#9a6700"}


def _points(value: float) -> str:
    return f"{value:g}"


def report_html(report: Report, exercise: Exercise, hint: Hint | None, *, lang: str = "en") -> str:
    run = messages.text("report.run", lang, seed=report.seed, device=report.device,
                        isolation=messages.isolation(report.isolation, lang))
    rows = []
    for t in report.tests:
        mark, colour = MARKS[t.status]
        points = "" if t.status == "skipped" else f"{_points(t.points)}/{_points(t.max_points)}"
        rows.append(f'<tr><td style="color:{COLOURS[colour]};font-weight:bold">{mark}</td>'
                    f"<td><code>{escape(t.name)}</code></td><td>{points}</td><td>{escape(t.message)}</td></tr>")
    verdict = (messages.text("report.all_passed", lang) if report.passed
               else messages.text("report.failed", lang, count=len(report.failures)))
    score = messages.text("report.score", lang, score=_points(report.score), max_score=_points(report.max_score),
                          verdict=verdict)
    parts = [f'<div class="grader-report"><p><b>{escape(exercise.id)}</b> {escape(exercise.title_in(lang))}'
             f' <span style="opacity:0.6">{escape(run)}</span></p>',
             '<table style="text-align:left">' + "".join(rows) + "</table>"]
    if report.error:
        parts.append(f'<p style="color:{COLOURS["red"]}">'
                     f'{escape(messages.text("report.could_not_grade", lang, error=report.error))}</p>')
    colour = COLOURS["green"] if report.passed else COLOURS["red"]
    parts.append(f'<p style="color:{colour};font-weight:bold">{escape(score)}</p>')
    if report.output.strip():
        parts.append(f"<details><summary>{escape(messages.text('report.output', lang))}</summary>"
                     f"<pre>{escape(report.output)}</pre></details>")
    if hint:
        parts.append(hint_html(hint))
    return "\n".join(parts) + "</div>"


def hint_html(hint: Hint) -> str:
    return f'<p class="grader-hint" style="color:{COLOURS["yellow"]}">{escape(str(hint))}</p>'


def report_text(report: Report, exercise: Exercise, hint: Hint | None, *, lang: str = "en") -> str:
    """The plain-text form beside the HTML (what a terminal frontend or a test reads)."""
    lines = [f"{exercise.id} {exercise.title_in(lang)}"]
    for t in report.tests:
        points = "" if t.status == "skipped" else f"  {_points(t.points)}/{_points(t.max_points)}"
        lines.append(f" {MARKS[t.status][0]} {t.name}{points}  {t.message}".rstrip())
    verdict = (messages.text("report.all_passed", lang) if report.passed
               else messages.text("report.failed", lang, count=len(report.failures)))
    lines.append(messages.text("report.score", lang, score=_points(report.score),
                               max_score=_points(report.max_score), verdict=verdict))
    if hint:
        lines.append(str(hint))
    return "\n".join(lines)
