"""A learner's check, one way for every front end: a request in, a report out.

``grader check`` and ``grader watch``, the Jupyter magics and the grader server all describe
a check as one :class:`CheckRequest` and hand it here; they only parse what the learner typed
and show what comes back. The request is also what travels to the server, so the server
grades exactly what the front end asked for, with the same seed: a report from the server
and one graded here for the same request are the same report.

Defaults are decided once, in :meth:`CheckRequest.make`: a fresh seed when none is given,
the exercise's own time limit when none is given, ``auto`` devices.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.hints import Hint, reveal_next
from grader.i18n import Message, reason, t
from grader.progress import Progress
from grader.registry import Exercise, load_registry
from grader.report import Report
from grader.runner import DEVICE_MODES, DeviceUnavailable, fresh_seed, grade
from grader.sandbox import FRESH, IsolationError, Workers
from grader.workspace import Workspace


class CheckRefused(ValueError):
    """The request cannot be graded as asked (a bad option, no CUDA, no usable sandbox): one line for the learner."""


@dataclass(frozen=True)
class CheckRequest:
    """What to grade and how: the learner's folder for one exercise, the inputs' seed, the devices, the limits."""

    exercise: str
    learner_dir: Path
    seed: int
    device: str = "auto"
    time_limit: float | None = None  # seconds per call of the learner's code; None: the exercise's own
    threads: int | None = None  # torch threads of the learner's worker; None: the sandbox's default

    @classmethod
    def make(cls, exercise: str, learner_dir: Path, *, seed: int | None = None, device: str = "auto",
             time_limit: float | None = None, threads: int | None = None) -> CheckRequest:
        """A request with its defaults decided, or CheckRefused for an option no grading can honour."""
        if device not in DEVICE_MODES:
            raise CheckRefused(t("--device must be one of {choices}, not {device!r}", choices=", ".join(DEVICE_MODES),
                                 device=device))
        if time_limit is not None and time_limit <= 0:
            raise CheckRefused(t("--time-limit must be positive"))
        return cls(exercise, Path(learner_dir), fresh_seed() if seed is None else int(seed), device,
                   None if time_limit is None else float(time_limit), threads)

    def to_wire(self) -> dict:
        """Plain JSON data, as the server receives it."""
        return asdict(self) | {"learner_dir": str(self.learner_dir)}

    @classmethod
    def from_wire(cls, data: dict) -> CheckRequest:
        """The request a client sent; CheckRefused if it is not one."""
        try:
            return cls.make(str(data["exercise"]), Path(data["learner_dir"]), seed=int(data["seed"]),
                            device=str(data.get("device", "auto")), time_limit=data.get("time_limit"),
                            threads=data.get("threads"))
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckRefused(t("not a check request: {error}", error=str(exc))) from None


def grade_here(request: CheckRequest, exercise: Exercise | None = None, workers: Workers = FRESH) -> Report:
    """Grade the request in this process (its learner code in the sandbox); ``workers``: where the sandboxed
    workers come from (default: fresh ones, as ``grader check`` grades)."""
    exercise = exercise or load_registry().get(request.exercise)
    try:
        return grade(exercise, request.learner_dir, seed=request.seed, device=request.device,
                     time_limit=request.time_limit, threads=request.threads, workers=workers)
    except (IsolationError, DeviceUnavailable) as exc:
        raise CheckRefused(reason(exc)) from None


def check(request: CheckRequest, *, exercise: Exercise | None = None, workers: Workers = FRESH,
          use_server: bool = False,
          say: Callable[..., None] = lambda key, **values: None, exits_after: bool = True) -> Report:
    """The report for ``request``: from the grader server when ``use_server`` and one answers, else graded here.

    ``say(key, **values)`` shows the one line (a :mod:`grader.messages` key) that tells the learner why a
    check runs without the server. ``exits_after``: this process ends after the check (a command, not a
    notebook's kernel), so a server it starts may wait for that before warming up.
    """
    from grader.server import client

    start_server = False
    if use_server and not client.disabled():
        try:
            answer = client.grade(request.to_wire(), say=say)
        except client.Unavailable as exc:
            start_server = exc.start_after
        else:
            if "usage_error" in answer:
                carried = answer.get("usage_error_i18n")  # the refusal's template, for the learner's language
                raise CheckRefused(Message.from_dict(carried) if isinstance(carried, dict) else answer["usage_error"])
            return Report.from_dict(answer["report"])
    try:
        return grade_here(request, exercise, workers)
    finally:
        if start_server:
            client.start_quietly(os.getpid() if exits_after else None)


def record(ex: Exercise, ws: Workspace, report: Report, *, with_hint: bool = True, keep_score: bool = True,
           lang: str = "en") -> tuple[Hint | None, str | None]:
    """Record the result in the workspace's progress (``keep_score=False``: only the hints seen, for code
    graded from elsewhere, e.g. a notebook cell); the next hint if the report failed, and a warning about
    an unreadable progress file."""
    progress = Progress(ws.progress_file)
    if keep_score:
        progress.record(ex.id, passed=report.passed, score=report.score, max_score=report.max_score,
                        seed=report.seed)
    hint = None if report.passed or not with_hint else reveal_next(ex, progress, repeat_last=False, lang=lang)
    try:
        progress.save()
    except OSError:
        pass  # a read-only workspace still gets its grade; only the status column is lost
    return hint, progress.warning
