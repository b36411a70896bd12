"""``grader batch --scheduler``: gradings as tasks of a Dask cluster (:mod:`grader.course.batch.cluster`).

One local cluster of two worker processes (started by the kit's own ``local:2``) serves the
module; the batches reach it by its ``tcp://127.0.0.1:PORT`` address, as a remote one would be.
It must give the local pool's grades, keep learner code away from its ports, and lose nothing
when a worker is SIGKILLed in the middle of a grade_class.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import threading
import time
from pathlib import Path

import nbformat
import pytest

from grader import paths
from grader.course import CourseError
from grader.course.batch import cluster, grade_class
from grader.course.build.course_folder import build_course
from grader.course.gradebook import generate_assignment, load_coursedir
from grader.course.store import Store
from grader.registry import load_registry
from grader.sandbox import isolation

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()


def test_scheduler_option_is_read_strictly():
    assert cluster.parse("local:2") == 2
    assert cluster.parse("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert cluster.parse("tls://head:8786") == "tls://head:8786"
    for wrong in ("local:0", "local:x", "10.0.0.5:8786", "tcp://"):
        with pytest.raises(ValueError, match="--scheduler"):
            cluster.parse(wrong)


def test_scheduler_and_jobs_together_are_a_usage_error(grader, tmp_path):
    both = grader("batch", str(tmp_path), "--scheduler", "local:2", "--jobs", "2")
    assert both.code == 2 and "--jobs is for the local pool" in both.stderr
    bad = grader("batch", str(tmp_path), "--scheduler", "head:8786")
    assert bad.code == 2 and "tcp://HOST:PORT" in bad.stderr


@pytest.fixture(scope="module")
def dask_cluster():
    """(client, every address the cluster listens on) of the kit's own ``local:2``."""
    with cluster.connect("local:2") as client:
        info = client.scheduler_info()
        addresses = [client.scheduler.address] + list(info["workers"])
        addresses += [w["nanny"] for w in info["workers"].values() if w.get("nanny")]
        yield client, addresses


