"""The kit as a learner and an instructor get it: the wheel, installed in a fresh venv, used from its bin/.

The wheel is built from this checkout and installed in a new venv in a temporary folder (torch
from the machine's local wheel store, as `pip install` finds it); the venv is shared by the tests
of this module (one install: about two minutes). Every command runs with the checkout out of reach:
no PYTHONPATH, the current folder a temporary one, a PATH that does not hold the venv (nothing
is activated) and a private runtime folder for the grader server.

First the learner's install alone (what a missing extra says included), then the instructor
extra: a notebook cell checked through ``%%grader`` on that venv's kernel, and a class built,
released by nbgrader, graded by ``grader batch`` and reported on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import kit

pytestmark = pytest.mark.slow

REPO = kit.PACKAGE_DIR.parent
BARE_PATH = "/usr/local/bin:/usr/bin:/bin"


class Venv:
    def __init__(self, root: Path, home: Path):
        self.root, self.home = root, home
        self.bin = root / "bin"
        self.env = {"PATH": BARE_PATH, "HOME": os.environ.get("HOME", str(home)), "LANG": "C.UTF-8",
                    "COLUMNS": "200", "GRADER_RUNTIME_DIR": str(home / "run"), "PYTHONUNBUFFERED": "1"}

    def run(self, program: str, *args: str, cwd: Path, timeout: float = 300, env: dict | None = None):
        done = subprocess.run([str(self.bin / program), *args], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env={**self.env, **(env or {})}, stdin=subprocess.DEVNULL)
        return done

    def grader(self, *args: str, cwd: Path, **kw):
        return self.run("grader", *args, cwd=cwd, **kw)

    def pip_install(self, spec: str) -> None:
        done = self.run("python", "-m", "pip", "install", "-q", "--no-compile", spec, cwd=self.home, timeout=900)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]

    def package_file(self, *parts: str) -> Path:
        """A file of the installed package, found as the installed kit finds it."""
        done = self.run("python", "-c", "from importlib.resources import files; print(files('grader'))", cwd=self.home)
        return Path(done.stdout.strip()).joinpath(*parts)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv outside the checkout with the kit's wheel installed (no extra)."""
    home = tmp_path_factory.mktemp("wheel")
    started = time.monotonic()
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "-o", str(home / "dist"), str(REPO)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next((home / "dist").glob("pytorch_quiz_kit-*.whl"))
    made = subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    env = Venv(home / "venv", home)
    env.wheel = wheel
    env.pip_install(str(wheel))
    print(f"wheel built and installed with its dependencies in {time.monotonic() - started:.0f} s")
    yield env
    env.grader("server", "stop", cwd=home)


