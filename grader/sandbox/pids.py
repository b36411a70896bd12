"""A bound on how many processes (and threads) a submission may run at once.

A fork bomb must fail fast, with a one-line reason, while the machine stays
responsive. Two mechanisms, because neither works everywhere:

* **RLIMIT_NPROC**, set by the worker itself. Inside the sandbox's own user
  namespace (bubblewrap and ``unshare``) the kernel counts only that namespace's
  tasks, so the limit binds the submission and nothing else. But it is never
  enforced for a user that is root outside the namespace.
* **A pids cgroup** of the worker's own, used when the grader runs as root (CI,
  containers, an instructor's server), where cgroups are writable. Its tasks are
  killed when the worker ends.

Either way ``fork()`` fails with EAGAIN past :data:`MAX_TASKS`, and the report
explains it (see ``worker.describe``).
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from pathlib import Path

MAX_TASKS = 256  # processes and threads together: torch, the DDP ranks and gloo need a few dozen
CGROUP_ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))  # cgroup v1's pids hierarchy, then v2
_names = itertools.count()


class PidsCgroup:
    """A pids cgroup holding one worker (or zygote) and everything it starts."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls) -> PidsCgroup | None:
        """A fresh cgroup capped at MAX_TASKS, or None where this process may not make one."""
        if os.geteuid() != 0:
            return None  # RLIMIT_NPROC binds non-root users; see the module docstring
        for root in CGROUP_ROOTS:
            if not (root / "cgroup.procs").exists() or not _offers_pids(root):
                continue
            _remove_orphans(root)
            path = root / f"grader-{os.getpid()}-{next(_names)}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(f"{MAX_TASKS}\n")
                return cls(path)
            except OSError:
                _remove(path)
        return None

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv``, started inside this cgroup: the shell joins it, then becomes ``argv``."""
        return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(self.path / "cgroup.procs"), *argv]

    def release(self) -> None:
        """Kill whatever is left inside, then remove the cgroup."""
        for _ in range(50):
            try:
                pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                return
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        _remove(self.path)


def _remove_orphans(root: Path) -> None:
    """Empty cgroups left by graders that were killed before they could remove their own."""
    for stale in root.glob("grader-*-*"):
        try:
            owner = int(stale.name.split("-")[1])
            os.kill(owner, 0)
        except ProcessLookupError:
            try:
                stale.rmdir()  # fails, harmlessly, while anything still runs inside
            except OSError:
                pass
        except (ValueError, PermissionError):
            pass


def _offers_pids(root: Path) -> bool:
    controllers = root / "cgroup.controllers"  # only in v2; v1's pids hierarchy is pids by definition
    if not controllers.exists():
        return (root / "pids.max").exists() or root.name == "pids"
    return "pids" in controllers.read_text().split() and "pids" in (root / "cgroup.subtree_control").read_text()


def _remove(path: Path) -> None:
    for _ in range(100):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:  # busy until the last killed task has been reaped
            time.sleep(0.01)
