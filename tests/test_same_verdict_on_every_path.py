"""The same submission gets the same verdict on every grading path (DESIGN.md, principle 9).

Every reference, every untouched stub, a file over the size limit, and hostile submissions aimed at the warm paths (each
followed by a reference of the same exercise on the same path), graded with one seed:

(a) on a worker of its own (``grader check --no-server``),
(b) through warm workers (a zygote's child, as ``grader watch`` grades),
(c) through the grader server (``grader check`` once the server answers),
(d) by ``grader batch --jobs 1`` on the local pool (one zygote grades them all, in order),
(e) by ``grader batch --scheduler local:2`` on a Dask cluster,

must give the same score and the same check messages. A warm path may add ``review`` lines
for the instructor (tests/sandbox/test_workers.py); nothing else may differ.

Every exercise on four warm paths takes a quarter of an hour here, so the suite grades the
exercises in :data:`IN_SUITE` (exercise 04 holds the attacks; 09's ranks are several processes
in one sandbox); the acceptance run takes them all, and may keep the cores busy meanwhile:

    GRADER_EVERY_PATH=all GRADER_BUSY_LOOPS=2 pytest tests/test_same_verdict_on_every_path.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import paths
from grader.course.store import Store
from grader.registry import load_registry
from grader.report import Report
from grader.sandbox import FRESH, isolation
from grader.sandbox.limits import MAX_FILE_BYTES
from grader.workspace import pristine_stub

from warm_attacks import ATTACKS, REFERENCE, source

pytestmark = [pytest.mark.slow, pytest.mark.skipif(isolation.choose().level != "bubblewrap",
                                                   reason="the warm paths need bubblewrap (grader.sandbox.workers)")]

SEED = 1234  # the seed of tests/conftest.py's `graded`, whose path (a) reports are reused
# limits, death, a stop, a process left (every attack on the zygote: tests/sandbox/test_workers.py)
HOSTILE = ["limits-data", "signal-kill", "signal-stop", "daemon"]
REGISTRY = load_registry()
IN_SUITE = ("exercise-04", "exercise-09")
CHOSEN = [ex for ex in REGISTRY if os.environ.get("GRADER_EVERY_PATH") == "all" or ex.id in IN_SUITE]


def submissions() -> dict[tuple[str, str], dict[str, str]]:
    """(student, exercise) -> files; students sort so that each attacker comes just before a reference."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for ex in CHOSEN:
        found["reference", ex.id] = {f: (paths.SOLUTIONS_DIR / ex.id / f).read_text() for f in ex.files}
        found["stub", ex.id] = {f: pristine_stub(ex, f) for f in ex.files}
    for i, attack in enumerate(HOSTILE):
        found[f"h{i:02d}a-{attack}", "exercise-04"] = {"net.py": source(attack)}
        found[f"h{i:02d}b-after-{attack}", "exercise-04"] = {"net.py": REFERENCE}
    found["oversized", "exercise-04"] = {"net.py": REFERENCE + "#" * MAX_FILE_BYTES}  # one limit, one message
    return dict(sorted(found.items()))


SUBMISSIONS = submissions()


def verdict(report: dict) -> tuple:
    return report["score"], [(t["name"], t["passed"], t["points"], t["message"]) for t in report["tests"]]


def write_class(root: Path) -> Path:
    """``root/submissions/<student>/<exercise>/``, as grader batch reads a class; returns ``root/submissions``."""
    for (student, exercise), files in SUBMISSIONS.items():
        folder = root / "submissions" / student / exercise
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return root / "submissions"


