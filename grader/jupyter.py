"""``%load_ext grader``: check exercises from a notebook, through the same grader server.

    %grader check exercise-04            the workspace's files (default: the kit's exercises/)
    %%grader check exercise-04           this cell's source, as the exercise's module, in a fresh folder
    %grader hint exercise-04             the next hint

Options as on the command line: ``--workspace DIR``, ``--seed N``, ``--device``, ``--lang``,
``--no-server``. The report is shown as HTML (with a plain-text form beside it); a bad line is one
error, in the same language as the report would have been.
"""

from __future__ import annotations

import argparse
import html
import shlex
from pathlib import Path

from grader import checking, messages
from grader.checking import CheckRefused, CheckRequest
from grader.commands import common
from grader.hints import reveal_next_saved
from grader.i18n import reason, t
from grader.registry import Exercise
from grader.report import Report
from grader.views import notebook, terminal
from grader.workspace import Workspace, scratch_exercise


class Shown:
    """Something the notebook displays: HTML, with a plain-text form for other frontends."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """A bad line is one error message in the notebook, never SystemExit."""
        raise ValueError(t("%grader: {message} (usage: %grader check|hint EXERCISE [options])", message=message))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%grader", add_help=False)
    parser.add_argument("command", choices=("check", "hint"))
    parser.add_argument("exercise")
    parser.add_argument("--workspace", "-w", type=Path)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--lang")
    parser.add_argument("--no-server", action="store_true")
    return parser


def grader_magic(line: str, cell: str | None = None) -> None:
    from IPython.display import display

    try:
        display(run(line, cell))
    except (common.UsageError, ValueError) as exc:
        display(error(exc, line))


def error(exc: Exception, line: str) -> Shown:
    """What a failed ``%grader LINE`` shows: one ``error: ...`` line, in the language the line asked for
    (``--lang``, the workspace's, the locale's; English if even that cannot be told)."""
    text = terminal.error_line(reason(exc), _language_of(line))
    return Shown(f'<p style="color:#cf222e">{html.escape(text, quote=False)}</p>', text)


def _language_of(line: str) -> str:
    """The language of a line that may not parse: only its ``--lang`` and ``--workspace`` are looked at."""
    options = _Parser(prog="%grader", add_help=False)
    options.add_argument("--workspace", "-w", type=Path)
    options.add_argument("--lang")
    try:
        args, _ = options.parse_known_args(shlex.split(line))
    except ValueError:  # "--lang" without a value, an unclosed quote
        return common.language_or_english()
    return common.language_or_english(args.lang, args.workspace)


def run(line: str, cell: str | None = None) -> Shown:
    """What ``%grader LINE`` (or ``%%grader LINE`` with ``cell``) shows."""
    args = _parser().parse_args(shlex.split(line))
    lang = common.language(args.lang, args.workspace)
    ex = common.exercise(args.exercise)
    ws = common.workspace(args.workspace)
    if args.command == "hint":
        hint = reveal_next_saved(ex, ws.progress_file, lang=lang)
        return Shown(notebook.hint_html(hint), str(hint))
    if cell is None:
        report = _grade(ex, ws.exercise_dir(ex), args, lang)
    else:
        report = _grade_cell(ex, ws, cell, args, lang)
    hint, _ = checking.record(ex, ws, report, keep_score=cell is None, lang=lang)
    return Shown(notebook.report_html(report, ex, hint, lang=lang),
                 notebook.report_text(report, ex, hint, lang=lang))


def _grade(ex: Exercise, learner_dir: Path, args, lang: str) -> Report:
    try:
        request = CheckRequest.make(ex.id, learner_dir, seed=args.seed, device=args.device)
        return checking.check(request, exercise=ex, use_server=not args.no_server, exits_after=False,
                              say=lambda key, **values: terminal.note(messages.text(key, lang, **values)))
    except CheckRefused as exc:
        raise common.UsageError(reason(exc)) from None


def _grade_cell(ex: Exercise, ws: Workspace, source: str, args, lang: str) -> Report:
    """The cell as the exercise's (first) module, the other files from the workspace, in a fresh folder."""
    others = {name: ws.file(ex, name).read_text(encoding="utf-8", errors="replace") for name in ex.files[1:]
              if ws.file(ex, name).is_file()}
    with scratch_exercise(ex.id, {ex.files[0]: source} | others, prefix="grader-cell-") as target:
        return _grade(ex, target, args, lang)


def register(ipython) -> None:
    ipython.register_magic_function(grader_magic, magic_kind="line_cell", magic_name="grader")
