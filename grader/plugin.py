"""The pytest plugin that hidden checks run under: fixtures in, verdicts out.

Fixtures a check may ask for:
  ``learner``    the :class:`~grader.sandbox.session.LearnerSession` (``learner.run(probe, ...)``, ``learner.attempt``)
  ``reference``  the reference solution's modules, imported in this trusted process
  ``device``     each device of the run ("cpu", and "cuda" where available)
  ``rng``        a ``torch.Generator`` seeded from the run's seed and the check's name
  ``check_seed`` the same seed as an int, e.g. to seed model initialisation in a probe

Points come from ``@pytest.mark.points(n)``. Only the run's primary device earns
them; the same check on a second device (CUDA under ``--device auto``) must pass
but carries no points, so a grade never depends on which machine graded it.

``@pytest.mark.requires("check", ...)`` names the checks a check's points depend on; the
plugin only collects these (``requirements``): :mod:`grader.scoring` settles them once all
checks have run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from grader.expect import CheckFailed
from grader.i18n import t
from grader.references import reference_namespace
from grader.registry import Exercise
from grader.report import CheckResult
from grader.sandbox import LearnerError, LearnerSession


def derive_seed(run_seed: int, name: str) -> int:
    """A per-check seed: reproducible, and independent of which checks ran before."""
    digest = hashlib.sha256(f"{run_seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass
class RunContext:
    exercise: Exercise
    session: LearnerSession
    seed: int
    devices: list[str]


def one_line(exc: BaseException) -> str:
    if isinstance(exc, CheckFailed):
        return exc.message
    if isinstance(exc, LearnerError):
        return t("your code: {error}", error=exc.message)
    text = (str(exc).strip().splitlines() or [""])[0]
    return t("check error ({error})", error=f"{type(exc).__name__}: {text}")


class GraderPlugin:
    def __init__(self, ctx: RunContext):
        self.ctx = ctx
        self.results: dict[str, CheckResult] = {}
        self.requirements: dict[str, list[str]] = {}
        self.interrupted = False
        self._cpu_mark = 0.0

    @staticmethod
    def _check_name(item) -> str:
        base = getattr(item, "originalname", item.name).removeprefix("test_")
        callspec = getattr(item, "callspec", None)
        device = callspec.params.get("device") if callspec else None
        return f"{base}[{device}]" if device else base

    def pytest_keyboard_interrupt(self, excinfo):
        """pytest swallows Ctrl-C (it ends the session and returns); run_pytest raises it again."""
        self.interrupted = True

    def pytest_collection_modifyitems(self, items):
        """``requires`` must name checks of the same module (a typo would silently gate nothing)."""
        names = {getattr(item, "originalname", item.name).removeprefix("test_") for item in items}
        for item in items:
            for name in required_checks(item):
                if name not in names:
                    raise pytest.UsageError(f"{item.name} requires {name!r}, which is no check of this module")

    def _cpu_since_last_check(self) -> float:
        if self.ctx.session is None:  # collecting only (grader.course.catalog)
            return 0.0
        used = self.ctx.session.cpu_used
        spent, self._cpu_mark = used - self._cpu_mark, used
        return round(spent, 3)

    def pytest_generate_tests(self, metafunc):
        if "device" in metafunc.fixturenames:
            metafunc.parametrize("device", self.ctx.devices)

    @pytest.fixture(scope="session")
    def learner(self) -> LearnerSession:
        return self.ctx.session

    @pytest.fixture(scope="session")
    def reference(self):
        return reference_namespace(self.ctx.exercise.id, self.ctx.exercise.module_names)

    @pytest.fixture
    def check_seed(self, request) -> int:
        return derive_seed(self.ctx.seed, getattr(request.node, "originalname", request.node.name))

    @pytest.fixture
    def rng(self, check_seed) -> torch.Generator:
        return torch.Generator().manual_seed(check_seed)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        name = self._check_name(item)
        marker = item.get_closest_marker("points")
        points = float(marker.args[0]) if marker else 0.0
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("device", self.ctx.devices[0]) != self.ctx.devices[0]:
            points = 0.0
        previous = self.results.get(name)
        cpu = self._cpu_since_last_check()
        needed = required_checks(item)
        if needed:
            self.requirements[name] = needed
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.results[name] = CheckResult(name, False, 0.0, points, reason.removeprefix("Skipped: "), "skipped")
        elif report.failed:
            message = one_line(call.excinfo.value) if call.excinfo else "failed"
            self.results[name] = CheckResult(name, False, 0.0, points, message, "failed", round(call.duration, 3), cpu)
        elif report.when == "call" and (previous is None or previous.status == "passed"):
            self.results[name] = CheckResult(name, True, points, points, "", "passed", round(call.duration, 3), cpu)
        return report


def required_checks(item) -> list[str]:
    marker = item.get_closest_marker("requires")
    return [str(name) for name in marker.args] if marker else []


def run_pytest(module_path: Path, plugin: GraderPlugin) -> int:
    """Run one check module quietly, plugin autoloading off (speed, and no surprises).

    ``no:unraisableexception``: its ``gc.collect()`` when a run ends costs a grading 0.2-0.7 s
    once torch is loaded, to report warnings that ``-W ignore`` drops anyway."""
    ini = module_path.parent / "pytest.ini"
    args = [
        str(module_path), "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:doctest",
        "-p", "no:junitxml", "-p", "no:pastebin", "-p", "no:stepwise", "-p", "no:nose",
        "-p", "no:legacypath", "-p", "no:faulthandler", "-p", "no:unraisableexception", "-p", "no:threadexception",
        "--disable-plugin-autoload", "--import-mode=importlib", "-W", "ignore",
        "-c", str(ini), "--rootdir", str(module_path.parent),
    ]
    code = int(pytest.main(args, plugins=[plugin]))
    if plugin.interrupted:  # the user's Ctrl-C (never the learner's: that stays in the sandbox)
        raise KeyboardInterrupt
    return code
