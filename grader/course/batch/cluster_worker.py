"""What runs on a Dask worker of ``grader batch --scheduler``: one sandboxed zygote, and the grading task.

:class:`ZygotePlugin` starts the worker's zygote when the worker starts (and every worker
that joins later, e.g. one a nanny restarted) and stops it when the worker closes, as a
pool process does in :func:`grader.course.batch.pool._warm`. :func:`grade` is the task: the
submission's :class:`~grader.course.batch.pool.GradeTask` in, the report out as JSON text, so the
client reads nothing but plain data. The learner's code runs, as always, only in the sandbox
the zygote forks (its own network namespace under bubblewrap: no route to the scheduler or to
any worker's port).

Kept apart from :mod:`grader.course.batch.cluster` (the client's side) because it imports
``distributed`` at once: a worker plugin must subclass its ``WorkerPlugin``.
"""

from __future__ import annotations

import dataclasses
import json
import threading

from distributed import WorkerPlugin

from grader.course import catalog
from grader.course.batch import pool

_one_at_a_time = threading.Lock()  # pytest is not thread-safe: a worker with many threads grades one by one
_threads = 1  # torch threads per grading on this worker (set by the plugin)


class KitMismatch(RuntimeError):
    """The worker's kit grades an exercise differently from the client's (other checks or reference)."""


class ZygotePlugin(WorkerPlugin):
    """Each worker's own sandboxed zygote: started at set-up, stopped at teardown."""

    name = "grader-zygote"

    def __init__(self, threads: int | None = None, quiet: bool = False):
        self.threads, self.quiet = threads, quiet

    def setup(self, worker) -> None:
        global _threads
        # one grading at a time may use every thread the worker declares (dask-jobqueue: cores / processes)
        _threads = self.threads or max(1, worker.state.nthreads)
        if self.quiet:  # a local cluster's workers share the client's terminal
            pool.quiet_stdout()
        pool.warm(_threads)

    def teardown(self, worker) -> None:
        pool.stop_zygote()


def grade(task: pool.GradeTask, fingerprint: str) -> str:
    """Grade one submission on this worker; the report as JSON. ``fingerprint`` is the client's
    :func:`~grader.course.catalog.fingerprint` of the exercise: grades from another kit are refused."""
    exercise = pool.registry().get(task.exercise)
    if catalog.fingerprint(exercise) != fingerprint:
        raise KitMismatch(f"the Dask worker's kit grades {task.exercise} differently from this one "
                          "(other checks or reference): install the same version of the kit on every worker")
    with _one_at_a_time:
        return json.dumps(pool.grade_task(dataclasses.replace(task, threads=_threads)))
