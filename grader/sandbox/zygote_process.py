"""Workers forked from a sandboxed, pre-imported zygote (the trusted side of
``inside/zygote.py``): torch is imported once per grading process instead of
once per submission.

Isolation stays per submission: the zygote lives in the same sandbox a worker
would (bubblewrap only: see :mod:`grader.sandbox`), forks one child at a time,
and after each child sweeps the sandbox and audits itself (see ``inside/zygote.py``).
Whatever went wrong with the zygote while a child ran (it died, stopped answering,
failed to fork, or found itself changed) is kept in :attr:`Zygote.incidents`: the
grading that was running cannot be vouched for (see :mod:`grader.sandbox.workers`),
and the next child comes from a new zygote. The learner's files are sent as text and
written into the child's private folder, so the sandbox never mounts another
student's work.
"""

from __future__ import annotations

import json
import os
import select
import socket
import time
from pathlib import Path

from grader.sandbox import isolation
from grader.sandbox.channel import BOOT_TIMEOUT, Channel
from grader.sandbox.launch import launch
from grader.sandbox.limits import MAX_FILE_BYTES, MAX_FILES, Limits
from grader.sandbox.worker_process import WorkerProcess

CONTROL_TIMEOUT = 30.0
POLL_S = 0.2  # how often a wait for the zygote looks whether a child stopped it (SIGSTOP)


class ZygoteError(RuntimeError):
    """The zygote did not start or stopped answering."""


def learner_files(learner_dir: Path) -> dict[str, str]:
    """The learner's files, as text: every regular file of the folder (as a worker of its own
    sees them), up to :data:`MAX_FILES`; a file over the size limit never reaches a grading
    (:func:`grader.runner.grade` reports it first)."""
    files = {}
    for path in sorted(Path(learner_dir).iterdir())[:MAX_FILES]:
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_FILE_BYTES:
            files[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return files


def program_pid(root: int, program: str) -> int | None:
    """The pid (as this machine sees it) of the deepest process below ``root`` that runs
    ``program`` (bubblewrap's own processes above it carry the same command line), or None."""
    found, frontier = None, [(root, 0)]
    while frontier:
        pid, depth = frontier.pop()
        try:
            if pid != root and program.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found = max(found or (depth, pid), (depth, pid))
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        frontier += [(int(c), depth + 1) for c in children]
    return found[1] if found else None


def process_state(pid: int) -> str:
    """The one-letter state of ``pid`` (R, S, T for stopped, ...), or "" when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


class Zygote:
    """A pre-imported parent in its own sandbox; hands out one worker at a time."""

    def __init__(self):
        self.isolation = isolation.choose()
        if self.isolation.level != "bubblewrap":
            raise ZygoteError(f"a zygote needs bubblewrap's pid namespace to sweep between submissions "
                              f"(isolation here: {self.isolation.level}); each grading starts its own worker")
        self._active: PooledWorker | None = None
        self.generation = 0
        self.incidents: list[str] = []  # why a zygote could not vouch for a child, oldest first
        self.left: list[str] = []  # what the sweep had to end after a child, oldest first
        self._running = False
        self._start()

    def _start(self) -> None:
        self.generation += 1
        self._control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._launched = launch(self.isolation, "zygote.py", {"control_fd": theirs.fileno()}, learner_dir=None,
                                    pass_fds=(theirs.fileno(),))
        finally:
            theirs.close()
        self.process = self._launched.process
        self._running = True
        self._pid: int | None = None
        if self._receive(BOOT_TIMEOUT).get("kind") != "ready":
            raise ZygoteError("the zygote sent an unexpected greeting")
        self._pid = program_pid(self.process.pid, "zygote.py")

    def _receive(self, timeout: float) -> dict:
        """The zygote's next message; a zygote that does not answer in time, or that a child
        stopped (SIGSTOP: no need to wait out the timeout), is stopped for good."""
        deadline = time.monotonic() + timeout
        message = b""
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self._control], [], [], min(left, POLL_S))
            if ready:
                message = self._control.recv(1 << 16)
                break
            if self._pid and process_state(self._pid) in ("T", "t"):
                break
        if not message:
            self.stop()
            raise ZygoteError("the zygote stopped answering")
        return json.loads(message)

    def alive(self) -> bool:
        if self._running and self.process.poll() is not None:  # it never exits unasked but after a change
            self._failed("the grader process that forks submissions was killed")
        return self._running

    def worker(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits) -> Channel:
        """A worker for ``learner_dir``: forked if the zygote is free, else a standalone one."""
        if self._active is not None and self._active.alive():
            return WorkerProcess(learner_dir, modules, limits)  # e.g. a check that needs two at once
        if not self.alive():
            self.stop()
            self._start()
        self._active = PooledWorker(self, learner_dir, modules, limits)
        return self._active

    def fork(self, files: dict[str, str], modules: tuple[str, ...], limits: Limits, fds: list[int]) -> int:
        request = dict(limits.worker_config(), op="fork", files=files, modules=list(modules),
                       max_tasks=self.isolation.task_limit())
        try:
            socket.send_fds(self._control, [json.dumps(request).encode()], fds)
            return int(self._receive(CONTROL_TIMEOUT)["pid"])
        except (OSError, ZygoteError, KeyError, ValueError) as exc:
            self._failed(f"the grader process that forks submissions could not start one ({exc})")
            raise ZygoteError(str(exc)) from None

    def finish(self, *, kill: bool) -> int:
        """End the current child; its exit status (negative: killed by that signal)."""
        try:
            self._control.send(json.dumps({"op": "finish", "kill": kill}).encode())
            reply = self._receive(CONTROL_TIMEOUT)
            status = int(reply["status"])
            self.left += [str(line) for line in reply.get("left", [])]
            changed = [str(line) for line in reply.get("changed", [])]
        except (OSError, ZygoteError, KeyError, TypeError, ValueError):
            self._failed("the grader process that forks submissions stopped answering (killed or stopped)")
            return -9
        if changed:
            self._failed(*changed)  # it exits by itself; the next worker comes from a new one
        return status

    def _failed(self, *why: str) -> None:
        """This zygote cannot vouch for the child it ran: say why, and never fork from it again."""
        self.incidents += why
        self.stop()

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._launched.close()
            self._control.close()


class PooledWorker(Channel):
    """One submission's worker, forked by a :class:`Zygote` (torch already imported)."""

    def __init__(self, zygote: Zygote, learner_dir: Path, modules: tuple[str, ...], limits: Limits):
        super().__init__(modules, limits, zygote.isolation)
        self.zygote = zygote
        self._booted = True
        self._status: int | None = None
        self._generation = zygote.generation
        theirs = list(self._open_pipes())
        try:
            zygote.fork(learner_files(learner_dir), modules, limits, theirs)
        except ZygoteError:
            self._status = -9  # reads then fail at once: a crash, reported as data
        finally:
            for fd in theirs:
                os.close(fd)

    def _mine(self) -> bool:
        """Is the zygote that forked this worker still the one running?"""
        return self._generation == self.zygote.generation and self.zygote.alive()

    def alive(self) -> bool:
        return self._status is None and self._mine()

    def kill(self) -> None:
        if self._status is None:
            self._status = self.zygote.finish(kill=True) if self._mine() else -9

    def exit_code(self) -> int:
        if self._status is None:
            self._status = self.zygote.finish(kill=False) if self._mine() else -9
        return self._status
