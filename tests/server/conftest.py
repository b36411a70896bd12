"""A grader server of the test's own, in a private runtime folder, always stopped afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest


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


@pytest.fixture
def server_boxes(grader):
    """server_boxes(kit=None) -> a ServerBox; every server they started is stopped at the end."""
    made = []

    def make(kit: Path | None = None) -> ServerBox:
        runtime = Path(tempfile.mkdtemp(prefix="gr-", dir="/tmp"))
        made.append(ServerBox(grader, runtime / "run", kit))
        return made[-1]

    try:
        yield make
    finally:
        for box in made:
            box.grader("server", "stop", timeout=60)
            box.kill_all()
            shutil.rmtree(box.runtime.parent, ignore_errors=True)


@pytest.fixture
def server_box(server_boxes):
    return server_boxes()
