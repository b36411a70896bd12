"""What checks call (the ``learner`` fixture): probes on a worker, restarted where that helps.

A failure while *importing* is final (it would recur). A crash inside one probe
costs only that check, and the next check gets a fresh worker. A timeout is
final too: every later call fails at once, pointing at the first, so a loop
costs one time limit rather than one per check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.i18n import t
from grader.sandbox.channel import Channel
from grader.sandbox.errors import LearnerCrashed, LearnerImportFailed, LearnerRaised, LearnerTimeout
from grader.sandbox.isolation import Isolation
from grader.sandbox.limits import Limits
from grader.sandbox.worker_process import WorkerProcess

MAX_RESTARTS = 3

# How a grading obtains a worker for (learner folder, module names, limits): a fresh
# sandboxed process (WorkerProcess, the default) or a child of a warm zygote (Zygote.worker).
WorkerFactory = Callable[[Path, tuple[str, ...], Limits], Channel]


@dataclass(frozen=True)
class Attempt:
    """A probe's result, or the exception the learner's code raised in it (as data)."""

    value: object = None
    error: str = ""  # "Type: message"; empty when the probe returned
    where: str = ""  # the learner's file:line in function
    exc_type: str = ""

    @property
    def raised(self) -> bool:
        return bool(self.error)

    def describe(self) -> str:
        """``"Type: message (file:line in f)"``, for a check's message."""
        return t("{error} ({where})", error=self.error, where=self.where) if self.where else self.error


class LearnerSession:
    def __init__(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits,
                 workers: WorkerFactory = WorkerProcess):
        self.learner_dir = Path(learner_dir)
        self.modules = modules
        self.limits = limits
        self._workers = workers
        self.worker = workers(self.learner_dir, modules, limits)
        self.restarts = 0
        self.timed_out: str | None = None  # the timeout's message
        self._cpu_before = 0.0  # cpu_used of the workers this session has replaced
        self._outputs: list[str] = []

    @property
    def isolation(self) -> Isolation:
        return self.worker.isolation

    def fresh(self) -> LearnerSession:
        """Another session on the same files and limits, with a worker of its own."""
        return LearnerSession(self.learner_dir, self.modules, self.limits, self._workers)

    def run(self, probe, *args, timeout: float | None = None):
        """The probe's plain-data result; raises a LearnerError when the learner's code fails."""
        return self._on_worker(lambda worker: worker.run(probe, *args, timeout=timeout))

    def run_ranks(self, probe, world_size: int, *args, rank_cpu_s: float, wall_s: float, grace_s: float,
                  ports: int = 1, timeout: float | None = None) -> dict:
        """``probe(learner, me, *args)`` on ``world_size`` processes, for checks of distributed
        code; each rank's report as plain data (see ``inside/ranks.py``, and :meth:`Channel.run_ranks`)."""
        return self._on_worker(lambda worker: worker.run_ranks(
            probe, world_size, *args, rank_cpu_s=rank_cpu_s, wall_s=wall_s, grace_s=grace_s, ports=ports,
            timeout=timeout))

    def _on_worker(self, call: Callable[[Channel], object]):
        """``call(worker)`` on a live worker; a timeout is final for the session."""
        if self.timed_out:
            raise LearnerTimeout(t("not run, since your code already {timed_out}", timed_out=self.timed_out))
        if not self.worker.alive() and self.worker.import_error is None:
            self._restart()
        try:
            return call(self.worker)
        except LearnerTimeout as exc:
            self.timed_out = exc.message
            raise

    def attempt(self, probe, *args, timeout: float | None = None) -> Attempt:
        """As :meth:`run`, but an exception raised in the probe comes back as data, for checks
        whose verdict depends on what was raised (timeouts and crashes still raise)."""
        try:
            return Attempt(self.run(probe, *args, timeout=timeout))
        except LearnerRaised as exc:
            return Attempt(None, exc.error, exc.where, exc.exc_type)  # exc.error: recognised (see sentences)

    @property
    def cpu_used(self) -> float:
        """CPU seconds the learner's code used in this session's probes."""
        return self._cpu_before + self.worker.cpu_used

    def _restart(self) -> None:
        if self.restarts >= MAX_RESTARTS:
            raise LearnerCrashed(t("not run: your code crashed or timed out too often in earlier checks"))
        self.restarts += 1
        self._cpu_before += self.worker.cpu_used
        self._outputs.append(self.worker.output.text())
        self.worker.close()
        self.worker = self._workers(self.learner_dir, self.modules, self.limits)

    def import_failure(self) -> str | None:
        """Why the learner's modules cannot be imported, or None: a module that cannot be
        imported scores 0, whatever checks that never ran it said."""
        try:
            self.worker.wait_imported()
        except LearnerImportFailed as exc:
            return exc.message
        return None

    def output(self) -> str:
        return "".join(self._outputs + [self.worker.output.text()])

    def close(self) -> None:
        self.worker.close()
