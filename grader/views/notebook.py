"""A report as HTML for notebooks (``%grader check``), with its plain-text form: the terminal's view model."""

from __future__ import annotations

from html import escape

from grader import messages
from grader.hints import Hint
from grader.registry import Exercise
from grader.report import Report
from grader.views.model import ReportView

COLOURS = {"green": "#1a7f37", "red": "#cf222e", "yellow": "#9a6700"}


def report_html(report: Report, exercise: Exercise, hint: Hint | None, *, lang: str = "en") -> str:
    view = ReportView.of(report, exercise, hint, lang)
    rows = [f'<tr><td style="color:{COLOURS[row.colour]};font-weight:bold">{row.mark}</td>'
            f"<td><code>{escape(row.name)}</code></td><td>{row.points}</td><td>{escape(row.message)}</td></tr>"
            for row in view.rows]
    parts = [f'<div class="grader-report"><p><b>{escape(view.exercise_id)}</b> {escape(view.title)}'
             f' <span style="opacity:0.6">{escape(view.run)}</span></p>',
             '<table style="text-align:left">' + "".join(rows) + "</table>"]
    if view.error:
        parts.append(f'<p style="color:{COLOURS["red"]}">{escape(view.error)}</p>')
    colour = COLOURS["green"] if view.passed else COLOURS["red"]
    parts.append(f'<p style="color:{colour};font-weight:bold">{escape(view.score)}</p>')
    if view.output.strip():
        parts.append(f"<details><summary>{escape(messages.text('report.output', lang))}</summary>"
                     f"<pre>{escape(view.output)}</pre></details>")
    if view.hint:
        parts.append(_hint_paragraph(view.hint))
    return "\n".join(parts) + "</div>"


def hint_html(hint: Hint) -> str:
    return _hint_paragraph(str(hint))


def _hint_paragraph(text: str) -> str:
    return f'<p class="grader-hint" style="color:{COLOURS["yellow"]}">{escape(text)}</p>'


def report_text(report: Report, exercise: Exercise, hint: Hint | None, *, lang: str = "en") -> str:
    """The plain-text form beside the HTML (what a terminal frontend or a test reads)."""
    view = ReportView.of(report, exercise, hint, lang)
    lines = [f"{view.exercise_id} {view.title}"]
    lines += [f" {row.mark} {row.name}{'  ' + row.points if row.points else ''}  {row.message}".rstrip()
              for row in view.rows]
    lines.append(view.score)
    if view.hint:
        lines.append(view.hint)
    return "\n".join(lines)
