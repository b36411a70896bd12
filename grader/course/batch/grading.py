"""Grading many submissions, resumably, in the engine's pool of grader processes (or on a Dask cluster).

Both modes of ``grader batch`` turn what they find into :class:`Submission`\\ s
and hand them to :func:`run` with a *sink* that stores each result where its
mode keeps grades. A submission whose content and grading settings match its
record in the :class:`~grader.course.store.Store` is not graded again, and a
record is written only after the sink stored the grades it describes, so a
batch killed at any instant loses nothing and redoes only what was unfinished.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from grader.course.batch import pool
from grader.course.store import Store
from grader.registry import Exercise

MAX_ATTEMPTS = 2  # a submission whose grading process dies twice scores 0


def sha256(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def make_task(ex: Exercise, files: dict, seed: int, time_limit, device: str, lang: str = "en") -> pool.GradeTask:
    return pool.GradeTask(ex.id, tuple(sorted(files.items())), seed, time_limit, device, lang=lang)


@dataclass
class Submission:
    student: str
    item: str  # the notebook's name (nbgrader) or the exercise id (files)
    exercise: Exercise
    task: pool.GradeTask
    submission_sha: str
    settings_sha: str
    ready: dict | None = None  # a report that needs no grading (nothing submitted, unreadable)
    context: dict = field(default_factory=dict)


@dataclass
class Summary:
    graded: int = 0
    kept: int = 0  # already recorded, unchanged
    restored: int = 0  # already graded, but the gradebook had lost it: written again
    crashed: int = 0  # the grading process itself died
    wall_s: float = 0.0
    grading_s: list[float] = field(default_factory=list)


class Sink(Protocol):
    def record(self, sub: Submission, report: dict) -> None:
        """Store the grades durably."""

    def ensure(self, sub: Submission, report: dict) -> bool:
        """Store an already recorded result again if it was lost; True if it did."""


def run(submissions: list[Submission], store: Store, sink: Sink, *, jobs: int, force: bool = False,
        progress: bool = True, console=None, scheduler: str | None = None) -> Summary:
    """Grade what is missing or changed; ``sink.record`` stores each result, then the store marks it done.

    ``scheduler`` (``tcp://HOST:PORT`` or ``local:N``) grades on a Dask cluster instead of the local
    pool; it is reached only when something is left to grade.
    """
    started = time.perf_counter()
    summary = Summary()
    todo: list[Submission] = []
    for sub in submissions:
        record = None if force else store.load(sub.student, sub.item)
        if (record and record.get("submission_sha") == sub.submission_sha
                and record.get("settings_sha") == sub.settings_sha):
            summary.kept += 1
            if sink.ensure(sub, record["report"]):
                summary.restored += 1
            continue
        if sub.ready is not None:
            _finish(sub, sub.ready, store, sink)
            summary.graded += 1
            continue
        todo.append(sub)

    if todo:
        _grade_all(todo, store, sink, jobs=jobs, scheduler=scheduler, progress=progress, console=console,
                   summary=summary)
    summary.wall_s = time.perf_counter() - started
    return summary


def _finish(sub: Submission, report: dict, store: Store, sink: Sink) -> None:
    sink.record(sub, report)  # first the grades, durably ...
    store.save(sub.student, sub.item, {  # ... then the mark that says they are there
        "student": sub.student, "item": sub.item, "exercise": sub.exercise.id, "max_score": sub.exercise.points,
        "submission_sha": sub.submission_sha, "settings_sha": sub.settings_sha,
        "graded_at": datetime.now(UTC).isoformat(timespec="seconds"), "report": report,
    })


def _grade_all(todo: list[Submission], store: Store, sink: Sink, *, jobs: int, scheduler: str | None, progress: bool,
               console, summary: Summary) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.description}"),
                   console=console, disable=not progress, transient=False)
    with bar, _results(todo, jobs, scheduler) as results:
        task_id = bar.add_task("", total=len(todo))
        for sub, report, crashed in results:
            summary.crashed += crashed
            summary.grading_s.append(float(report.get("wall_s", 0.0)))
            _finish(sub, report, store, sink)  # here, in the batch's own process: the only writer
            summary.graded += 1
            bar.update(task_id, advance=1, description=f"{sub.student}/{sub.item}")


@contextmanager
def _results(todo: list[Submission], jobs: int, scheduler: str | None):
    """(submission, report, whether its grading process died) as each grading ends, from the
    local pool or, with ``scheduler``, from a Dask cluster (:mod:`grader.course.batch.cluster`)."""
    if scheduler is None:
        with closing(_pool_results(todo, jobs)) as results:  # closed: the pool is shut down at once
            yield results
        return
    from grader.course.batch import cluster

    wait_for_gpus = not scheduler.startswith(cluster.LOCAL)  # GPU workers may join a remote cluster later
    with cluster.connect(scheduler) as client, closing(cluster.results(client, todo, wait_for_gpus=wait_for_gpus)) \
            as results:
        yield results


def _pool_results(todo: list[Submission], jobs: int) -> Iterator[tuple[Submission, dict, bool]]:
    threads = max(1, pool.default_jobs() // max(1, jobs))  # torch threads per grading, so jobs do not fight
    attempts: Counter = Counter()
    pending = list(todo)
    while pending:
        executor = pool.make_pool(max(1, min(jobs, len(pending))), threads)
        futures = {executor.submit(pool.grade_task, dataclasses.replace(sub.task, threads=threads)): sub
                   for sub in pending}
        pending = []
        try:
            for future in as_completed(futures):
                sub = futures[future]
                try:
                    report, crashed = future.result(), False
                except (BrokenProcessPool, OSError, RuntimeError) as exc:
                    attempts[id(sub)] += 1
                    if attempts[id(sub)] < MAX_ATTEMPTS:
                        pending.append(sub)
                        continue
                    report = pool.error_report(sub.task, f"the grading process died ({type(exc).__name__})")
                    crashed = True
                yield sub, report, crashed
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
