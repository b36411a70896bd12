"""Grading on a Dask cluster, the client's side: ``grader batch ... --scheduler tcp://HOST:PORT`` or ``local:N``.

Each grading is one ``dask.distributed`` task (:func:`grader.course.batch.cluster_worker.grade`): the
submission's files travel inside the task as text, so the workers need the kit installed but
no shared filesystem, and the report comes back as JSON text. Only this process (the client)
writes nbgrader's gradebook and the batch's records, as results arrive
(:func:`grader.course.batch.grading.run`). A worker that dies mid-batch costs only time: Dask's
scheduler runs its tasks again elsewhere, and since nothing was written for them, no row is
written twice. A task that took down :data:`ALLOWED_FAILURES` + 1 workers comes back as
``KilledWorker`` and scores 0, as a submission whose pool process died twice does.

Dask runs whatever pickled function a client sends, so the scheduler and workers are trusted
kit processes: a local cluster listens on 127.0.0.1 only, a multi-node one should use TLS
(the instructor guide shows how), and learner code never runs in them but in the sandbox a
worker's zygote forks, which has no network.
"""

from __future__ import annotations

import glob
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from grader.course import CourseError, catalog
from grader.course.batch import pool

LOCAL = "local:"
SCHEMES = ("tcp://", "tls://", "ucx://", "inproc://")
ALLOWED_FAILURES = 1  # a local cluster's scheduler: a task may lose one worker, not two (the pool's MAX_ATTEMPTS)
CONNECT_TIMEOUT_S = 30
GPU = {"GPU": 1}  # a CUDA grading waits for a worker started with `--resources GPU=1`
INSTALL_HINT = "pip install 'pytorch-quiz-kit[cluster]' (dask[distributed])"


def parse(spec: str) -> int | str:
    """``local:N`` -> N worker processes on this machine; ``tcp://HOST:PORT`` (or tls://) -> that address."""
    if spec.startswith(LOCAL):
        try:
            workers = int(spec.removeprefix(LOCAL))
        except ValueError:
            workers = 0
        if workers < 1:
            raise ValueError(f"--scheduler {spec}: local:N needs a number of workers N of at least 1")
        return workers
    if spec.startswith(SCHEMES) and len(spec.split("://", 1)[1]) > 0:
        return spec
    raise ValueError(f"--scheduler {spec}: give a scheduler's address (tcp://HOST:PORT or tls://HOST:PORT) "
                     "or local:N for N worker processes on this machine")


def available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def connect(spec: str):
    """A Dask client for ``spec``, each of its workers running a :class:`ZygotePlugin`; closed on exit
    (with the local cluster it started, if any)."""
    if not available():
        raise CourseError(f"--scheduler needs Dask: {INSTALL_HINT}")
    import dask
    from distributed import Client, LocalCluster

    from grader.course.batch.cluster_worker import ZygotePlugin

    target = parse(spec)
    if isinstance(target, int):
        gpus = {"resources": GPU} if local_gpus() else {}  # each worker may use this machine's GPU
        with (dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}),
              LocalCluster(n_workers=target, processes=True, threads_per_worker=1, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR, **gpus) as local,
              Client(local) as client):
            client.register_plugin(ZygotePlugin(threads=max(1, pool.default_jobs() // target), quiet=True))
            yield client
        return
    try:
        client = Client(target, timeout=CONNECT_TIMEOUT_S)
    except OSError as exc:
        raise CourseError(f"cannot reach the Dask scheduler at {target}: {exc}") from None
    with client:
        client.register_plugin(ZygotePlugin())
        yield client


def local_gpus() -> int:
    """NVIDIA GPUs of this machine, as the sandbox sees them (its device files)."""
    return len(glob.glob("/dev/nvidia[0-9]*"))


def results(client, todo: list, *, wait_for_gpus: bool = True) -> Iterator[tuple[object, dict, bool]]:
    """(submission, report, whether its worker died) as each task ends; see :func:`grader.course.batch.grading.run`.

    A CUDA grading runs only on a worker with the ``GPU`` resource; without ``wait_for_gpus``
    (a local cluster, to which no GPU worker will come) a batch that needs one and has none stops.
    """
    from distributed import KilledWorker, as_completed

    from grader.course.batch.cluster_worker import KitMismatch, grade

    if not wait_for_gpus and any(sub.task.device == "cuda" for sub in todo) and not gpu_workers(client):
        raise CourseError("this course grades on CUDA (built with --device cuda), and no worker of the cluster has a "
                          "GPU; grade it on a cluster with GPU workers (see the instructor guide)")

    fingerprints = {sub.exercise.id: catalog.fingerprint(sub.exercise) for sub in todo}
    futures = {client.submit(grade, sub.task, fingerprints[sub.exercise.id], pure=False,
                             key=f"grade-{sub.student}-{sub.item}-{uuid.uuid4().hex[:8]}",
                             resources=GPU if sub.task.device == "cuda" else None): sub
               for sub in todo}
    try:
        for future in as_completed(futures):
            sub = futures[future]
            try:
                report, crashed = json.loads(future.result()), False
            except KilledWorker:
                report = pool.error_report(sub.task, "the grading process died (its Dask workers were lost)")
                crashed = True
            except KitMismatch as exc:
                raise CourseError(str(exc)) from None
            yield sub, report, crashed
    finally:
        client.cancel(list(futures))


def gpu_workers(client) -> int:
    return sum(1 for w in client.scheduler_info().get("workers", {}).values() if w.get("resources", {}).get("GPU"))
