"""What the zygote checks of itself and of its sandbox after each child (see ``zygote.py``).

A child runs with the zygote's uid, so it can reach the zygote with ordinary system calls:
signal it, change its resource limits, priority, CPU affinity or scheduling, raise its OOM
score, leave files, shared memory or keys in the sandbox. Each of these would change how the
*next* submission is graded. None of them can be prevented for a process of the same uid
without privileges the sandbox does not have, but every one of them is visible afterwards:
:func:`snapshot` reads all of it, and :func:`changes` names what differs from the snapshot
taken before the first child, in words an instructor understands. A zygote that finds any
change does not fork again (the trusted side replaces it).

What cannot be read this way cannot be reached either: the zygote is non-dumpable (no ptrace,
no /proc/PID/mem, fd or environ), and the root file system, /dev and the Python installation
are read-only; /tmp and /dev/shm are wiped by the zygote and must then be empty.
"""

import ctypes
import errno
import json
import os
import platform
import resource
import signal
import socket

SCRATCH = ("/tmp", "/dev/shm")
_STATUS_FIELDS = ("NoNewPrivs", "Seccomp", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
                  "Cpus_allowed_list", "Mems_allowed_list")
_RLIMITS = sorted(name for name in dir(resource) if name.startswith("RLIMIT_"))
_IOPRIO_GET = {"x86_64": 252, "aarch64": 31}.get(platform.machine())  # no wrapper in Python's os module

# key -> what a change of it means, for the instructor
MEANING = {
    "limits": "changed the grader process's resource limits",
    "nice": "lowered the grader process's priority",
    "scheduler": "changed the grader process's scheduling policy",
    "affinity": "moved the grader process to other CPUs",
    "signals": "sent a signal to the grader process",
    "oom_score_adj": "made the grader process the first to be killed when memory runs short",
    "autogroup": "changed the grader process's CPU share",
    "timerslack_ns": "changed the grader process's timer slack",
    "coredump_filter": "changed what the grader process would dump",
    "ioprio": "changed the grader process's I/O priority",
    "status": "changed the grader process's privileges or CPUs",
    "init": "reached the sandbox's init process",
    "hostname": "changed the sandbox's host name",
    "mounts": "changed the grader process's mounts",
    "ipc": "left shared memory, semaphores or message queues in the sandbox",
    "keys": "left keys in the sandbox's keyrings",
    "scratch": "left files that the clean-up could not remove",
    "unreadable": "made the grader process unable to check itself",
}


def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _limits() -> dict:
    return {name: resource.getrlimit(getattr(resource, name)) for name in _RLIMITS}


def _status(pid: str) -> dict:
    fields = {}
    for line in _read(f"/proc/{pid}/status").splitlines():
        key, _, value = line.partition(":")
        if key in _STATUS_FIELDS or key in ("SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"):
            fields[key] = value.strip()
    return fields


def _init_state() -> dict:
    """The sandbox's init (bubblewrap's pid 1): its limits, priority and signals. Not its run state, nor a
    pending SIGCHLD: it reaps the orphans the sweep kills, so both change without anyone reaching it."""
    stat = _read("/proc/1/stat").rsplit(")", 1)[1].split()
    status = _status("1")
    for key in ("SigPnd", "ShdPnd"):
        status[key] = int(status.get(key, "0"), 16) & ~(1 << (signal.SIGCHLD - 1))
    return {"limits": _read("/proc/1/limits"), "nice": stat[16], **status}


def _ipc() -> list[str]:
    """SysV IPC objects of the sandbox's IPC namespace (the header line of each table aside)."""
    found = []
    for table in ("shm", "sem", "msg"):
        path = f"/proc/sysvipc/{table}"
        if os.path.exists(path):
            found += [f"{table}: {line.split()[1]}" for line in _read(path).splitlines()[1:] if line.strip()]
    return found


def _scratch() -> list[str]:
    return sorted(os.path.join(root, name) for root in SCRATCH if os.path.isdir(root) for name in os.listdir(root))


