"""Grading many submissions: a pool of trusted grader processes around the sandbox.

The engine's :func:`grader.runner.grade` runs pytest, which is not thread-safe,
so parallelism comes from processes: each pool process imports torch and the
engine once (in :func:`_warm`) and then grades one submission after another.
The learner's code still runs only in a sandboxed worker, obtained as every
grading obtains it (:func:`grader.runner.grade`'s ``workers``). Each pool process keeps one
:class:`~grader.sandbox.workers.WarmWorkers` (a sandboxed zygote that imported torch
once and forks one isolated child per submission, and a grading counted only when
that zygote vouches for it), so a submission costs a fork instead of a fresh
interpreter importing torch; where the zygote cannot start, each grading starts its
own worker as ``grader check`` does.

Tasks and results are plain data (dicts of strings and numbers), so nothing a
learner made ever crosses into the batch's parent process.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from grader.registry import load_registry
from grader.report import Report
from grader.workspace import scratch_exercise


@dataclass(frozen=True)
class GradeTask:
    """One submission of one exercise: the files' texts (None: not submitted)."""

    exercise: str
    files: tuple[tuple[str, str | None], ...]
    seed: int
    time_limit: float | None
    device: str = "cpu"
    threads: int = 1  # torch threads of the sandboxed child: cores / jobs, so jobs do not fight
    lang: str = "en"  # the class's language: the report also carries its messages translated (``translated``)


_warm_workers = None  # this pool process's warm workers, started by the first grading


def shared_workers():
    """This process's :class:`~grader.sandbox.workers.WarmWorkers`; fresh workers only where
    ``GRADER_BATCH_ZYGOTE=0`` asks for them (each grading then starts its own, as grader check does)."""
    global _warm_workers
    if os.environ.get("GRADER_BATCH_ZYGOTE", "1") == "0":
        from grader.sandbox import FRESH

        return FRESH
    if _warm_workers is None:
        from grader.sandbox import WarmWorkers

        _warm_workers = WarmWorkers()
    return _warm_workers


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@functools.cache
def registry():
    return load_registry()


def error_report(task: GradeTask, message: str) -> dict:
    """A report for a submission that could not be graded at all: every check scores 0."""
    report = Report(task.exercise, task.seed, "none", "none")
    report.error = message
    return report.to_dict()


def grade_task(task: GradeTask) -> dict:
    """Grade one submission (runs in a pool process); returns ``Report.to_dict()`` plus ``wall_s``."""
    from grader.runner import grade

    started = time.perf_counter()
    exercise = registry().get(task.exercise)
    with scratch_exercise(exercise.id, dict(task.files), prefix="grader-batch-") as folder:
        try:  # grade() itself reports missing files, without a worker
            report = grade(exercise, folder, seed=task.seed, device=task.device, time_limit=task.time_limit,
                           threads=task.threads, workers=shared_workers())
            result = report.to_dict(translated=task.lang)
        except Exception as exc:  # noqa: BLE001  (the grading itself failed: a 0, not a stopped batch)
            result = error_report(task, f"grading failed: {type(exc).__name__}: {exc}")
    result["wall_s"] = round(time.perf_counter() - started, 3)
    return result


def stop_zygote() -> None:
    """End this process's zygote (and its sandbox); a later grading starts a new one."""
    global _warm_workers
    if _warm_workers is not None:
        _warm_workers.stop()
    _warm_workers = None


def quiet_stdout() -> None:
    """Pytest or torch chatter of a grader process must not garble the batch's progress bar."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def warm(threads: int) -> None:
    """Import torch and the engine once, and start the zygote, before the first grading."""
    import torch

    torch.set_num_threads(max(1, threads))  # the verdicts' own tensor work shares the cores too
    import grader.plugin  # noqa: F401
    import grader.runner  # noqa: F401

    shared_workers()


def _warm(threads: int) -> None:
    """Pool process start-up: die with the parent, keep quiet, warm up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    quiet_stdout()
    warm(threads)


def make_pool(jobs: int, threads: int = 1) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_warm, initargs=(threads,))
