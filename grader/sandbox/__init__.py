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
worker), ``worker`` (a worker of its own), ``zygote`` (workers forked from a
pre-imported parent), ``session`` (what checks call; restarts and timeouts),
``probes`` (what is shipped with a probe), ``limits`` and ``errors``.
"""
