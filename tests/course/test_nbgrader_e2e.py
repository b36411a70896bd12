"""End to end, with real nbgrader and its real SQLite gradebook.

A course is built from the kit, nbgrader releases it, and a class of simulated
students submits: the reference, the untouched stub, partly wrong answers and
hostile ones. The class is graded twice, in two copies of the course with their
own gradebooks: by ``nbgrader autograde`` (the notebook's test cells call the
kit's engine) and by ``grader batch``, which is killed with SIGKILL half-way and
re-run. ``nbgrader export`` must then give every student the expected score.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from grader import paths

from course_helpers import grader_cli, nbgrader, venv_env

pytestmark = pytest.mark.slow

ASSIGNMENT = "ps1"
TIME_LIMIT = "5"  # CPU seconds per call of student code: an infinite loop costs seconds, not 10 s
REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()
RELU_ON_LOGITS = REFERENCE.replace("return self.fc2(x)", "return F.relu(self.fc2(x))")

# name: (net.py, what else the student did to the notebook, score by nbgrader autograde, by grader batch)
STUDENTS = {
    "alice": (REFERENCE, None, 10, 10),
    "bob": (None, None, 0, 0),  # submitted the released notebook untouched
    "carol": (RELU_ON_LOGITS, None, 9, 9),  # fails returns_raw_logits (1 point)
    "dave": (REFERENCE + "\n\nwhile True:  # never finishes importing\n    pass\n", None, 0, 0),
    # os._exit in forward: every check that calls forward crashes; parameter_budget does not, but a
    # budget earns nothing for a Net that cannot run (no points for no work), in both modes
    "eve": (REFERENCE.replace("    def forward(self, x):\n",
                              "    def forward(self, x):\n        import os\n        os._exit(0)\n"), None, 0, 0),
    # dropout left on in eval mode, and torch.allclose/torch.equal patched to always agree: the
    # patch stays in the sandbox, the verdicts are reached outside it (samples_do_not_mix and
    # eval_mode_is_deterministic fail: 3 points)
    "frank": ("import torch\n" + REFERENCE.replace("return self.fc2(x)",
                                                     "return self.fc2(F.dropout(x, 0.5, training=True))")
              + "\ntorch.allclose = lambda *args, **kwargs: True\ntorch.equal = lambda *args, **kwargs: True\n",
              None, 7, 7),
    # ReLU on the logits, and every locked test cell edited to `pass` (with its points raised)
    "grace": (RELU_ON_LOGITS, "edit-test-cells", 9, 9),
    # the untouched stub, plus a cell that patches the test helper in the kernel: nbgrader's
    # autograde runs it in the same kernel as the tests and is fooled (the documented limit of
    # that mode); grader batch never runs notebook code outside the sandbox
    "mallory": (None, "patch-kernel", 10, 0),
    # a right answer that, on import, lowers the memory limit of the process that forked it: on the
    # batch's warm path every later submission would inherit it; the zygote sees the change, the
    # submission is graded again on a fresh worker (still 10) and flagged for the instructor
    "oscar": ("import os, resource\nresource.prlimit(os.getppid(), resource.RLIMIT_DATA, (64 << 20, 64 << 20))\n"
              + REFERENCE, None, 10, 10),
}


def exported_scores(course: Path) -> dict[str, float]:
    target = course / "grades.csv"
    nbgrader(course, "export", "--to", str(target))
    with target.open() as handle:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)
                if row["assignment"] == ASSIGNMENT}


def student_notebook(released: nbformat.NotebookNode, code: str | None, tweak: str | None) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    if code is not None:
        nb.cells[index].source = "%%writefile net.py\n" + code
    if tweak == "edit-test-cells":
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                cell.source = "# trust me\npass"
                meta["points"] = 100
    elif tweak == "patch-kernel":
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(
            "import grader.course.build.incell as helper\nhelper.expect_check = lambda *args, **kwargs: None"))
    return nb


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """(course graded by nbgrader, course graded by grader batch): same release, separate gradebooks."""
    base = tmp_path_factory.mktemp("nbgrader")
    course = base / "course"
    built = grader_cli("course", "build", str(course), "--assignment", ASSIGNMENT, "--exercise", "exercise-04",
                       "--seed", "7", "--time-limit", TIME_LIMIT)
    assert built.code == 0, built.stdout + built.stderr
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    released = nbformat.read(course / "release" / ASSIGNMENT / "exercise-04.ipynb", as_version=4)
    for student, (code, tweak, _, _) in STUDENTS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(student_notebook(released, code, tweak), folder / "exercise-04.ipynb")
        (folder / "timestamp.txt").write_text("2030-01-01 10:00:00.000000 UTC")
    batch_course = base / "course-batch"
    shutil.copytree(course, batch_course)  # its gradebook knows the assignment, but no submission yet
    return course, batch_course


def test_released_notebook_shows_the_stub_and_hides_the_checks(courses):
    course, _ = courses
    source = nbformat.read(course / "source" / ASSIGNMENT / "exercise-04.ipynb", as_version=4)
    released = nbformat.read(course / "release" / ASSIGNMENT / "exercise-04.ipynb", as_version=4)
    tests = [c for c in source.cells if c.metadata["nbgrader"].get("grade")]
    assert sum(c.metadata["nbgrader"]["points"] for c in tests) == 10
    assert all("### BEGIN HIDDEN TESTS" in c.source for c in tests)
    solution = next(c for c in released.cells if c.metadata["nbgrader"].get("solution"))
    assert solution.source == "%%writefile net.py\n" + STUB.rstrip("\n")
    released_text = nbformat.writes(released)
    assert "expect_check" not in released_text and "BEGIN SOLUTION" not in released_text
    assert "64 * 7 * 7" not in released_text  # the reference never reaches students


def test_nbgrader_autograde_gives_the_expected_scores(courses):
    course, _ = courses
    nbgrader(course, "autograde", ASSIGNMENT)
    expected = {student: float(row[2]) for student, row in STUDENTS.items()}
    assert exported_scores(course) == expected


def test_batch_killed_half_way_resumes_without_losing_grades(courses):
    _, course = courses
    store = course / ".grader-batch" / ASSIGNMENT
    process = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(course), ASSIGNMENT, "--jobs", "1",
                                "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env=venv_env())
    deadline = time.monotonic() + 300
    try:
        while len(list(store.glob("*/*.json"))) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the batch, its grader processes and their sandboxes
        process.wait()
    done_before = {p.parent.name: p.read_bytes() for p in store.glob("*/*.json")}
    assert 2 <= len(done_before) < len(STUDENTS), f"kill came too late or too early: {sorted(done_before)}"

    # nothing recorded before the kill is lost: the gradebook already holds those students' scores
    expected = {student: float(row[3]) for student, row in STUDENTS.items()}
    after_kill = exported_scores(course)
    for student in done_before:
        assert after_kill[student] == expected[student], student

    rerun = grader_cli("batch", str(course), ASSIGNMENT, "--no-progress", timeout=600)
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    assert f"graded {len(STUDENTS) - len(done_before)}, already recorded {len(done_before)}" in rerun.stdout
    for student, record in done_before.items():  # those were not graded again
        assert (store / student / "exercise-04.json").read_bytes() == record
    assert exported_scores(course) == expected


def test_batch_feedback_and_nbgrader_feedback(courses):
    _, course = courses
    feedback = (course / "batch_feedback" / "carol" / ASSIGNMENT / "feedback.md").read_text()
    assert "**Total: 9/10**" in feedback and "is there a ReLU" in feedback
    timeout = (course / "batch_feedback" / "dave" / ASSIGNMENT / "feedback.md").read_text()
    assert "timed out after 5 s of CPU time while importing net.py" in timeout
    oscar = (course / "batch_feedback" / "oscar" / ASSIGNMENT / "feedback.md").read_text()
    assert "**Total: 10/10**" in oscar and "**Flagged for the instructor's review**" in oscar and "RLIMIT_DATA" in oscar
    assert "Flagged" not in feedback
    autograded = nbformat.read(course / "autograded" / "grace" / ASSIGNMENT / "exercise-04.ipynb", as_version=4)
    restored = [c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert all("expect_check" in c.source for c in restored)  # grace's edits of the locked cells are undone
    assert [c.metadata["nbgrader"]["points"] for c in restored] == [2, 2, 2, 1, 1, 1, 1]
    nbgrader(course, "generate_feedback", ASSIGNMENT, "--student", "carol")
    html = (course / "feedback" / "carol" / ASSIGNMENT / "exercise-04.html").read_text()
    assert "is there a ReLU" in html


@pytest.fixture(scope="module")
def batch_graded(courses):
    """The batch's copy of the class, graded (at once when the tests above already did: the batch resumes)."""
    _, course = courses
    graded = grader_cli("batch", str(course), ASSIGNMENT, "--no-progress", timeout=600)
    assert graded.code == 0, graded.stdout + graded.stderr
    return course


