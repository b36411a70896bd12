"""Start one of the programs in ``inside/`` in the sandbox: the one way a sandboxed process begins."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox import pids
from grader.sandbox.isolation import Isolation, sandbox_env


@dataclass
class Launched:
    """A sandboxed program's process, its process cap and its scratch folder, ended together."""

    process: subprocess.Popen
    cgroup: pids.PidsCgroup | None
    workdir: tempfile.TemporaryDirectory

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()

    def close(self) -> None:
        self.kill()
        if self.cgroup:
            self.cgroup.release()
        self.workdir.cleanup()


def launch(isolation: Isolation, program: str, config: dict, *, learner_dir: Path | None,
           pass_fds: tuple[int, ...], output: int = subprocess.DEVNULL) -> Launched:
    """Run ``inside/<program>`` with ``config`` (JSON) under ``isolation``.

    ``learner_dir`` is mounted as the learner's folder (none: an empty one); the
    program is told where it sees it (``learner_dir``) and how many tasks it may start.
    """
    workdir = tempfile.TemporaryDirectory(prefix=f"grader-{Path(program).stem}-")
    mounted = Path(learner_dir).resolve() if learner_dir else Path(workdir.name)
    script, learner_inside = isolation.inside_paths(program, mounted)
    config = dict(config, learner_dir=learner_inside, max_tasks=isolation.task_limit())
    argv = isolation.command([sys.executable, "-I", script, json.dumps(config)], learner_dir=mounted)
    cgroup = pids.PidsCgroup.create()
    if cgroup:
        argv = cgroup.wrap(argv)
    env = sandbox_env() if isolation.level != "bubblewrap" else None
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=output, stderr=output, pass_fds=pass_fds,
                               cwd=isolation.cwd(Path(workdir.name)), env=env, start_new_session=True)
    return Launched(process, cgroup, workdir)