def _ioprio() -> int | None:
    if _IOPRIO_GET is None:
        return None
    return ctypes.CDLL(None, use_errno=True).syscall(_IOPRIO_GET, 1, 0)  # IOPRIO_WHO_PROCESS, this process


def snapshot() -> dict:
    """Everything of the zygote and its sandbox that a child could change for the next child."""
    own = _status("self")
    state = {
        "limits": _limits(),
        "nice": os.getpriority(os.PRIO_PROCESS, 0),
        "scheduler": (os.sched_getscheduler(0), os.sched_getparam(0).sched_priority),
        "affinity": sorted(os.sched_getaffinity(0)),
        "signals": sorted(int(s) for s in signal.sigpending()) + [own.pop("SigPnd"), own.pop("ShdPnd")],
        "status": own,
        "init": _init_state(),
        "hostname": socket.gethostname(),
        "mounts": _read("/proc/self/mountinfo"),
        "ipc": _ipc(),
        "keys": _read("/proc/keys") if os.path.exists("/proc/keys") else "",
        "scratch": _scratch(),
        "ioprio": _ioprio(),
    }
    for entry in ("oom_score_adj", "autogroup", "timerslack_ns", "coredump_filter"):
        if os.path.exists(f"/proc/self/{entry}"):
            state[entry] = _read(f"/proc/self/{entry}").strip()
    return state


def changes(baseline: dict) -> list[str]:
    """What differs from ``baseline``, one line each (empty: nothing a later child could notice)."""
    try:
        now = snapshot()
    except Exception as exc:  # noqa: BLE001  (failing to look is itself a change: fail closed)
        if isinstance(exc, MemoryError) or getattr(exc, "errno", None) == errno.ENOMEM:
            raise MemoryError from exc  # the zygote sends its reply prepared for this (out_of_memory_reply)
        return [f"{MEANING['unreadable']} ({type(exc).__name__}: {exc})"]
    found = []
    for key in baseline.keys() | now.keys():
        before, after = baseline.get(key), now.get(key)
        if before != after:
            found.append(f"{MEANING.get(key, key)}{_detail(key, before, after)}")
    return sorted(found)


def _detail(key: str, before, after) -> str:
    if key == "limits":
        names = [n for n in _RLIMITS if before.get(n) != after.get(n)]
        return " (" + ", ".join(f"{n} {_limit(before.get(n))} → {_limit(after.get(n))}" for n in names) + ")"
    if key == "signals":
        sent = [s for s in after if isinstance(s, int) and s not in before]
        return " (" + ", ".join(_signal_name(s) for s in sent) + ")" if sent else ""
    if key == "nice":
        return f" (nice {before} → {after})"
    if key in ("scratch", "ipc"):
        return ": " + ", ".join(after[:5]) if after else ""
    return ""


def _limit(value) -> str:
    if value is None:
        return "?"
    return "/".join("unlimited" if v == resource.RLIM_INFINITY else str(v) for v in value)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# Limits that, lowered below what the process already uses, make its next allocation fail: the audit
# itself may then die of MemoryError before it can say why. Its replies for them are made in advance.
MEMORY_LIMITS = ("RLIMIT_DATA", "RLIMIT_AS", "RLIMIT_STACK")


def out_of_memory_replies() -> dict[str, bytes]:
    """A finished child's reply for each memory limit (and ``""``: one that cannot even be told), encoded
    now, while allocating works, for :func:`out_of_memory_reply` to send when it no longer does."""
    def reply(what: str) -> bytes:
        return json.dumps({"status": -9, "left": [], "changed": [f"{MEANING['limits']} ({what})"]}).encode()

    replies = {name: reply(f"{name} lowered below what it uses: it could not allocate") for name in MEMORY_LIMITS}
    replies[""] = reply("it could not allocate memory any more")
    return replies


def out_of_memory_reply(replies: dict[str, bytes], baseline: dict) -> bytes:
    """The prepared reply naming the memory limit that changed since ``baseline`` (asking allocates little)."""
    try:
        for name in MEMORY_LIMITS:
            if resource.getrlimit(getattr(resource, name)) != baseline["limits"].get(name):
                return replies[name]
    except MemoryError:
        pass
    return replies[""]