def prober(addresses: list[str]) -> str:
    """exercise-04's reference, which at import tries every port of the cluster and breaks if one answers."""
    targets = [(a.split("://")[1].rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in addresses]
    return REFERENCE + (
        "\n\nimport socket as _socket\n\n"
        f"for _host, _port in {targets!r}:\n"
        "    try:\n"
        "        _socket.create_connection((_host, _port), timeout=1).close()\n"
        "    except OSError:\n"
        "        continue\n"
        "    raise RuntimeError(f'reached the Dask cluster at {_host}:{_port}')\n")


def grades(store: Store, students: list[str], item: str) -> dict:
    found = {}
    for student in students:
        report = store.load(student, item)["report"]
        found[student] = (report.get("error"), [(t["name"], t["passed"], t["points"], t.get("message"))
                                                for t in report["tests"]])
    return found


@pytest.mark.slow
def test_same_grades_as_the_local_pool_and_no_way_out_of_the_sandbox(dask_cluster, tmp_path):
    client, addresses = dask_cluster
    assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses  # loopback only
    for address in addresses:  # the ports answer here, outside the sandbox ...
        host, port = address.split("://")[1].rsplit(":", 1)
        socket.create_connection((host, int(port)), timeout=5).close()
    if isolation.choose().level == "rlimits":
        pytest.skip("no network namespace here (neither bubblewrap nor unshare works)")

    answers = {"alice": REFERENCE, "bob": STUB, "mallory": prober(addresses)}
    pool_root, dask_root = tmp_path / "pool", tmp_path / "dask"
    for student, text in answers.items():
        folder = pool_root / "submissions" / student / "exercise-04"
        folder.mkdir(parents=True)
        (folder / "net.py").write_text(text)
    shutil.copytree(pool_root, dask_root)
    options = {"registry": load_registry(), "chosen": None, "time_limit": 10, "seed": 3, "csv_path": None,
               "force": False, "progress": False, "note": lambda line: None}
    by_pool = grade_class.grade_files(pool_root, jobs=2, **options)
    on_dask = grade_class.grade_files(dask_root, jobs=None, scheduler=client.scheduler.address, **options)
    assert on_dask.summary.graded == 3 and on_dask.summary.crashed == 0

    expected = grades(by_pool.store, list(answers), "exercise-04")
    assert grades(on_dask.store, list(answers), "exercise-04") == expected
    # ... and not inside it: the prober's connections all failed, so it scores as the reference does
    assert expected["mallory"] == expected["alice"]
    assert all(passed for _, passed, _, _ in expected["alice"][1])


def course_with_class(root: Path, students: dict[str, dict[str, str]]):
    registry = load_registry()
    exercises = [registry.get(e) for e in ("exercise-01", "exercise-04")]
    build_course(root, "ps1", exercises, seed=3, time_limit=10)
    coursedir = load_coursedir(root)
    generate_assignment(coursedir, "ps1")
    for student, kinds in students.items():
        folder = root / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        for ex in exercises:
            nb = nbformat.read(root / "release" / "ps1" / f"{ex.id}.ipynb", as_version=4)
            source = (paths.SOLUTIONS_DIR if kinds[ex.id] == "reference" else paths.EXERCISES_DIR) / ex.id
            cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
            cell.source = f"%%writefile {ex.files[0]}\n" + (source / ex.files[0]).read_text()
            nbformat.write(nb, folder / f"{ex.id}.ipynb")
    return coursedir, exercises


def gradebook_rows(db_url: str) -> list[tuple]:
    """(student, notebook) of every submitted notebook, and (student, notebook, grade cell) of every grade."""
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
        notebooks = db.execute("select sa.student_id, n.name from submitted_notebook sn "
                               "join submitted_assignment sa on sn.assignment_id = sa.id "
                               "join notebook n on sn.notebook_id = n.id").fetchall()
        cells = db.execute("select sa.student_id, sn.notebook_id, g.cell_id from grade g "
                           "join submitted_notebook sn on g.notebook_id = sn.id "
                           "join submitted_assignment sa on sn.assignment_id = sa.id").fetchall()
    return notebooks, cells


def kill_a_busy_worker(client, store_root: Path, killed: list, stop: threading.Event) -> None:
    """Once a first result is recorded, SIGKILL a worker process that is grading."""
    pids = client.run(os.getpid)
    while not stop.is_set() and not list(store_root.glob("*/*.json")):
        time.sleep(0.05)
    while not stop.is_set():
        busy = [w for w, keys in client.processing().items() if any(str(k).startswith("grade-") for k in keys)]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing(dask_cluster, tmp_path):
    client, _ = dask_cluster
    students = {"alice": {"exercise-01": "reference", "exercise-04": "reference"},
                "bob": {"exercise-01": "stub", "exercise-04": "stub"},
                "carol": {"exercise-01": "reference", "exercise-04": "stub"}}
    coursedir, exercises = course_with_class(tmp_path / "course", students)
    killed, stop = [], threading.Event()
    killer = threading.Thread(target=kill_a_busy_worker,
                              args=(client, tmp_path / "course" / ".grader-batch" / "ps1", killed, stop))
    killer.start()
    try:
        outcome = grade_class.grade_course(tmp_path / "course", "ps1", registry=load_registry(), jobs=None,
                                     time_limit=None, force=False, progress=False, note=lambda line: None,
                                     scheduler=client.scheduler.address)
    finally:
        stop.set()
        killer.join()
    assert killed, "no worker was grading when the first result came in"
    assert outcome.summary.graded == 6 and outcome.summary.crashed == 0

    notebooks, cells = gradebook_rows(coursedir.db_url)
    assert sorted(notebooks) == sorted((s, ex.id) for s in students for ex in exercises)  # no row twice
    assert len(cells) == len(set(cells))
    for student, kinds in students.items():
        for ex in exercises:
            report = outcome.store.load(student, ex.id)["report"]
            earned = sum(t["points"] for t in report["tests"] if t["passed"])
            assert (earned == ex.points) == (kinds[ex.id] == "reference"), (student, ex.id, report.get("error"))


@pytest.mark.slow
def test_a_cuda_course_on_a_local_cluster_without_gpu_stops_with_a_reason(dask_cluster):
    from grader.course.batch.grading import Submission, make_task

    if cluster.local_gpus():
        pytest.skip("this machine has a GPU: its local cluster's workers declare it")
    client, _ = dask_cluster
    exercise = load_registry().get("exercise-04")
    task = make_task(exercise, {"net.py": REFERENCE}, 3, 10, "cuda")
    results = cluster.results(client, [Submission("ann", exercise.id, exercise, task, "sha", "settings")],
                              wait_for_gpus=False)
    with pytest.raises(CourseError, match="no worker of the cluster has a GPU"):
        next(results)


def test_a_worker_whose_kit_grades_differently_refuses_the_task():
    from grader.course.batch.cluster_worker import KitMismatch, grade
    from grader.course.batch.grading import make_task

    exercise = load_registry().get("exercise-04")
    task = make_task(exercise, {"net.py": REFERENCE}, 3, 10, "cpu")
    with pytest.raises(KitMismatch, match="install the same version of the kit"):
        grade(task, "0" * 16)  # the client's fingerprint of exercise-04, from another version
