"""The limits a worker runs under, and how their breach shows."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from grader.i18n import t

WALL_FACTOR, WALL_SLACK = 6.0, 10.0  # holds with the cores shared four ways (CI machines are shared)
# One limit on a learner's file for every path (own worker, zygote, server, batch, Dask): a
# larger one is not graded, with the same message everywhere (grader.runner.grade).
MAX_FILE_BYTES = 1 << 20
MAX_FILES = 64  # files of a learner's folder that travel to a zygote's child


def too_large(name: str) -> str:
    """The one message for a learner's file over :data:`MAX_FILE_BYTES`."""
    return t("{name} is larger than {mib} MiB, the limit for a learner's file: not graded", name=name,
             mib=MAX_FILE_BYTES >> 20)


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

    def worker_config(self) -> dict:
        """The limits as the sandboxed worker reads them (see inside/worker.py)."""
        return {"memory_mb": self.memory_mb, "threads": self.threads, "time_limit": self.time_limit}


def out_of_cpu(code: int) -> bool:
    """Did the kernel end a process for exceeding RLIMIT_CPU (directly, or as bubblewrap reports it)?"""
    return code in (-signal.SIGXCPU, 128 + signal.SIGXCPU)
