"""Grade one exercise: start the sandboxed worker, run the hidden checks, report.

The worker is started *before* torch and pytest are imported here, so that
its torch import (and the learner's) runs on another core while ours does.
Where the workers come from is the caller's choice (:mod:`grader.sandbox.workers`):
fresh sandboxed processes (``grader check``), or the warm workers of a long-lived
process (the server, ``grader watch``, ``grader batch``), whose gradings count only
when their zygote vouches for them. Front ends do not call this module: they go
through :mod:`grader.checking` (a learner's check) or the batch's pool.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from grader import paths
from grader.i18n import join_semicolons, t
from grader.registry import Exercise
from grader.report import CheckResult, Report
from grader.sandbox import FRESH, MAX_FILE_BYTES, LearnerSession, Limits, WorkerFactory, Workers, too_large
from grader.scoring import settle

DEVICE_MODES = ("auto", "cpu", "cuda")


class DeviceUnavailable(RuntimeError):
    """``--device cuda`` on a machine without CUDA."""


def fresh_seed() -> int:
    return secrets.randbelow(2**31)


def open_session(exercise: Exercise, learner_dir: Path, *, workers: WorkerFactory = FRESH,
                 time_limit: float | None = None, threads: int | None = None) -> LearnerSession:
    """Start the learner's worker now, under the exercise's limits (``time_limit`` and
    ``threads`` override them: a batch splits the cores between its gradings)."""
    limits = Limits(time_limit=time_limit or exercise.time_limit, memory_mb=exercise.memory_limit_mb)
    if threads:
        limits = Limits(limits.time_limit, limits.memory_mb, max(1, threads))
    return LearnerSession(learner_dir, exercise.module_names, limits, workers)


def resolve_devices(mode: str) -> list[str]:
    import torch

    cuda = torch.cuda.is_available()
    if mode == "cuda":
        if not cuda:
            raise DeviceUnavailable(t("--device cuda: CUDA is not available on this machine"))
        return ["cuda"]
    return ["cpu", "cuda"] if mode == "auto" and cuda else ["cpu"]


def grade(exercise: Exercise, learner_dir: Path, *, seed: int | None = None, device: str = "auto",
          time_limit: float | None = None, threads: int | None = None,
          workers: Workers = FRESH) -> Report:
    """Grade ``learner_dir`` (a folder holding the exercise's files) against the checks.

    A missing file, or one over the size limit, is a failed ``files_present`` check (no worker
    is started for it). Warm workers grade only as far as they vouch (see :mod:`grader.sandbox.workers`).
    """
    seed = fresh_seed() if seed is None else seed
    missing = missing_report(exercise, learner_dir, seed)
    if missing:
        return missing

    def once(factory: WorkerFactory) -> Report:
        return _grade_once(exercise, learner_dir, seed, device, time_limit, threads, factory)

    return workers.vouched(once)


def _grade_once(exercise: Exercise, learner_dir: Path, seed: int, device: str, time_limit: float | None,
                threads: int | None, workers: WorkerFactory) -> Report:
    session = open_session(exercise, learner_dir, workers=workers, time_limit=time_limit, threads=threads)
    try:
        devices = resolve_devices(device)
        from grader.plugin import GraderPlugin, RunContext, run_pytest

        plugin = GraderPlugin(RunContext(exercise, session, seed, devices))
        report = Report(exercise.id, seed, "+".join(devices), session.isolation.description)
        module = paths.CHECKS_DIR / f"{exercise.checks_module}.py"
        code = run_pytest(module, plugin)
        report.tests = list(plugin.results.values())
        settle(report.tests, plugin.requirements, session.import_failure)
        if not report.tests:
            report.error = t("the hidden checks could not be run (pytest exit code {code})", code=code)
    finally:
        session.close()
    report.output = session.output()  # complete only once the worker is gone
    return report


def _unfit_files(exercise: Exercise, learner_dir: Path) -> str | None:
    """Why the learner's files cannot be graded (absent, or over the one size limit), or None."""
    missing = [f for f in exercise.files if not (learner_dir / f).is_file()]
    if missing:
        return t("missing {files} in {folder}", files=", ".join(missing), folder=learner_dir)
    large = [f for f in exercise.files if (learner_dir / f).stat().st_size > MAX_FILE_BYTES]
    return join_semicolons(too_large(f) for f in large) or None


def missing_report(exercise: Exercise, learner_dir: Path, seed: int | None) -> Report | None:
    """A failed report when the learner's files are absent or too large (a failure, not a crash)."""
    why = _unfit_files(exercise, learner_dir)
    if not why:
        return None
    report = Report(exercise.id, fresh_seed() if seed is None else seed, "none", "none")
    report.error = why
    report.tests = [CheckResult("files_present", False, 0.0, float(exercise.points), report.error, "failed")]
    return report