def test_learner_route(venv, tmp_path):
    g = venv.grader
    version = g("--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.startswith(f"pytorch-quiz-kit {kit.version()} (installed at {venv.root}")

    nowhere = g("list", cwd=tmp_path)  # an installed kit has no exercises/ to fall back on
    assert nowhere.returncode == 2 and "grader init" in nowhere.stderr and "Traceback" not in nowhere.stderr

    assert g("init", "ws", "--lang", "en", cwd=tmp_path).returncode == 0
    ws = tmp_path / "ws"
    listed = g("list", cwd=ws / "exercise-04")
    assert listed.returncode == 0 and "Fix the Net" in listed.stdout

    stub = g("check", "exercise-04", "--json", "--seed", "5", "--no-server", cwd=ws)
    assert stub.returncode == 1 and json.loads(stub.stdout)["score"] == 0

    reference = venv.package_file("_kit", "solutions", "exercise-04", "net.py")
    shutil.copy(reference, ws / "exercise-04" / "net.py")
    solved = g("check", "exercise-04", "--no-server", cwd=ws)
    assert solved.returncode == 0 and "Score 10/10" in solved.stdout
    assert "bubblewrap" in solved.stdout.splitlines()[0] or "fallback" in solved.stdout.splitlines()[0]

    hint = g("hint", "exercise-04", cwd=ws)
    assert hint.returncode == 0 and hint.stdout.startswith("Hint 1/3")

    # through the grader server: the first check starts it, a later one is graded by it
    first = g("check", "exercise-04", "--json", "--seed", "5", cwd=ws)
    assert first.returncode == 0 and "starts one for the next" in first.stderr
    deadline = time.monotonic() + 120
    while not g("server", "status", cwd=ws).stdout.startswith("grader server running") and time.monotonic() < deadline:
        time.sleep(0.5)
    warm = g("check", "exercise-04", "--json", "--seed", "5", cwd=ws)
    assert warm.returncode == 0 and warm.stderr == "" and warm.stdout == first.stdout
    status = g("server", "status", cwd=ws).stdout
    assert "1 grading(s)" in status and "from this kit" in status
    assert g("server", "stop", cwd=ws).returncode == 0

    reset = g("reset", "exercise-04", "--yes", cwd=ws / "exercise-04")
    assert reset.returncode == 0
    assert (ws / "exercise-04" / "net.py").read_text() == venv.package_file(
        "_kit", "exercises", "exercise-04", "net.py").read_text()

    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    again = g("init", "ws", cwd=tmp_path)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already a grader workspace" in again.stderr
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before

    assert g("init", "ws-zh", "--lang", "zh", cwd=tmp_path).returncode == 0
    chinese = g("list", cwd=tmp_path / "ws-zh")
    assert chinese.returncode == 0 and "修好 Net" in chinese.stdout and "进度" in chinese.stdout

    # an instructor command without the instructor extra: one line, exit 2
    course = g("course", "build", "course", cwd=tmp_path)
    assert course.returncode == 2 and course.stdout == "" and course.stderr == (
        "error: grader course build needs the instructor extra: pip install 'pytorch-quiz-kit[instructor]'\n")
    assert not (tmp_path / "course").exists()


def test_instructor_route(venv, tmp_path):
    started = time.monotonic()
    venv.pip_install(f"{venv.wheel}[instructor]")
    print(f"instructor extra installed in {time.monotonic() - started:.0f} s")
    g = venv.grader
    assert g("init", "ws", cwd=tmp_path).returncode == 0
    ws = tmp_path / "ws"
    reference = venv.package_file("_kit", "solutions", "exercise-04", "net.py").read_text()

    # %%grader in a notebook, on the venv's own kernel (jupyter-execute from its bin/, nothing activated)
    write = ("import nbformat, sys\n"
             "cell = '%%grader check exercise-04 --seed 5 --no-server\\n' + sys.stdin.read()\n"
             "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('%load_ext grader'),\n"
             "                                     nbformat.v4.new_code_cell(cell)])\n"
             "nbformat.write(nb, 'check.ipynb')\n")
    done = subprocess.run([str(venv.bin / "python"), "-c", write], input=reference, cwd=ws, capture_output=True,
                          text=True, env=venv.env, timeout=60)
    assert done.returncode == 0, done.stderr
    executed = venv.run("jupyter-execute", "--inplace", "check.ipynb", cwd=ws, timeout=300)
    assert executed.returncode == 0, executed.stderr[-3000:]
    outputs = json.loads((ws / "check.ipynb").read_text())["cells"][1]["outputs"]
    shown = "".join("".join(o.get("data", {}).get("text/plain", [])) for o in outputs)  # lines, on disk
    assert "Score 10/10" in shown, outputs

    # a class: built by the kit, released by nbgrader from the venv's bin/ with a PATH that lacks it
    built = g("course", "build", "course", "-a", "ps1", "-e", "exercise-04", "--seed", "7", "--time-limit", "5",
              cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    course = tmp_path / "course"
    released = venv.run("nbgrader", "generate_assignment", "ps1", cwd=course)
    assert released.returncode == 0 and (course / "release" / "ps1" / "exercise-04.ipynb").is_file(), \
        released.stderr[-3000:]
    submit = ("import json, pathlib, sys\n"
              "nb = json.loads(pathlib.Path('release/ps1/exercise-04.ipynb').read_text())\n"
              "code = sys.stdin.read()\n"
              "for student, answer in (('alice', code), ('bob', None)):\n"
              "    cells = json.loads(json.dumps(nb))\n"
              "    if answer:\n"
              "        cell = next(c for c in cells['cells'] if c['metadata'].get('nbgrader', {}).get('solution'))\n"
              "        cell['source'] = '%%writefile net.py\\n' + answer\n"
              "    folder = pathlib.Path('submitted', student, 'ps1')\n"
              "    folder.mkdir(parents=True)\n"
              "    (folder / 'exercise-04.ipynb').write_text(json.dumps(cells))\n"
              "    (folder / 'timestamp.txt').write_text('2030-01-01 10:00:00.000000 UTC')\n")
    done = subprocess.run([str(venv.bin / "python"), "-c", submit], input=reference, cwd=course,
                          capture_output=True, text=True, env=venv.env, timeout=60)
    assert done.returncode == 0, done.stderr
    graded = g("batch", str(course), "ps1", "--no-progress", cwd=tmp_path, timeout=600)
    assert graded.returncode == 0, graded.stdout[-2000:] + graded.stderr[-2000:]
    assert "graded 2" in graded.stdout
    reported = g("report", str(course), "ps1", "--format", "json", "--out", str(tmp_path / "report"), cwd=tmp_path)
    assert reported.returncode == 0, reported.stderr
    report = json.loads((tmp_path / "report" / "ps1.json").read_text())
    assert {s["student"]: s["score"] for s in report["students"]} == {"alice": 10.0, "bob": 0.0}
    assert g("report", str(course), "ps1", cwd=tmp_path).returncode == 0  # the HTML page and its figures
    assert (course / "reports" / "ps1" / "index.html").is_file()