def busy_loops() -> list[subprocess.Popen]:
    """``GRADER_BUSY_LOOPS`` processes spinning on the cores while the warm paths grade (none by default)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(int(os.environ.get("GRADER_BUSY_LOOPS", "0")))]


@pytest.fixture(scope="module")
def on_every_path(graded, tmp_path_factory, zygote, server_boxes_module) -> dict[str, dict]:
    """path -> {(student, exercise): report dict}; path (a) on a quiet machine, the warm paths beside
    ``GRADER_BUSY_LOOPS`` busy loops."""
    from grader.runner import grade

    root = write_class(tmp_path_factory.mktemp("class"))
    reports: dict[str, dict] = {path: {} for path in ("fresh", "zygote", "server", "batch", "dask")}
    for (student, exercise), _ in SUBMISSIONS.items():
        folder = root / student / exercise
        if student in ("reference", "stub"):
            reports["fresh"][student, exercise] = graded(exercise, student).to_dict()
        else:
            reports["fresh"][student, exercise] = grade(REGISTRY.get(exercise), folder, seed=SEED,
                                                        workers=FRESH).to_dict()
    loops = busy_loops()
    try:
        for (student, exercise), _ in SUBMISSIONS.items():
            reports["zygote"][student, exercise] = grade(REGISTRY.get(exercise), root / student / exercise,
                                                         seed=SEED, workers=zygote).to_dict()
        warm_paths(root, reports, server_boxes_module(), tmp_path_factory)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    return reports


def warm_paths(root: Path, reports: dict, box, tmp_path_factory) -> None:
    """(c) the server, (d) the local pool, (e) a Dask cluster."""
    box.grader("check", "exercise-04", "-w", str(root / "reference"), "--seed", str(SEED))  # starts it
    box.wait_serving()
    for (student, exercise), _ in SUBMISSIONS.items():
        result = box.grader("check", exercise, "-w", str(root / student), "--seed", str(SEED), "--json")
        assert result.code in (0, 1), result.stderr
        reports["server"][student, exercise] = result.json
    assert box.log().count("graded ") >= len(SUBMISSIONS), box.log()  # none fell back to a local grading
    for path, options in (("batch", ["--jobs", "1"]), ("dask", ["--scheduler", "local:2"])):
        copy = shutil.copytree(root.parent, tmp_path_factory.mktemp(path) / "class")
        result = box.grader("batch", str(copy), "--seed", str(SEED), *options, timeout=1200)
        assert result.code == 0, result.stdout + result.stderr
        store = Store(copy / ".grader-batch" / "files")
        for student, exercise in SUBMISSIONS:
            reports[path][student, exercise] = store.load(student, exercise)["report"]


@pytest.mark.parametrize("path", ["zygote", "server", "batch", "dask"])
def test_every_submission_gets_the_verdict_it_gets_on_a_worker_of_its_own(on_every_path, path):
    differ = {key: (verdict(on_every_path["fresh"][key]), verdict(report))
              for key, report in on_every_path[path].items() if verdict(report) != verdict(on_every_path["fresh"][key])}
    assert not differ, json.dumps({f"{s}/{e}": pair for (s, e), pair in differ.items()}, indent=1)[:4000]


@pytest.mark.parametrize("path", ["zygote", "server", "batch", "dask"])
def test_a_reference_after_an_attack_scores_full_marks_and_is_not_flagged(on_every_path, path):
    for (student, _), report in on_every_path[path].items():
        if "-after-" in student or student == "reference":
            assert report["score"] == report["max_score"] > 0, (student, verdict(report))
            assert not report.get("review"), (student, report.get("review"))


@pytest.mark.parametrize("path", ["zygote", "server", "batch", "dask"])
def test_each_attack_on_a_warm_path_is_flagged_with_what_it_tried(on_every_path, path):
    for i, attack in enumerate(HOSTILE):
        review = on_every_path[path][f"h{i:02d}a-{attack}", "exercise-04"].get("review", [])
        assert any(ATTACKS[attack][1] in line for line in review), (attack, review)


def test_the_references_and_stubs_score_as_the_registry_says(on_every_path):
    for (student, exercise), report in on_every_path["fresh"].items():
        if student == "stub":
            assert report["score"] == 0, exercise
        if student == "reference":
            assert Report.from_dict(report).score == REGISTRY.get(exercise).points, exercise
