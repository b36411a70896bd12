"""Shared helpers: run the real ``grader`` command, build throwaway workspaces."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import paths
from grader.registry import load_registry
from grader.report import Report

# No test talks to a grader server unless it says so (tests/server): none is ever left behind.
os.environ["GRADER_NO_SERVER"] = "1"

GRADER = [sys.executable, "-m", "grader"]
# English unless a test asks otherwise, whatever the developer's locale (grader.language).
ENGLISH = {"GRADER_LANG": "en"}
# A Chinese locale from LANG alone; the variables that would take precedence are cleared.
CHINESE_LOCALE = {"GRADER_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


def run_grader(*args: str, timeout: float = 300, env: dict | None = None,
               input: str | None = None, cwd: Path | None = None) -> Result:  # noqa: A002 - subprocess.run's
    """Run ``grader ARGS`` as a learner would, in a fresh process."""
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", **ENGLISH, **(env or {})}
    done = subprocess.run(GRADER + list(args), capture_output=True, text=True, timeout=timeout,
                          env=full_env, input=input, cwd=cwd)
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def grader():
    return run_grader


@pytest.fixture(params=["--lang zh", "LANG=zh_CN.UTF-8"])
def in_chinese(request):
    """(extra arguments, environment) that make ``grader`` speak Chinese: the option, or the locale alone."""
    return (["--lang", "zh"], None) if request.param == "--lang zh" else ([], CHINESE_LOCALE)


def english_words_left():
    """scripts/english_words_left.py, the rule for English words left in Chinese (code and values aside)."""
    import importlib.util

    script = paths.KIT_ROOT / "scripts" / "english_words_left.py"
    spec = importlib.util.spec_from_file_location("english_words_left", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def chinese_error():
    """chinese_error(result, *values): ``result`` (a :class:`Result`) failed with exit 2 and one Chinese line on
    stderr, ``错误：...``, with no English words outside code and ``values`` (what the learner typed, names the
    message quotes: values are never translated)."""
    words = english_words_left()

    def check(result: Result, *values: str) -> str:
        assert result.code == 2, (result.code, result.stdout, result.stderr)
        line = result.stderr.strip()
        assert "\n" not in line and result.stdout == "", result.stderr
        assert line.startswith("错误："), line
        chinese_without_english(line, *values, words=words)
        return line

    return check


def chinese_without_english(text: str, *values: str, words=None) -> None:
    """``text`` is Chinese, its English words (scripts/english_words_left.py's rule) all code or ``values``."""
    words = words or english_words_left()
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, words.VALUE)
    assert any("\u4e00" <= c <= "\u9fff" for c in text), text
    assert words.english_words(text) == [], text


@pytest.fixture(scope="session")
def chinese_text():
    """chinese_text(text, *values): ``text`` is Chinese, no English words outside code and ``values``."""
    return chinese_without_english


@pytest.fixture(scope="session")
def chinese_locale():
    """The environment of a learner whose locale is Chinese (``LANG=zh_CN.UTF-8``)."""
    return dict(CHINESE_LOCALE)


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture
def make_workspace(tmp_path):
    """make_workspace(exercise_id, {filename: source}) -> a workspace folder.

    Files not given are copied from the reference solution, so a test can
    replace exactly one module with a wrong or hostile version.
    """

    def make(exercise_id: str, files: dict[str, str] | None = None, *, from_dir: Path | None = None) -> Path:
        root = tmp_path / "workspace"
        target = root / exercise_id
        target.mkdir(parents=True, exist_ok=True)
        source = from_dir or paths.SOLUTIONS_DIR / exercise_id
        for item in source.iterdir():
            if item.is_file() and item.suffix == ".py":
                shutil.copy(item, target / item.name)
        for name, text in (files or {}).items():
            (target / name).write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def stub_workspace(make_workspace):
    """A workspace holding the untouched stub of an exercise."""

    def make(exercise_id: str) -> Path:
        return make_workspace(exercise_id, from_dir=paths.EXERCISES_DIR / exercise_id)

    return make


@pytest.fixture
def grade_files(make_workspace):
    """grade_files(exercise_id, {filename: source}, seed=...) -> Report, in-process.

    Faster than the CLI (torch is already imported here) and the same engine:
    the learner's files still run only in the sandboxed worker.
    """
    from grader.runner import grade

    def run(exercise_id: str, files: dict[str, str] | None = None, *, seed: int = 1234,
            from_dir: Path | None = None, **options):
        exercise = load_registry().get(exercise_id)
        workspace = make_workspace(exercise_id, files, from_dir=from_dir)
        return grade(exercise, workspace / exercise_id, seed=seed, **options)

    return run


