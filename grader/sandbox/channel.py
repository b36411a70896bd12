"""The protocol with one sandboxed worker (the trusted side of ``inside/worker.py``).

A *probe* is a plain top-level function ``probe(learner, *args)`` written in a
check module; its source (with the helpers its module ships, see
:mod:`grader.sandbox.probes`) is sent to the worker and run there against the
learner's imported modules (``learner.net``, ``learner.loss``, ...). Only its
plain-data result comes back, read with ``torch.load(weights_only=True)``.
Expected values never leave this process.

How the worker was started is the subclass's business: its own sandboxed process
(:class:`grader.sandbox.worker_process.WorkerProcess`) or a child forked by a
pre-imported zygote (:class:`grader.sandbox.zygote_process.PooledWorker`).
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from dataclasses import dataclass, field

from grader.i18n import t
from grader.sandbox.errors import LearnerCrashed, LearnerError, LearnerImportFailed, LearnerRaised, LearnerTimeout
from grader.sandbox.inside import wire
from grader.sandbox.isolation import Isolation
from grader.sandbox.limits import WALL_SLACK, Limits, out_of_cpu
from grader.sandbox.probes import probe_source
from grader.sandbox.sentences import recognised

BOOT_TIMEOUT = 120.0
OUTPUT_CAP_BYTES = 16 * 1024


@dataclass
class Output:
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

    def __init__(self, modules: tuple[str, ...], limits: Limits, isolation: Isolation):
        self.modules = modules
        self.isolation = isolation  # what the session's reports name
        self.limits = limits
        self.output = Output()
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
                    self._expect("booted", BOOT_TIMEOUT, t("starting the sandbox"))
                    self._booted = True
                reply = self._expect("imported", self.limits.time_limit, t("importing {files}", files=self._files()))
                self.import_error = reply["error"]
                if self.import_error:
                    self.import_error = t("importing {files} failed: {error}", files=self._files(),
                                          error=recognised(self.import_error))
            except (LearnerTimeout, LearnerCrashed) as exc:
                self.import_error = exc.message
            self._imported = True
        if self.import_error:
            raise LearnerImportFailed(self.import_error)

    def _expect(self, kind: str, cpu_limit: float, doing: str) -> dict:
        reply = self._receive(cpu_limit, doing)
        if not isinstance(reply, dict) or reply.get("kind") != kind:
            self.kill()
            raise LearnerCrashed(t("the worker sent an unexpected message while {doing} (tampering?)", doing=doing))
        return reply

    # -- probes --------------------------------------------------------------------
    def run(self, probe, *args, timeout: float | None = None):
        name, source = probe_source(probe)
        return self._call({"op": "run", "name": name, "source": source, "args": list(args)}, timeout)

    def run_ranks(self, probe, world_size: int, *args, rank_cpu_s: float, wall_s: float, grace_s: float,
                  ports: int = 1, timeout: float | None = None) -> dict:
        """Run ``probe(learner, me, *args)`` on ``world_size`` processes in the sandbox (see
        ``inside/ranks.py``). Each may use ``rank_cpu_s`` CPU seconds in all, its start included;
        all are stopped ``wall_s`` after the start, or ``grace_s`` after the first one ends (so this
        call's wall-clock backstop is at least ``wall_s`` plus the usual slack)."""
        name, source = probe_source(probe)
        request = {"op": "ranks", "name": name, "source": source, "args": list(args), "world_size": world_size,
                   "rank_cpu_s": rank_cpu_s, "wall_s": wall_s, "grace_s": grace_s, "ports": ports}
        return self._call(request, timeout, wall_at_least=wall_s + WALL_SLACK)

    def _call(self, request: dict, timeout: float | None, wall_at_least: float = 0.0):
        """Send one probe request and return its value (``cpu_s`` is the worker's own CPU budget)."""
        self.wait_imported()
        name = request["name"]
        running = t("running {probe}", probe=name)
        cpu_limit = timeout or self.limits.time_limit
        request = dict(request, cpu_s=cpu_limit)
        try:
            wire.send(self._req_write, request)
        except (BrokenPipeError, OSError):
            raise self._died(running, cpu_limit) from None
        reply = self._receive(cpu_limit, running, wall_at_least)
        if not isinstance(reply, dict) or "ok" not in reply:
            raise LearnerCrashed(t("the worker sent a malformed reply while {doing} (tampering?)", doing=running))
        if isinstance(reply.get("cpu_s"), (int, float)):
            self.cpu_used += float(reply["cpu_s"])
        if reply["ok"]:
            return reply.get("value")
        raise LearnerRaised(str(reply.get("error")), str(reply.get("where") or ""), str(reply.get("type") or ""))

    def _receive(self, cpu_limit: float, doing: str, wall_at_least: float = 0.0):
        wall = max(self.limits.wall_limit(cpu_limit), wall_at_least)
        deadline = time.monotonic() + wall
        header = self._read(wire.HEADER.size, deadline, doing, cpu_limit, wall)
        (size,) = wire.HEADER.unpack(header)
        if size > wire.MAX_MESSAGE_BYTES:
            self.kill()
            raise LearnerCrashed(t("the worker sent {size} bytes while {doing}; the limit is {limit}", size=size,
                                   doing=doing, limit=wire.MAX_MESSAGE_BYTES))
        try:
            return wire.decode(self._read(size, deadline, doing, cpu_limit, wall))
        except wire.WireError as exc:
            self.kill()
            raise LearnerCrashed(t("the worker's reply while {doing} was rejected: {error}", doing=doing,
                                   error=str(exc))) from None

    def _read(self, size: int, deadline: float, doing: str, cpu_limit: float, wall: float) -> bytes:
        while len(self._buffer) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise LearnerTimeout(t("timed out after {seconds:g} s of wall-clock time "
                                       "while {doing} (sleeping, or waiting for something that never comes?)",
                                       seconds=wall, doing=doing))
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
            return LearnerTimeout(t("timed out after {seconds:g} s of CPU time while {doing} (infinite loop?)",
                                    seconds=cpu_limit, doing=doing))
        if code < 0:
            try:
                what = t("was killed by {signal}", signal=signal.Signals(-code).name)
            except ValueError:
                what = t("was killed by signal {number}", number=-code)
        else:
            what = t("exited with status {code}", code=code)
        return LearnerCrashed(t("the process running your code {what} while {doing} (exit() or os._exit()?)",
                                what=what, doing=doing))

    def _files(self) -> str:
        return ", ".join(f"{m}.py" for m in self.modules)
