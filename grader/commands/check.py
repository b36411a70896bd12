"""``grader check EXERCISE``: grade the learner's files and explain what is wrong."""

from __future__ import annotations

from pathlib import Path

from grader import render
from grader.commands import common
from grader.hints import reveal_next
from grader.progress import Progress
from grader.registry import Exercise
from grader.report import Report
from grader.runner import DEVICE_MODES, DeviceUnavailable, grade
from grader.sandbox.isolation import IsolationError
from grader.sandbox.session import WorkerFactory
from grader.sandbox.worker import WorkerProcess
from grader.workspace import Workspace


@common.usage_errors
def main(*, exercise: str, workspace: Path | None, device: str = "auto", seed: int | None = None,
         as_json: bool = False, time_limit: float | None = None, show_output: bool = False,
         timings: bool = False, lang: str | None = None) -> int:
    lang = common.language(lang)
    if device not in DEVICE_MODES:
        raise common.UsageError(f"--device must be one of {', '.join(DEVICE_MODES)}, not {device!r}")
    if time_limit is not None and time_limit <= 0:
        raise common.UsageError("--time-limit must be positive")
    report = check_and_show(common.exercise(exercise), common.workspace(workspace), seed=seed, device=device,
                            time_limit=time_limit, as_json=as_json, show_output=show_output, timings=timings,
                            lang=lang)
    return 0 if report.passed else 1


def check_and_show(ex: Exercise, ws: Workspace, *, seed: int | None = None, device: str = "auto",
                   time_limit: float | None = None, as_json: bool = False, show_output: bool = False,
                   timings: bool = False, workers: WorkerFactory = WorkerProcess, lang: str = "en") -> Report:
    """Grade, record progress, print the report in ``lang`` (also used by ``grader watch``); JSON stays English."""
    learner_dir = ws.exercise_dir(ex)
    try:
        report = grade(ex, learner_dir, seed=seed, device=device, time_limit=time_limit, workers=workers)
    except (IsolationError, DeviceUnavailable) as exc:
        raise common.UsageError(str(exc)) from None

    progress = Progress(ws.progress_file)
    progress.record(ex.id, passed=report.passed, score=report.score, max_score=report.max_score, seed=report.seed)
    hint = None if report.passed or as_json else reveal_next(ex, progress, repeat_last=False, lang=lang)
    try:
        progress.save()
    except OSError:
        pass  # a read-only workspace still gets its grade; only the status column is lost

    if as_json:
        print(report.to_json(timings=timings))
    else:
        if progress.warning:
            render.error(progress.warning)
        render.check_report(report, ex, hint, show_output=show_output, lang=lang)
    return report
