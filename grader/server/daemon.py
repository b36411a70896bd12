"""The server: the trusted side imported once, a sandboxed zygote kept warm, one grading at a time.

Run as ``python -m grader.server.daemon`` (``grader check`` starts it detached, its output
going to a log file in the runtime folder). Gradings are serialised (pytest is not
thread-safe); other callers simply wait their turn, while ``status`` and ``stop`` are
answered at once. The server exits after ``GRADER_SERVER_IDLE`` seconds without a
request (default 900), on ``stop``, and as soon as a caller's kit differs from its own:
it answers that caller ``stale`` and never grades for it.
"""

from __future__ import annotations

import fcntl
import gc
import os
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from grader.server import location, protocol
from grader.server.fingerprint import identity

DEFAULT_IDLE_S = 900.0
LOCK_WAIT_S = 15.0
AFTER_WAIT_S = 30.0  # how long a server started by a check waits for that check to end
TALK_TIMEOUT_S = 60.0  # to read a request or hand over an answer: a caller that stalls is dropped


def idle_limit() -> float:
    try:
        return float(os.environ.get("GRADER_SERVER_IDLE", DEFAULT_IDLE_S))
    except ValueError:
        return DEFAULT_IDLE_S


def hold_lock() -> int | None:
    """The server's lock (one server per kit): waits a little for a stale server that is exiting."""
    fd = os.open(location.lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.05)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        return fd


def listen() -> tuple[socket.socket, int]:
    """The listening socket (and its inode), bound before the slow imports: a check that comes
    while the server warms up waits in the queue instead of starting another server."""
    path = location.socket_path()
    if path.exists() or path.is_symlink():
        path.unlink()  # we hold the lock: whoever bound it is gone
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket is born 0600: no window in which others could connect
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(64)
    listener.settimeout(1.0)
    return listener, path.stat().st_ino


class Server:
    def __init__(self, kit: dict, idle_s: float, listener: socket.socket, inode: int):
        from grader.registry import load_registry
        from grader.sandbox import WarmWorkers

        self.kit = kit
        self.idle_s = idle_s
        self.registry = load_registry()
        self.workers = WarmWorkers()  # without a zygote, each grading starts its own sandboxed worker
        # Every grading runs on one long-lived thread: a zygote (re)started by a grading dies with the
        # thread that started it (bubblewrap's --die-with-parent is a per-thread death signal), so not
        # on a connection's thread, which ends with its answer.
        self._grader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grading")
        self.started = time.time()
        self.gradings = 0
        self.last_activity = time.monotonic()
        self.grading = threading.Lock()
        self.stopping = threading.Event()
        self.handlers: set[threading.Thread] = set()
        self.listener, self._inode = listener, inode

    def close_listener(self) -> None:
        """Stop accepting, and take the socket away (only if it is still ours)."""
        self.stopping.set()
        path = location.socket_path()
        try:
            if path.stat().st_ino == self._inode:
                path.unlink()
        except OSError:
            pass
        self.listener.close()

    def serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                busy = any(t.is_alive() for t in self.handlers)
                if not busy and time.monotonic() - self.last_activity > self.idle_s:
                    print("idle: exiting", flush=True)
                    self.close_listener()
                continue
            except OSError:
                break  # closed by a handler (stop, stale)
            self.last_activity = time.monotonic()
            conn.settimeout(TALK_TIMEOUT_S)
            handler = threading.Thread(target=self._handle, args=(conn,))
            self.handlers = {t for t in self.handlers if t.is_alive()} | {handler}
            handler.start()
        for handler in list(self.handlers):
            handler.join()  # gradings in flight finish and answer first
        self._grader.shutdown()
        self.workers.stop()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            if not location.is_owner(conn):
                return  # another user: not even an answer
            try:
                request = protocol.receive(conn)
                protocol.send(conn, self.answer(request))
            except (OSError, protocol.ProtocolError) as exc:
                print(f"connection dropped: {exc}", flush=True)
            finally:
                self.last_activity = time.monotonic()

    def answer(self, request: dict) -> dict:
        op = request.get("op")
        if op == "status":
            return {"pid": os.getpid(), "started": self.started, "gradings": self.gradings,
                    "idle_s": self.idle_s, "fresh": request.get("identity") == self.kit,
                    "zygote": self.workers.zygote is not None, "grading": self.grading.locked()}
        if op == "stop":
            self.close_listener()
            return {"stopped": True}
        if op == "grade":
            if request.get("identity") != self.kit:
                print("a caller's kit differs from mine: exiting", flush=True)
                self.close_listener()
                return {"stale": True}
            return self._grader.submit(self._grade_one, request).result()
        return {"error": f"unknown request {op!r}"}

    def _grade_one(self, request: dict) -> dict:
        with self.grading:
            return self._grade(request)

    def _grade(self, request: dict) -> dict:
        from grader.checking import CheckRefused, CheckRequest, grade_here
        from grader.i18n import Message, reason

        began = time.monotonic()
        try:
            check = CheckRequest.from_wire(request.get("check") or {})
            exercise = self.registry.get(check.exercise)
            report = grade_here(check, exercise, self.workers)
        except CheckRefused as exc:  # its template too, so that the caller can say it in the learner's language
            refusal = reason(exc)
            return {"usage_error": str(exc)} | (
                {"usage_error_i18n": refusal.to_dict()} if isinstance(refusal, Message) else {})
        except Exception as exc:  # noqa: BLE001 - any failure here is the caller's cue to grade locally
            print(f"grading failed: {type(exc).__name__}: {exc}", flush=True)
            return {"error": f"{type(exc).__name__}: {exc}"}
        print(f"graded {exercise.id} in {time.monotonic() - began:.2f} s", flush=True)
        self.gradings += 1
        return {"report": report.to_dict(timings=True, localizable=True)}


def warm_up() -> None:
    """Import now what every grading needs, then freeze it out of the garbage collector's sight:
    pytest collects garbage at every session's end, and torch's heap made that half a second."""
    import pytest  # noqa: F401
    import torch  # noqa: F401

    import grader.checking  # noqa: F401
    import grader.plugin  # noqa: F401

    gc.collect()
    gc.freeze()


def wait_for_exit(pid: int, limit_s: float = AFTER_WAIT_S) -> None:
    """Until ``pid`` (the check that started this server) has ended: two torch imports at once
    would slow that check down, and it is the one the learner is waiting for."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return  # ended, not yet reaped by its parent
        except (OSError, IndexError):
            return
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    after = int(argv[1]) if len(argv) == 2 and argv[0] == "--after" else None
    location.ensure_private_dir()
    lock = hold_lock()
    if lock is None:
        print("another server holds the lock: exiting", flush=True)
        return 0
    kit = identity()  # before the imports: a file edited meanwhile makes this server stale, never wrong
    listener, inode = listen()
    if after:
        wait_for_exit(after)
    warm_up()
    server = Server(kit, idle_limit(), listener, inode)
    print(f"serving on {location.socket_path()} (pid {os.getpid()})", flush=True)
    try:
        server.serve()
    finally:
        os.close(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
