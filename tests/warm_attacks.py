"""The project's own hostile submissions against the warm paths: each aims at the process that
forked it (a zygote) or at the sandbox that outlives it, with ordinary system calls of its uid.

``ATTACKS``: name -> (the lines run when net.py is imported, what the instructor's review line
must mention). Each is prepended to exercise 04's reference, so the attacker itself would score
full marks; what matters is that no submission graded after it on the same path loses a point.
"""

from grader import paths

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
PRELUDE = "import os, signal, resource, ctypes, subprocess\nP = os.getppid()\n"

ATTACKS: dict[str, tuple[str, str]] = {
    # resource limits of the parent: inherited by every child it forks later
    "limits-data": ("resource.prlimit(P, resource.RLIMIT_DATA, (64 << 20, 64 << 20))", "RLIMIT_DATA"),
    "limits-nproc": ("resource.prlimit(P, resource.RLIMIT_NPROC, (1, 1))", "RLIMIT_NPROC"),
    "limits-fsize": ("resource.prlimit(P, resource.RLIMIT_FSIZE, (10, 10))", "RLIMIT_FSIZE"),
    "limits-nofile": ("resource.prlimit(P, resource.RLIMIT_NOFILE, (5, 5))", "RLIMIT_NOFILE"),
    "limits-cpu": ("resource.prlimit(P, resource.RLIMIT_CPU, (1, 1))", "grader process"),
    # signals: a blocked one waits to be seen, SIGKILL and SIGSTOP end or freeze the parent
    "signal-usr1": ("os.kill(P, signal.SIGUSR1)", "SIGUSR1"),
    "signal-term": ("os.kill(P, signal.SIGTERM)", "SIGTERM"),
    "signal-int": ("os.kill(P, signal.SIGINT)", "SIGINT"),
    "signal-kill": ("os.kill(P, signal.SIGKILL)", "was killed"),
    "signal-stop": ("os.kill(P, signal.SIGSTOP)", "stopped answering"),
    # scheduling: no grade depends on speed, but the parent is changed all the same
    "priority": ("os.setpriority(os.PRIO_PROCESS, P, 19)", "priority"),
    "affinity": ("os.sched_setaffinity(P, {min(os.sched_getaffinity(P))})", "other CPUs"),
    "scheduler": ("os.sched_setscheduler(P, os.SCHED_IDLE, os.sched_param(0))", "scheduling policy"),
    "oom-score": ("open(f'/proc/{P}/oom_score_adj', 'w').write('1000')", "first to be killed"),
    "io-priority": ("import platform\n"  # ioprio_set(IOPRIO_WHO_PROCESS, P, the idle class): no wrapper in os
                    "ctypes.CDLL(None).syscall({'x86_64': 251, 'aarch64': 30}[platform.machine()], 1, P, 3 << 13)",
                    "I/O priority"),
    # the sandbox's init, and what a process can leave in the sandbox
    "init-limits": ("resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3))", "init process"),
    "sysv-shm": ("assert ctypes.CDLL(None).shmget(0x5EED, 4096, 0o1666) >= 0", "shared memory"),
    "daemon": ("subprocess.Popen(['sleep', '600'], start_new_session=True)", "still running"),
}


# what the sweep undoes by itself (a process it ends): flagged, but the zygote is unchanged and stays
SWEPT = {"daemon"}


def source(name: str) -> str:
    """exercise-04's net.py with the attack ``name`` run at import."""
    return PRELUDE + ATTACKS[name][0] + "\n" + REFERENCE
