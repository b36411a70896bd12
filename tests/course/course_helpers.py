"""Helpers for the course tests: run nbgrader and the grader CLI as an instructor would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def venv_env() -> dict[str, str]:
    """The environment with this Python's scripts first on PATH (nbgrader's kernel, `grader`)."""
    return {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def grader_cli(*args: str, timeout: float = 600, cwd: Path | None = None) -> Ran:
    done = subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True,
                          timeout=timeout, env=venv_env(), cwd=cwd)
    return Ran(done.returncode, done.stdout, done.stderr)


def nbgrader(course: Path, *args: str, timeout: float = 600) -> Ran:
    """Run ``nbgrader ARGS`` in the course folder; fail the test with its log if it fails."""
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                          timeout=timeout, env=venv_env())
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return Ran(done.returncode, done.stdout, done.stderr)


def report_failing(plan, *names):
    """A report in which the checks ``names`` failed (message "boom") and every other passed."""
    tests = [{"name": check, "passed": check not in names, "points": 0.0 if check in names else plan.points[gid],
              "max_points": plan.points[gid], "message": "boom" if check in names else ""}
             for gid, check in plan.checks.items()]
    return {"tests": tests, "error": None}
