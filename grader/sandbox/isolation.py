"""How the worker is fenced off: bubblewrap, or a documented weaker fallback.

``bubblewrap``  new user, pid, network, ipc and uts namespaces; a read-only view
                of the system and Python only (an allow-list, so the kit's
                ``solutions/``, ``grader/checks/`` and ``.git`` do not exist
                inside); a private /tmp as working directory and /dev/shm the
                only writable places; no capabilities.
``unshare``     when bwrap is missing or cannot start: a new user and network
                namespace (no network), a fresh temporary working directory and
                the same rlimits. Files are *not* hidden.
``rlimits``     when neither works: rlimits and a fresh working directory only.

Every level also gets the worker's own rlimits and the runner's wall-clock
timeout. ``GRADER_ISOLATION`` forces a level (for tests and debugging).
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from grader import paths
from grader.i18n import N_, t
from grader.sandbox import pids

LEVELS = ("bubblewrap", "unshare", "rlimits")
SANDBOX_MOUNT = "/opt/grader-sandbox"
LEARNER_MOUNT = "/learner"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32")
ETC_FILES = (
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
    "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/localtime",
)
PASSED_ENV = ("CUDA_VISIBLE_DEVICES", "LANG", "TZ")


class IsolationError(ValueError):
    """GRADER_ISOLATION names no known level."""


@dataclass(frozen=True)
class Isolation:
    level: str

    @property
    def description(self) -> str:
        return {
            # N_: in the catalog, for the report's first line (grader.messages.isolation); the JSON stays English
            "bubblewrap": N_("bubblewrap: no network, read-only system, kit files hidden"),
            "unshare": N_("fallback: rlimits, no network, private working dir (files not hidden)"),
            "rlimits": N_("fallback: rlimits and a private working dir only (network and files not isolated)"),
        }[self.level]

    def task_limit(self) -> int | None:
        """RLIMIT_NPROC for the worker: only in a user namespace of its own, where it counts
        the sandbox's tasks alone (see :mod:`grader.sandbox.pids`)."""
        return pids.MAX_TASKS if self.level in ("bubblewrap", "unshare") else None

    def command(self, python_argv: list[str], *, learner_dir: Path) -> list[str]:
        """Wrap ``python_argv`` (paths as seen inside) for this level."""
        if self.level == "bubblewrap":
            return _bwrap_prefix(learner_dir) + python_argv
        if self.level == "unshare":
            return ["unshare", "--user", "--map-root-user", "--net", "--"] + python_argv
        return python_argv

    def inside_paths(self, program: str, learner_dir: Path) -> tuple[str, str]:
        """(``inside/<program>``, the learner's folder) as the sandboxed process will see them."""
        if self.level == "bubblewrap":
            return f"{SANDBOX_MOUNT}/{program}", LEARNER_MOUNT
        return str(paths.SANDBOX_INSIDE_DIR / program), str(learner_dir)

    def cwd(self, workdir: Path) -> str | None:
        return None if self.level == "bubblewrap" else str(workdir)


def sandbox_env() -> dict[str, str]:
    env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    env.update(
        PATH="/usr/local/bin:/usr/bin:/bin",
        HOME="/tmp",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for key in ("purelib", "platlib", "stdlib", "platstdlib"):
        roots.add(sysconfig.get_path(key))
    roots.add(str(Path(sys.executable).resolve().parent.parent))
    # Keep only the outermost folders, and never the kit itself.
    kept = sorted(r for r in roots if r and os.path.isdir(r))
    outer = [r for r in kept if not any(r != o and r.startswith(o + os.sep) for o in kept)]
    return outer


def _hidden_inside(roots: list[str]) -> list[str]:
    """Kit secrets that happen to lie inside a bound folder (e.g. a venv in the kit)."""
    # the whole package too: an installed kit lies in site-packages, its solutions in grader/_kit
    secrets = [paths.SOLUTIONS_DIR, paths.CHECKS_DIR, paths.KIT_ROOT / ".git", paths.PACKAGE_DIR]
    found = []
    for secret in secrets:
        s = str(secret)
        if os.path.exists(s) and any(s.startswith(r + os.sep) for r in roots):
            found.append(s)
    for root in roots:  # a non-editable install puts the package in site-packages
        for candidate in glob.glob(os.path.join(root, "lib", "python*", "site-packages", "grader")):
            found.append(candidate)
    return list(dict.fromkeys(found))


def _bwrap_prefix(learner_dir: Path) -> list[str]:
    argv = [
        "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
        "--hostname", "sandbox", "--clearenv",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp",
        "--ro-bind-try", "/sys", "/sys",
    ]
    for d in SYSTEM_DIRS:
        argv += ["--ro-bind-try", d, d]
    for f in ETC_FILES:
        argv += ["--ro-bind-try", f, f]
    roots = _python_roots()
    for root in roots:
        argv += ["--ro-bind", root, root]
    for secret in _hidden_inside(roots):
        argv += ["--tmpfs", secret]
    for device in sorted(glob.glob("/dev/nvidia*")) + sorted(glob.glob("/dev/dri")):
        argv += ["--dev-bind", device, device]
    argv += ["--ro-bind", str(paths.SANDBOX_INSIDE_DIR), SANDBOX_MOUNT]  # the only kit code inside
    argv += ["--ro-bind", str(learner_dir), LEARNER_MOUNT]
    for key, value in sandbox_env().items():
        argv += ["--setenv", key, value]
    # bubblewrap's root and /dev are tmpfs folders it made: read-only, so that /tmp and /dev/shm are the
    # only writable places (what a zygote wipes between submissions, see inside/zygote.py)
    argv += ["--remount-ro", "/", "--remount-ro", "/dev", "--chdir", "/tmp", "--"]
    return argv


def mounts(argv: list[str]) -> list[tuple[str, str]]:
    """(host path, path inside) for every folder or file a bwrap command line binds: what to
    read when auditing what the sandbox can see."""
    return [(argv[i + 1], argv[i + 2]) for i, a in enumerate(argv[:-2])
            if a in ("--ro-bind", "--ro-bind-try", "--bind", "--dev-bind")]


@functools.cache
def choose() -> Isolation:
    """The strongest level that works here (checked once per process)."""
    forced = os.environ.get("GRADER_ISOLATION")
    if forced:
        if forced not in LEVELS:
            raise IsolationError(t("GRADER_ISOLATION must be one of {choices}, not {value!r}",
                                   choices=", ".join(LEVELS), value=forced))
        return Isolation(forced)
    if shutil.which("bwrap") and _works(["bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"]):
        return Isolation("bubblewrap")
    if shutil.which("unshare") and _works(["unshare", "--user", "--map-root-user", "--net", "true"]):
        return Isolation("unshare")
    return Isolation("rlimits")


def _works(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
