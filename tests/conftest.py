"""Shared helpers: run the real ``grader`` command, build throwaway workspaces."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import paths
from grader.registry import load_registry

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
    through a warm path; a zygote needs bubblewrap (grader.sandbox.zygote)."""
    from grader.sandbox import isolation
    from grader.sandbox.warm import WarmWorkers

    if isolation.choose().level != "bubblewrap":
        pytest.skip("a zygote runs only under bubblewrap; elsewhere warm paths use fresh workers")
    workers = WarmWorkers()
    yield workers
    workers.stop()