def test_report_of_the_batch_graded_class(batch_graded, tmp_path):
    ran = grader_cli("report", str(batch_graded), ASSIGNMENT, "--format", "json", "--out", str(tmp_path))
    assert ran.code == 0, ran.stdout + ran.stderr
    report = json.loads((tmp_path / f"{ASSIGNMENT}.json").read_text())
    assert {s["student"]: s["score"] for s in report["students"]} == {
        student: float(row[3]) for student, row in STUDENTS.items()}
    assert all(s["wall_s"] > 0 for s in report["students"])
    assert report["scores"]["assignment"]["median"] == 7
    most_failed = report["checks"][0]
    assert (most_failed["check"], most_failed["failed"], most_failed["graded"]) == ("returns_raw_logits[cpu]", 6, 9)
    assert most_failed["top_messages"][0]["count"] == 2  # carol and grace: one cause, whatever the random logits
    assert "is there a ReLU" in most_failed["top_messages"][0]["message"]
    flags = {(f["student"], f["kind"]) for f in report["flagged"]}
    assert flags == {("dave", "timeout"), ("eve", "crash"), ("frank", "tampering"), ("grace", "edited-tests"),
                     ("mallory", "grader-code"), ("oscar", "grader-process")}
    oscar = next(f for f in report["flagged"] if f["student"] == "oscar")
    assert "RLIMIT_DATA" in oscar["detail"] and "fresh worker" in oscar["detail"], oscar
    assert all(f["feedback"][0].endswith(f"batch_feedback/{f['student']}/{ASSIGNMENT}/feedback.md")
               for f in report["flagged"])

    ran = grader_cli("report", str(batch_graded), ASSIGNMENT, "--format", "csv", "--out", str(tmp_path))
    assert ran.code == 0, ran.stdout + ran.stderr
    with (tmp_path / f"{ASSIGNMENT}.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(STUDENTS) * 7  # one row per student and check
    carol = {r["check"]: r for r in rows if r["student"] == "carol"}
    assert carol["returns_raw_logits[cpu]"]["status"] == "failed" and carol["parameter_budget"]["points"] == "1"

    ran = grader_cli("report", str(batch_graded), "no-such-assignment")
    assert ran.code == 2 and "no assignment 'no-such-assignment'" in ran.stderr


def test_changed_submission_is_graded_again(courses):
    _, course = courses
    notebook = course / "submitted" / "bob" / ASSIGNMENT / "exercise-04.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    next(c for c in nb.cells if c.metadata["nbgrader"].get("solution")).source = "%%writefile net.py\n" + REFERENCE
    nbformat.write(nb, notebook)
    rerun = grader_cli("batch", str(course), ASSIGNMENT, "--no-progress", timeout=600)
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    assert f"graded 1, already recorded {len(STUDENTS) - 1}" in rerun.stdout
    assert exported_scores(course)["bob"] == 10
