"""``grader check EXERCISE``: grade the learner's files and explain what is wrong."""

from __future__ import annotations

import os
from pathlib import Path

from grader import messages, render
from grader.commands import common
from grader.hints import Hint, reveal_next
from grader.progress import Progress
from grader.registry import Exercise
from grader.report import Report
from grader.runner import DEVICE_MODES, DeviceUnavailable, fresh_seed, grade
from grader.sandbox.isolation import IsolationError
from grader.sandbox.session import WorkerFactory
from grader.sandbox.worker import WorkerProcess
from grader.server import client
from grader.workspace import Workspace


@common.usage_errors
def main(*, exercise: str, workspace: Path | None, device: str = "auto", seed: int | None = None,
         as_json: bool = False, time_limit: float | None = None, show_output: bool = False,
         timings: bool = False, lang: str | None = None, no_server: bool = False) -> int:
    lang = common.language(lang, workspace)
    if device not in DEVICE_MODES:
        raise common.UsageError(f"--device must be one of {', '.join(DEVICE_MODES)}, not {device!r}")
    if time_limit is not None and time_limit <= 0:
        raise common.UsageError("--time-limit must be positive")
    report = check_and_show(common.exercise(exercise), common.workspace(workspace), seed=seed, device=device,
                            time_limit=time_limit, as_json=as_json, show_output=show_output, timings=timings,
                            lang=lang, use_server=not no_server)
    return 0 if report.passed else 1


def check_and_show(ex: Exercise, ws: Workspace, *, seed: int | None = None, device: str = "auto",
                   time_limit: float | None = None, as_json: bool = False, show_output: bool = False,
                   timings: bool = False, workers: WorkerFactory = WorkerProcess, lang: str = "en",
                   use_server: bool = False) -> Report:
    """Grade, record progress, print the report in ``lang`` (also used by ``grader watch``); JSON stays English.

    ``use_server``: through the grader server where one answers (see :mod:`grader.server`).
    """
    report = grade_report(ex, ws.exercise_dir(ex), seed=seed, device=device, time_limit=time_limit,
                          workers=workers, use_server=use_server, lang=lang)
    hint, warning = record(ex, ws, report, with_hint=not as_json, lang=lang)
    if as_json:
        print(report.to_json(timings=timings))
    else:
        if warning:
            render.error(warning)
        render.check_report(report, ex, hint, show_output=show_output, lang=lang)
    return report


def record(ex: Exercise, ws: Workspace, report: Report, *, with_hint: bool = True, keep_score: bool = True,
           lang: str = "en") -> tuple[Hint | None, str | None]:
    """Record the result in the workspace's progress (``keep_score=False``: only the hints seen, for
    code graded from elsewhere, e.g. a notebook cell); the next hint if the report failed, and a
    warning about an unreadable progress file."""
    progress = Progress(ws.progress_file)
    if keep_score:
        progress.record(ex.id, passed=report.passed, score=report.score, max_score=report.max_score,
                        seed=report.seed)
    hint = None if report.passed or not with_hint else reveal_next(ex, progress, repeat_last=False, lang=lang)
    try:
        progress.save()
    except OSError:
        pass  # a read-only workspace still gets its grade; only the status column is lost
    return hint, progress.warning


def grade_report(ex: Exercise, learner_dir: Path, *, seed: int | None, device: str, time_limit: float | None,
                 workers: WorkerFactory = WorkerProcess, use_server: bool = False, lang: str = "en",
                 exits_after: bool = True) -> Report:
    """The report, from the server when asked and it answers, else graded here: the same seed either way.

    ``exits_after``: this process ends after the check (a command, not a notebook's kernel), so a
    server it starts may wait for that before warming up."""
    seed = fresh_seed() if seed is None else seed
    start_server = False
    if use_server and not client.disabled():
        try:
            answer = client.grade(ex.id, learner_dir, seed=seed, device=device, time_limit=time_limit,
                                  say=lambda key, **values: render.note(messages.text(key, lang, **values)))
        except client.Unavailable as exc:
            start_server = exc.start_after
        else:
            if "usage_error" in answer:
                raise common.UsageError(answer["usage_error"])
            return Report.from_dict(answer["report"])
    try:
        return grade(ex, learner_dir, seed=seed, device=device, time_limit=time_limit, workers=workers)
    except (IsolationError, DeviceUnavailable) as exc:
        raise common.UsageError(str(exc)) from None
    finally:
        if start_server:
            client.start_quietly(os.getpid() if exits_after else None)
