"""Which hidden checks an exercise has, and what each is worth, without running them.

The checks live only in ``grader/checks/exercise_NN.py``; the course needs their
names and points to make one nbgrader test cell per check. pytest's own
collection (with the engine's plugin, so device parametrization matches a real
run on the primary device, "cpu") gives exactly the names a grading run reports.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from grader import paths
from grader.registry import Exercise

PRIMARY_DEVICE = "cpu"
# Code every check module may call, so its verdicts depend on it too.
SHARED_CHECK_CODE = (paths.CHECKS_DIR / "toolkit.py", paths.SANDBOX_INSIDE_DIR / "probekit.py")


@dataclass(frozen=True)
class CheckInfo:
    name: str  # as a report names it, e.g. "output_shape_for_any_batch_size[cpu]"
    points: float
    doc: str  # first line of the check's docstring, or a readable form of its name

    @property
    def title(self) -> str:
        return self.name.split("[")[0].replace("_", " ")


class _Collector:
    def __init__(self):
        self.items = []

    def pytest_collection_modifyitems(self, items):
        self.items = list(items)


@functools.cache
def checks(exercise: Exercise) -> tuple[CheckInfo, ...]:
    """The exercise's checks in file order; only those that carry points on the primary device."""
    import pytest

    from grader.plugin import GraderPlugin, RunContext

    module = paths.CHECKS_DIR / f"{exercise.checks_module}.py"
    plugin = GraderPlugin(RunContext(exercise, None, 0, [PRIMARY_DEVICE]))
    collector = _Collector()
    args = [
        str(module), "--collect-only", "-p", "no:cacheprovider", "-p", "no:terminal",
        "-p", "no:doctest", "-p", "no:junitxml", "-p", "no:pastebin", "-p", "no:stepwise",
        "-p", "no:nose", "-p", "no:legacypath", "-p", "no:faulthandler",
        "--disable-plugin-autoload", "--import-mode=importlib", "-W", "ignore",
        "-c", str(module.parent / "pytest.ini"), "--rootdir", str(module.parent),
    ]
    code = pytest.main(args, plugins=[plugin, collector])
    if code not in (0, 5) or not collector.items:
        raise RuntimeError(f"could not collect the hidden checks of {exercise.id} (pytest exit code {int(code)})")
    found: list[CheckInfo] = []
    for item in collector.items:
        marker = item.get_closest_marker("points")
        points = float(marker.args[0]) if marker else 0.0
        if points <= 0:
            continue
        doc = (getattr(item, "function", None).__doc__ or "").strip().splitlines()
        name = GraderPlugin._check_name(item)
        found.append(CheckInfo(name, points, doc[0] if doc else name.split("[")[0].replace("_", " ")))
    total = sum(c.points for c in found)
    if abs(total - exercise.points) > 1e-9:
        raise RuntimeError(f"{exercise.id}: its checks carry {total:g} points, the registry says {exercise.points}")
    return tuple(found)


def fingerprint(exercise: Exercise) -> str:
    """A hash of everything that decides a verdict: the checks and the code they share, the
    reference, other exercises' solutions the checks read, the points.

    A stored grade whose fingerprint differs is stale and gets re-graded.
    """
    settings = f"{exercise.id}:{exercise.points}:{exercise.time_limit}:{exercise.memory_limit_mb}"
    digest = hashlib.sha256(settings.encode())
    checks = paths.CHECKS_DIR / f"{exercise.checks_module}.py"
    sources = [checks, *SHARED_CHECK_CODE]
    sources += [paths.SOLUTIONS_DIR / exercise.id / name for name in exercise.files]
    for other in other_solutions(checks):
        sources += sorted((paths.SOLUTIONS_DIR / other).glob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


def other_solutions(checks: Path) -> tuple[str, ...]:
    """The exercises whose solutions a check module reads besides its own: the literal tuple it
    names ``OTHER_SOLUTIONS`` (read without importing the module)."""
    try:
        tree = ast.parse(checks.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "OTHER_SOLUTIONS" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return ()
