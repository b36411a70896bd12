"""The trusted side of the sandbox: start a worker, run probes, never trust replies.

A *probe* is a plain top-level function ``probe(learner, *args)`` written in a
check module; its source is sent to the worker and run there against the
learner's imported modules (``learner.net``, ``learner.loss``, ...). Only its
plain-data result comes back. Expected values never leave this process.

A worker is either its own sandboxed process (:class:`WorkerProcess`, for one
``grader check``) or a child forked by a pre-imported zygote
(:class:`grader.sandbox.pool.PooledWorker`, for batches); both speak the same
protocol through :class:`Channel`.
"""

from __future__ import annotations

import inspect
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox import isolation as isolation_mod
from grader.sandbox import pids, wire

BOOT_TIMEOUT = 120.0
OUTPUT_CAP_BYTES = 16 * 1024
MAX_RESTARTS = 3
WALL_FACTOR, WALL_SLACK = 3.0, 10.0


class LearnerError(Exception):
    """The learner's code failed; ``str()`` is the one-line reason."""


class LearnerRaised(LearnerError):
    pass


class LearnerTimeout(LearnerError):
    pass


class LearnerCrashed(LearnerError):
    pass


class LearnerImportFailed(LearnerError):
    pass


@dataclass(frozen=True)
class Limits:
    time_limit: float = 30.0  # CPU seconds per call (the import counts as one call)
    memory_mb: int = 4096
    threads: int = min(4, os.cpu_count() or 1)

    def wall_limit(self, cpu_seconds: float | None = None) -> float:
        """The wall-clock backstop for a call allowed ``cpu_seconds`` of CPU time.

        Generous on purpose: the CPU limit is what judges the learner's code; this one
        only catches code that sleeps or waits forever, and it must hold on a machine
        whose cores are all busy with other work.
        """
        return WALL_FACTOR * (cpu_seconds or self.time_limit) + WALL_SLACK


def out_of_cpu(code: int) -> bool:
    """Did the kernel end the worker for exceeding RLIMIT_CPU (directly, or as bubblewrap reports it)?"""
    return code in (-signal.SIGXCPU, 128 + signal.SIGXCPU)


@dataclass
class _Output:
    """Drains the worker's stdout+stderr so it never blocks; keeps the head."""

    kept: bytearray = field(default_factory=bytearray)
    total: int = 0

    def drain(self, fd: int) -> None:
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            self.total += len(chunk)
            room = OUTPUT_CAP_BYTES - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]
        os.close(fd)

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        if self.total > len(self.kept):
            text += f"\n[... output truncated: {self.total} bytes in all, first {len(self.kept)} shown]"
        return text


