"""A pre-imported parent for sandboxed workers (the batch grader's speed-up).

Started by :mod:`grader.sandbox.zygote` inside the same isolation as a worker,
it imports torch once (running no torch operation, so forking stays safe) and
then, for each submission, forks one child that becomes an ordinary worker
(:func:`worker.run_learner`). One child at a time: after each, every other
process in the sandbox is killed and the scratch folders are wiped, so one
submission can never see or touch the next. The zygote and its children are
non-dumpable, so a child can neither ptrace the zygote nor read its memory or
file descriptors.

Control messages arrive on a SOCK_SEQPACKET socket as JSON, with the child's
three pipe ends (requests, replies, output) passed as file descriptors:
  <- {"op": "fork", "files": {name: source}, "modules": [...], "memory_mb", "threads"}  + 3 fds
  -> {"pid": n}
  <- {"op": "finish", "kill": bool}  -> {"status": code}   (negative: killed by that signal)
"""

import ctypes
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time

if __package__:
    from . import worker
else:  # run as a program (see worker.py)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import worker

PR_SET_DUMPABLE = 4
SCRATCH = ("/tmp", "/dev/shm")


def non_dumpable() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def child(request: dict, fds: list[int], control: socket.socket, folder: str) -> None:
    """Runs in the forked child; never returns."""
    try:
        control.close()
        requests, replies, output = fds
        os.setsid()
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        worker.apply_limits(int(request["memory_mb"]), request.get("max_tasks"))
        os.chdir(folder)
        worker.unbuffer_output()
        worker.run_learner(requests, replies, folder, request["modules"], request.get("threads", 1),
                           request["time_limit"])
    finally:
        os._exit(0)


def exit_status(pid: int, grace: float = 1.0) -> int:
    """Wait briefly for the child to end by itself, then kill it; its exit status."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def others(me: int) -> list[int]:
    """Every process of this pid namespace but its init (bubblewrap's) and the zygote."""
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) not in (1, me)]


def sweep(own_pid_namespace: bool, folder: str, patience: float = 10.0) -> None:
    """Leave nothing of one submission behind for the next, and return only once it is gone
    (killed and reaped), so that the trusted side never sees a submission's processes after
    its grade (a fork bomb's thousands take a moment on a busy machine)."""
    if own_pid_namespace:  # only inside bubblewrap: elsewhere /proc shows the host
        me, deadline = os.getpid(), time.monotonic() + patience
        while (left := others(me)) and time.monotonic() < deadline:
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            except ChildProcessError:
                pass
            time.sleep(0.01)  # orphans are reaped by the namespace's init
        for root in SCRATCH:
            for name in os.listdir(root) if os.path.isdir(root) else ():
                path = os.path.join(root, name)
                shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else _unlink(path)
    shutil.rmtree(folder, ignore_errors=True)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def main(config: dict) -> None:
    control = socket.socket(fileno=config["control_fd"])
    non_dumpable()
    import torch  # noqa: F401  (the point of the zygote; no torch op may run here)

    control.send(json.dumps({"kind": "ready"}).encode())
    while True:
        message, fds, _, _ = socket.recv_fds(control, 1 << 22, 3)
        if not message:
            return
        request = json.loads(message)
        if request["op"] != "fork" or len(fds) != 3:
            return
        folder = tempfile.mkdtemp(prefix="learner-", dir="/tmp" if os.path.isdir("/tmp") else None)
        for name, source in request["files"].items():
            with open(os.path.join(folder, os.path.basename(name)), "w", encoding="utf-8") as handle:
                handle.write(source)
        pid = os.fork()
        if pid == 0:
            child(request, fds, control, folder)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())
        finish = control.recv(1 << 16)
        if not finish:
            os.killpg(pid, signal.SIGKILL)
            return
        grace = 0.0 if json.loads(finish).get("kill") else 1.0
        status = exit_status(pid, grace)
        sweep(config["own_pid_namespace"], folder)
        control.send(json.dumps({"status": status}).encode())


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
