"""Where a grading gets its sandboxed workers: fresh ones, or warm ones held to the fresh standard.

Every grading asks a ``Workers`` object for workers and lets it vouch for the result
(:meth:`vouched`): :data:`FRESH` starts a sandboxed process of its own for each (``grader check``,
the standard every other path is held to); :class:`WarmWorkers` forks them from a zygote.

The grader server, ``grader watch``, each process of ``grader batch``'s pool and each Dask
worker grade through one :class:`WarmWorkers`: a child of a sandboxed zygote where one can run
(under bubblewrap), else a worker of its own, exactly as ``grader check --no-server`` grades.

A grade counts only when the machinery vouches for it. The zygote audits itself after every
child (see ``inside/zygote.py``); if, while a grading ran, it died, stopped answering, failed to
fork or found itself changed, that grading is done again on fresh workers (nothing shared with
any other submission) and only that second report is kept. So a submission that attacks the
process that forked it cannot cost anyone else a point, and even its own report never says
more or less than a worker of its own would have said. What the zygote saw goes into the
report's ``review`` lines, for the instructor (the batch's feedback and the class report).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.report import Report
from grader.sandbox.channel import Channel
from grader.sandbox.limits import Limits
from grader.sandbox.session import WorkerFactory
from grader.sandbox.worker_process import WorkerProcess
from grader.sandbox.zygote_process import Zygote, ZygoteError

REGRADED = "graded again on a fresh worker, and only that grade kept"


class FreshWorkers:
    """A sandboxed process of its own for every worker (from ``factory``); nothing to vouch for, nothing to stop."""

    def __init__(self, factory: WorkerFactory = WorkerProcess):
        self.factory = factory

    def __call__(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits) -> Channel:
        return self.factory(learner_dir, modules, limits)

    def vouched(self, grade: Callable[[WorkerFactory], Report]) -> Report:
        return grade(self)

    def stop(self) -> None:
        pass


FRESH = FreshWorkers()


class WarmWorkers:
    """A worker factory: a zygote's child, else a worker of its own; see :meth:`vouched`."""

    def __init__(self):
        try:
            self.zygote: Zygote | None = Zygote()
            self.cold_reason = ""
        except ZygoteError as exc:  # each grading then starts its own worker, as grader check does
            self.zygote, self.cold_reason = None, str(exc)

    def __call__(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits) -> Channel:
        if self.zygote is None:
            return FRESH(learner_dir, modules, limits)
        return self.zygote.worker(learner_dir, modules, limits)

    def vouched(self, grade: Callable[[WorkerFactory], Report]) -> Report:
        """``grade(workers)`` through the zygote, or again on fresh workers if the zygote cannot
        vouch for it; the report's ``review`` says what the zygote saw."""
        if self.zygote is None:
            return grade(FRESH)
        self.zygote.alive()  # a zygote that died between gradings is no submission's doing: noted before the mark
        incidents, left = len(self.zygote.incidents), len(self.zygote.left)
        report = grade(self)
        failed = self.zygote.incidents[incidents:]
        review = list(dict.fromkeys(self.zygote.left[left:] + failed))  # a restarted worker may repeat one
        if failed:
            report = grade(FRESH)
            review.append(REGRADED)
        report.review = review
        return report

    def stop(self) -> None:
        if self.zygote is not None:
            self.zygote.stop()


Workers = FreshWorkers | WarmWorkers