SEED = 1234  # the seed grade_files uses unless told otherwise
SOURCES = {"reference": paths.SOLUTIONS_DIR, "stub": paths.EXERCISES_DIR}


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(exercise_id, "reference" | "stub") -> the Report of that untouched file set (seed 1234), graded
    once per session on a worker of its own: test_references.py, the exercise tests and the differential
    test of every grading path read the same reports."""
    from grader.runner import grade

    reports: dict[tuple[str, str], Report] = {}

    def get(exercise_id: str, which: str) -> Report:
        if (exercise_id, which) not in reports:
            folder = tmp_path_factory.mktemp(f"{which}-") / exercise_id
            folder.mkdir()
            for item in (SOURCES[which] / exercise_id).glob("*.py"):
                shutil.copy(item, folder / item.name)
            reports[exercise_id, which] = grade(load_registry().get(exercise_id), folder, seed=SEED)
        return reports[exercise_id, which]

    return get


# A test that grades runs the learner's code in a sandboxed worker, and one that needs the
# built site waits for mkdocs: seconds to minutes each, so `make test-fast` leaves them out.
SLOW_FIXTURES = {"grade_files", "graded", "zygote", "built_site"}


def pytest_collection_modifyitems(items):
    """Mark ``slow`` every test that uses one of SLOW_FIXTURES, directly or through another fixture."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def zygote():
    """Warm workers (a pre-imported zygote, vouching for each grading) shared by the tests that grade
    through a warm path; a zygote needs bubblewrap (grader.sandbox.zygote_process)."""
    from grader.sandbox import isolation
    from grader.sandbox.workers import WarmWorkers

    if isolation.choose().level != "bubblewrap":
        pytest.skip("a zygote runs only under bubblewrap; elsewhere warm paths use fresh workers")
    workers = WarmWorkers()
    yield workers
    workers.stop()


# A grader server of the test's own, in a private runtime folder, always stopped afterwards
# (tests/server, and the differential test of every grading path).
class ServerBox:
    """The environment that lets ``grader`` use a server in ``runtime`` (short: socket paths
    must fit in 108 bytes), and what a test needs to watch or kill that server."""

    def __init__(self, run_grader, runtime: Path, kit: Path | None = None):
        self.run_grader = run_grader
        self.runtime = runtime
        self.kit = kit  # a copy of the kit to run instead of this one (python -m imports from the cwd)
        self.env = {"GRADER_NO_SERVER": "", "GRADER_RUNTIME_DIR": str(runtime), "GRADER_SERVER_IDLE": "300"}
        if kit is not None:
            self.env["PYTHONPATH"] = str(kit)

    def grader(self, *args: str, timeout: float = 300):
        return self.run_grader(*args, env=self.env, timeout=timeout, cwd=self.kit)

    def popen(self, *args: str) -> subprocess.Popen:
        """``grader ARGS`` started, not waited for (stdout and stderr piped, as text)."""
        env = {**os.environ, "COLUMNS": "200", "GRADER_LANG": "en", **self.env}
        return subprocess.Popen([sys.executable, "-m", "grader", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, cwd=self.kit)

    def pids(self) -> list[int]:
        """Every server that ever held a lock here and may still run."""
        found = []
        for lock in self.runtime.glob("*.lock"):
            text = lock.read_text().strip()
            if text.isdigit() and _is_server(int(text)):
                found.append(int(text))
        return found

    def wait_serving(self, timeout: float = 180) -> int:
        """The pid of the server once it answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.grader("server", "status", timeout=30)
            if "running: pid" in result.stdout:
                return int(result.stdout.split("pid ")[1].split(",")[0])
            time.sleep(0.3)
        raise AssertionError("the server never answered; log:\n" + self.log())

    def log(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.runtime.glob("*.log"))

    def kill_all(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGKILL)


def _is_server(pid: int) -> bool:
    try:
        return b"grader.server.daemon" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _server_boxes():
    """server_boxes(kit=None) -> a ServerBox; every server they started is stopped at the end."""
    made = []

    def make(kit: Path | None = None) -> ServerBox:
        runtime = Path(tempfile.mkdtemp(prefix="gr-", dir="/tmp"))
        made.append(ServerBox(run_grader, runtime / "run", kit))
        return made[-1]

    try:
        yield make
    finally:
        for box in made:
            box.grader("server", "stop", timeout=60)
            box.kill_all()
            shutil.rmtree(box.runtime.parent, ignore_errors=True)


server_boxes = pytest.fixture(_server_boxes, name="server_boxes")
server_boxes_module = pytest.fixture(_server_boxes, name="server_boxes_module", scope="module")


@pytest.fixture
def server_box(server_boxes):
    return server_boxes()
