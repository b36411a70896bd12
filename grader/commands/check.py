"""``grader check EXERCISE``: grade the learner's files and explain what is wrong."""

from __future__ import annotations

from pathlib import Path

from grader import checking, messages
from grader.checking import CheckRefused, CheckRequest
from grader.commands import common
from grader.i18n import reason
from grader.registry import Exercise
from grader.report import Report
from grader.sandbox import FRESH, Workers
from grader.views import terminal
from grader.workspace import Workspace


@common.usage_errors
def main(*, exercise: str, workspace: Path | None, device: str = "auto", seed: int | None = None,
         as_json: bool = False, time_limit: float | None = None, show_output: bool = False,
         timings: bool = False, lang: str | None = None, no_server: bool = False) -> int:
    translate_json = lang is not None  # --json --lang zh: the English contract, and a Chinese "translated" beside it
    lang = common.language(lang, workspace)
    ex, ws = common.exercise(exercise), common.workspace(workspace)
    try:
        request = CheckRequest.make(ex.id, ws.exercise_dir(ex), seed=seed, device=device, time_limit=time_limit)
    except CheckRefused as exc:
        raise common.UsageError(reason(exc)) from None
    report = check_and_show(ex, ws, request, as_json=as_json, show_output=show_output, timings=timings, lang=lang,
                            use_server=not no_server, translate_json=translate_json)
    return 0 if report.passed else 1


def check_and_show(ex: Exercise, ws: Workspace, request: CheckRequest, *, as_json: bool = False,
                   show_output: bool = False, timings: bool = False, workers: Workers = FRESH, lang: str = "en",
                   use_server: bool = False, translate_json: bool = False) -> Report:
    """Grade, record progress, print the report in ``lang`` (also used by ``grader watch``); JSON stays English.

    ``use_server``: through the grader server where one answers (see :mod:`grader.server`).
    """
    try:
        report = checking.check(request, exercise=ex, workers=workers, use_server=use_server,
                                say=lambda key, **values: terminal.note(messages.text(key, lang, **values)))
    except CheckRefused as exc:
        raise common.UsageError(reason(exc)) from None
    hint, warning = checking.record(ex, ws, report, with_hint=not as_json, lang=lang)
    if as_json:
        print(report.to_json(timings=timings, translated=lang if translate_json else None))
    else:
        if warning:
            terminal.error(warning, lang)
        terminal.check_report(report, ex, hint, show_output=show_output, lang=lang)
    return report
