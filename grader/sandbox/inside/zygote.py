"""A pre-imported parent for sandboxed workers (every warm path: batch, server, watch, Dask).

Started by :mod:`grader.sandbox.zygote_process` inside the same isolation as a worker (bubblewrap
only: the sweep below needs the sandbox's own pid namespace), it imports torch once (running
no torch operation, so forking stays safe) and then, for each submission, forks one child
that becomes an ordinary worker (:func:`worker.run_learner`). One child at a time.

After each child the zygote makes sure nothing of it reaches the next one:

1. **Sweep**: every other process of the sandbox is killed and reaped, /tmp and /dev/shm are
   wiped (the only writable places: the root file system and /dev are read-only).
2. **Audit** (``audit.py``): the zygote compares its own state and the sandbox's with the
   snapshot taken before its first child: resource limits, priority, scheduling, CPUs, pending
   signals (all signals are blocked in the zygote, so one sent to it waits there to be seen),
   OOM score, mounts, SysV IPC, keyrings, the init process, what is left in /tmp and /dev/shm.
3. **Verdict on itself**: the finish reply carries what the sweep had to end (``left``) and what
   the audit found changed (``changed``). A zygote that found a change exits after replying;
   the trusted side starts a new one and grades that submission again on a fresh worker.

The zygote and its children are non-dumpable, so a child can neither ptrace the zygote nor
read its memory or file descriptors. A child that kills or stops the zygote is seen by the
trusted side as a zygote that stopped answering: the same replacement and re-grade.

Control messages arrive on a SOCK_SEQPACKET socket as JSON, with the child's
three pipe ends (requests, replies, output) passed as file descriptors:
  <- {"op": "fork", "files": {name: source}, "modules": [...], "memory_mb", "threads"}  + 3 fds
  -> {"pid": n}
  <- {"op": "finish", "kill": bool}  -> {"status": code, "left": [...], "changed": [...]}
     (status negative: killed by that signal)
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
    from . import audit, worker
else:  # run as a program (see worker.py)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import audit
    import worker

PR_SET_DUMPABLE = 4


def non_dumpable() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def child(request: dict, fds: list[int], control: socket.socket, folder: str, mask: set) -> None:
    """Runs in the forked child; never returns."""
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # the zygote blocks every signal; its child none
        control.close()
        requests, replies, output = fds
        os.setsid()
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        for fd in map(int, os.listdir("/proc/self/fd")):  # no file description shared with the zygote but those
            if fd > 2 and fd not in (requests, replies):
                try:
                    os.close(fd)
                except OSError:  # the listing's own descriptor, already closed
                    pass
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


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return "?"


def sweep(folder: str, patience: float = 10.0) -> list[str]:
    """Leave nothing of one submission behind for the next, and return only once it is gone
    (killed and reaped), so that the trusted side never sees a submission's processes after
    its grade (a fork bomb's thousands take a moment on a busy machine). Returns the names of
    the processes it had to end (those the child's own process group did not take along)."""
    me, deadline = os.getpid(), time.monotonic() + patience
    ended: dict[int, str] = {}
    while (left := others(me)) and time.monotonic() < deadline:
        for pid in left:
            ended.setdefault(pid, _name(pid))
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
    for root in audit.SCRATCH:
        for name in os.listdir(root) if os.path.isdir(root) else ():
            _remove(os.path.join(root, name))
    _remove(folder)
    return [f"{len(ended)} process(es) still running after its grade ({', '.join(sorted(set(ended.values()))[:5])})"
            ] if ended else []


def _remove(path: str) -> None:
    """Remove a file or a whole tree, whatever its modes (a child may have made a folder unreadable)."""
    if os.path.isdir(path) and not os.path.islink(path):
        for top, dirs, _ in os.walk(path):
            for name in dirs:
                _chmod(os.path.join(top, name))
        _chmod(path)
        for top, dirs, _ in os.walk(path):
            for name in dirs:
                _chmod(os.path.join(top, name))
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def _chmod(path: str) -> None:
    try:
        os.chmod(path, 0o700, follow_symlinks=False)
    except (OSError, NotImplementedError):
        pass


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass  # already gone


def main(config: dict) -> None:
    control = socket.socket(fileno=config["control_fd"])
    non_dumpable()
    import torch  # noqa: F401  (the point of the zygote; no torch op may run here)

    # every signal but SIGCHLD (its children's) is blocked: one sent here stays pending, for the audit to see
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals() - {signal.SIGCHLD})
    baseline = audit.snapshot()
    out_of_memory = audit.out_of_memory_replies()
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
            child(request, fds, control, folder, mask)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())
        try:  # the child ran: from here on, any allocation may fail (see audit.MEMORY_LIMITS)
            finish = control.recv(1 << 12)
            if not finish:
                os.killpg(pid, signal.SIGKILL)
                return
            grace = 0.0 if json.loads(finish).get("kill") else 1.0
            status = exit_status(pid, grace)
            left = sweep(folder)
            changed = audit.changes(baseline)
            reply = json.dumps({"status": status, "left": left, "changed": changed}).encode()
        except MemoryError:  # a memory limit lowered below what this process uses: say which, and go
            control.send(audit.out_of_memory_reply(out_of_memory, baseline))
            _kill_group(pid)
            return
        control.send(reply)
        if changed:
            return  # not to be trusted with another child


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
