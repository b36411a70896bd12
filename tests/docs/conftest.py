"""Shared fixtures for the site's tests: one strict build per test session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import paths

ROOT = paths.KIT_ROOT
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Build:
    returncode: int
    log: str
    site: Path
    seconds: float

    def page(self, url_path: str) -> str:
        """The built HTML of a page, e.g. ``page("exercises/exercise-04/")``."""
        target = self.site / url_path
        if target.is_dir() or url_path.endswith("/") or not url_path:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")


def build_site(destination: Path, *, config: Path | None = None, strict: bool = True) -> Build:
    """``mkdocs build [--strict]`` into ``destination``, from the repository root."""
    command = MKDOCS + ["build", "--site-dir", str(destination)]
    if strict:
        command.append("--strict")
    if config is not None:
        command += ["--config-file", str(config)]
    # NO_MKDOCS_2_WARNING silences mkdocs-material's end-of-life banner (stderr, not a
    # build warning); it keeps the log readable in failure messages.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    return Build(done.returncode, done.stdout + done.stderr, destination, time.monotonic() - start)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    return build_site(tmp_path_factory.mktemp("site") / "site")
