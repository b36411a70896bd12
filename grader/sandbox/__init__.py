"""The sandbox, in two folders by the side its code runs on.

``grader/sandbox/inside/`` is the only kit code the sandboxed process sees (it is
mounted read-only, with the learner's files): the worker that imports the
learner's modules and runs probes, the zygote that forks workers, the wire
format, the probe toolkit and the multi-process launcher. Auditing what
untrusted code can reach means reading that folder and
:mod:`grader.sandbox.isolation`.

Everything else here is the trusted side, named for what it is:
``isolation`` (how a process is fenced off), ``pids`` (the process cap),
``launch`` (starting a sandboxed program), ``channel`` (the protocol with one
worker), ``worker_process`` (the trusted side's handle on a worker of its own),
``zygote_process`` (its handle on a pre-imported parent that forks workers),
``workers`` (where a grading gets its workers: fresh, or warm and vouched for),
``session`` (what checks call; restarts and timeouts), ``probes`` (what is shipped
with a probe), ``limits`` and ``errors``.

The rest of the kit comes in by the front door, this package's own names (at the end
of this file): the workers (``FRESH``, ``WarmWorkers``), the session, the limits and the
errors a caller may need to catch. Only the hidden checks reach further in: for the
probe toolkit (``inside.probekit``), ``probes.shipped`` and the particular learner errors
and limits their verdicts name.

Warm paths and what a submission can reach
------------------------------------------
The grader server, ``grader watch``, ``grader batch`` (its pool and its Dask workers) fork
every submission from one long-lived *zygote* (``zygote_process``, ``inside/zygote.py``) and grade
through :class:`~grader.sandbox.workers.WarmWorkers`. The zygote's child runs with the zygote's
uid in the zygote's sandbox, so the rule "one submission never changes another's grade" is
kept by making every reach visible and every change fatal to the zygote:

============================  ===========================================================
a child *can*                 and then
============================  ===========================================================
signal the zygote             it blocks every signal (SIGCHLD aside): the signal waits, the
                              audit sees it; SIGKILL and SIGSTOP end or freeze it, which the
                              trusted side sees at once
change its resource limits,   the audit after the child compares them all with the
priority, CPUs, scheduling,   snapshot taken before the first child
OOM score, timer slack
signal or re-limit the        the audit reads the init's limits, priority and signals too
sandbox's init (pid 1)
leave processes               the sweep kills and reaps every process but init and the
                              zygote before the grade is reported (named in ``review``)
leave files                   only /tmp and /dev/shm are writable (bubblewrap's root and
                              /dev are read-only): wiped, whatever their modes; anything
                              left is a change
leave SysV IPC objects,       the audit lists them: a change. POSIX message queues cannot
keys, POSIX mqueues           be listed, so a child may not create one (RLIMIT_MSGQUEUE 0)
============================  ===========================================================

A child *cannot* read or write the zygote's memory, file descriptors or environment (it is
non-dumpable: no ptrace, no /proc/PID/mem, fd or environ), reach the trusted side (another
pid and network namespace), or see another submission's files (each child's are sent as
text into a folder of its own, wiped after it).

A zygote that found a change reports it and exits; one that died, stopped answering or could
not fork is stopped. Either way the grading that was running is done again on fresh workers
(nothing shared with anyone) and only that report counts; the next submission gets a new
zygote. The zygote runs only under bubblewrap: without a pid namespace of its own it could
not sweep, so the weaker isolation levels grade every submission on a fresh worker.
"""

# The front door: what the trusted side outside this package needs of the sandbox.
from grader.sandbox.errors import LearnerError  # noqa: E402
from grader.sandbox.isolation import IsolationError  # noqa: E402
from grader.sandbox.limits import MAX_FILE_BYTES, Limits, too_large  # noqa: E402
from grader.sandbox.session import LearnerSession, WorkerFactory  # noqa: E402
from grader.sandbox.workers import FRESH, FreshWorkers, WarmWorkers, Workers  # noqa: E402

__all__ = ["FRESH", "MAX_FILE_BYTES", "FreshWorkers", "IsolationError", "LearnerError", "LearnerSession", "Limits",
           "WarmWorkers", "WorkerFactory", "Workers", "too_large"]