class Channel:
    """The protocol with one worker: boot, import, probes. Subclasses launch and end it."""

    def __init__(self, modules: tuple[str, ...], limits: Limits):
        self.modules = modules
        self.limits = limits
        self.output = _Output()
        self.import_error: str | None = None
        self.cpu_used = 0.0  # CPU seconds the learner's code used in probes (as the worker measured it)
        self._booted = self._imported = False
        self._buffer = b""

    def _open_pipes(self) -> tuple[int, int, int]:
        """Create the three pipes; returns the worker's ends (requests, replies, output)."""
        req_read, self._req_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        out_read, out_write = os.pipe()
        self._drainer = threading.Thread(target=self.output.drain, args=(out_read,), daemon=True)
        self._drainer.start()
        return req_read, reply_write, out_write

    # -- to be provided by subclasses ----------------------------------------------
    def alive(self) -> bool:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def exit_code(self) -> int:
        """Wait for the worker to end; its exit status (negative: killed by that signal)."""
        raise NotImplementedError

    def close(self) -> None:
        for fd in (self._req_write, self._reply_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self.kill()  # nothing to flush in the worker; waiting for its torch teardown costs ~0.5 s
        self._drainer.join(timeout=2)

    # -- lifecycle -----------------------------------------------------------------
    def wait_imported(self) -> None:
        """Block until the learner's modules are imported; raise if that failed.

        A failure here is final for this worker and recorded, so every later
        check reports the same reason instead of a confusing aftermath.
        """
        if not self._imported:
            try:
                if not self._booted:
                    self._expect("booted", BOOT_TIMEOUT, "starting the sandbox")
                    self._booted = True
                reply = self._expect("imported", self.limits.time_limit, f"importing {self._files()}")
                self.import_error = reply["error"]
                if self.import_error:
                    self.import_error = f"importing {self._files()} failed: {self.import_error}"
            except (LearnerTimeout, LearnerCrashed) as exc:
                self.import_error = str(exc)
            self._imported = True
        if self.import_error:
            raise LearnerImportFailed(self.import_error)

    def _expect(self, kind: str, cpu_limit: float, doing: str) -> dict:
        reply = self._receive(cpu_limit, doing)
        if not isinstance(reply, dict) or reply.get("kind") != kind:
            self.kill()
            raise LearnerCrashed(f"the worker sent an unexpected message while {doing} (tampering?)")
        return reply

    # -- probes --------------------------------------------------------------------
    def run(self, probe, *args, timeout: float | None = None):
        self.wait_imported()
        name = probe.__name__
        cpu_limit = timeout or self.limits.time_limit
        request = {"op": "run", "name": name, "source": inspect.getsource(probe), "args": list(args),
                   "cpu_s": cpu_limit}
        try:
            wire.send(self._req_write, request)
        except (BrokenPipeError, OSError):
            raise self._died(f"running {name}", cpu_limit) from None
        reply = self._receive(cpu_limit, f"running {name}")
        if not isinstance(reply, dict) or "ok" not in reply:
            raise LearnerCrashed(f"the worker sent a malformed reply while running {name} (tampering?)")
        if isinstance(reply.get("cpu_s"), (int, float)):
            self.cpu_used += float(reply["cpu_s"])
        if reply["ok"]:
            return reply.get("value")
        where = f" [{reply['where']}]" if reply.get("where") else ""
        raise LearnerRaised(f"{reply.get('error')}{where}")

    def _receive(self, cpu_limit: float, doing: str):
        wall = self.limits.wall_limit(cpu_limit)
        deadline = time.monotonic() + wall
        header = self._read(wire.HEADER.size, deadline, doing, cpu_limit)
        (size,) = wire.HEADER.unpack(header)
        if size > wire.MAX_MESSAGE_BYTES:
            self.kill()
            raise LearnerCrashed(f"the worker sent {size} bytes while {doing}; the limit is {wire.MAX_MESSAGE_BYTES}")
        try:
            return wire.decode(self._read(size, deadline, doing, cpu_limit))
        except wire.WireError as exc:
            self.kill()
            raise LearnerCrashed(f"the worker's reply while {doing} was rejected: {exc}") from None

    def _read(self, size: int, deadline: float, doing: str, cpu_limit: float) -> bytes:
        while len(self._buffer) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise LearnerTimeout(f"timed out after {self.limits.wall_limit(cpu_limit):g} s of wall-clock time "
                                     f"while {doing} (sleeping, or waiting for something that never comes?)")
            ready, _, _ = select.select([self._reply_read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._reply_read, 1 << 20)
            if not chunk:
                raise self._died(doing, cpu_limit)
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _died(self, doing: str, cpu_limit: float) -> LearnerError:
        code = self.exit_code()
        if out_of_cpu(code):
            return LearnerTimeout(f"timed out after {cpu_limit:g} s of CPU time while {doing} (infinite loop?)")
        if code < 0:
            try:
                what = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                what = f"was killed by signal {-code}"
        else:
            what = f"exited with status {code}"
        return LearnerCrashed(f"the process running your code {what} while {doing} (exit() or os._exit()?)")

    def _files(self) -> str:
        return ", ".join(f"{m}.py" for m in self.modules)


class WorkerProcess(Channel):
    """A worker in a sandbox of its own. Start it early: its torch import overlaps ours."""

    def __init__(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits):
        super().__init__(modules, limits)
        self.learner_dir = Path(learner_dir).resolve()
        self.isolation = isolation_mod.choose()
        self._workdir = tempfile.TemporaryDirectory(prefix="grader-worker-")
        req_read, reply_write, out_write = self._open_pipes()
        script, learner_dir_inside = self.isolation.worker_paths(self.learner_dir)
        config = {
            "request_fd": req_read, "reply_fd": reply_write, "learner_dir": learner_dir_inside,
            "modules": list(self.modules), "memory_mb": self.limits.memory_mb, "threads": self.limits.threads,
            "time_limit": self.limits.time_limit, "max_tasks": self.isolation.task_limit(),
        }
        argv = self.isolation.command([sys.executable, "-I", script, json.dumps(config)],
                                      learner_dir=self.learner_dir)
        self._cgroup = pids.PidsCgroup.create()
        if self._cgroup:
            argv = self._cgroup.wrap(argv)
        env = isolation_mod.sandbox_env() if self.isolation.level != "bubblewrap" else None
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out_write, stderr=out_write,
            pass_fds=(req_read, reply_write), cwd=self.isolation.cwd(Path(self._workdir.name)),
            env=env, start_new_session=True,
        )
        for fd in (req_read, reply_write, out_write):
            os.close(fd)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()

    def exit_code(self) -> int:
        return self.process.wait()

    def close(self) -> None:
        super().close()
        if self._cgroup:
            self._cgroup.release()
        self._workdir.cleanup()


class LearnerSession:
    """What checks call: runs probes, restarting a crashed worker where that helps.

    A failure while *importing* is final (it would recur). A crash inside one probe
    costs only that check, and the next check gets a fresh worker. A timeout is
    final too: every later call fails at once, pointing at the first, so a loop
    costs one time limit rather than one per check.
    ``start_worker`` makes a worker (default: its own sandboxed process; the
    batch grader passes one that forks from a pre-imported zygote).
    """

    def __init__(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits, start_worker=None):
        self.learner_dir = Path(learner_dir)
        self.modules = modules
        self.limits = limits
        self._start_worker = start_worker or (lambda: WorkerProcess(self.learner_dir, modules, limits))
        self.worker = self._start_worker()
        self.restarts = 0
        self.timed_out: str | None = None
        self._cpu_before = 0.0  # cpu_used of the workers this session has replaced
        self._outputs: list[str] = []

    @property
    def isolation(self) -> isolation_mod.Isolation:
        return self.worker.isolation

    def fresh(self) -> LearnerSession:
        """Another session on the same files and limits, with a worker of its own."""
        return LearnerSession(self.learner_dir, self.modules, self.limits, self._start_worker)

    def run(self, probe, *args, timeout: float | None = None):
        if self.timed_out:
            raise LearnerTimeout(f"not run, since your code already {self.timed_out}")
        if not self.worker.alive() and self.worker.import_error is None:
            self._restart()
        try:
            return self.worker.run(probe, *args, timeout=timeout)
        except LearnerTimeout as exc:
            self.timed_out = str(exc)
            raise

    @property
    def cpu_used(self) -> float:
        """CPU seconds the learner's code used in this session's probes."""
        return self._cpu_before + self.worker.cpu_used

    def _restart(self) -> None:
        if self.restarts >= MAX_RESTARTS:
            raise LearnerCrashed("not run: your code crashed or timed out too often in earlier checks")
        self.restarts += 1
        self._cpu_before += self.worker.cpu_used
        self._outputs.append(self.worker.output.text())
        self.worker.close()
        self.worker = self._start_worker()

    def import_failure(self) -> str | None:
        """Why the learner's modules cannot be imported, or None: a module that cannot be
        imported scores 0, whatever checks that never ran it said."""
        try:
            self.worker.wait_imported()
        except LearnerImportFailed as exc:
            return str(exc)
        return None

    def output(self) -> str:
        return "".join(self._outputs + [self.worker.output.text()])

    def close(self) -> None:
        self.worker.close()
