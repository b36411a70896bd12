"""What an nbgrader test cell calls: grade the saved module once, then assert one check.

Under ``nbgrader autograde`` every test cell of an exercise calls
:func:`expect_check`. The first call reads the solution cells' code out of the
notebook file (matched by grade_id, the same extraction ``grader batch`` uses),
writes it into a fresh folder and runs ``grader check --json`` on it in a
subprocess: the learner's module is imported only inside the kit's sandbox,
never in this kernel. The report is cached for the kernel's life, keyed by the
code, so the other test cells cost nothing.

A failed check raises :class:`CheckFailed` (an ``AssertionError``) whose text is
the check's one-line message, which nbgrader records as the cell's error and
scores 0; a passed check prints one line to stdout (never stderr: nbgrader
scores a cell that wrote to stderr as failed).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from grader.expect import CheckFailed
from grader.workspace import scratch_exercise

_reports: dict[str, dict] = {}
BOOT_ALLOWANCE_S = 120.0


def _grade(exercise: str, contents: dict[str, str], *, seed: int, time_limit: float | None,
           device: str, lang: str = "en") -> dict:
    with scratch_exercise(exercise, contents, prefix="grader-cell-") as folder:
        # --no-server: grading a class never depends on (or starts) a learner's grader server
        argv = [sys.executable, "-m", "grader", "check", exercise, "--workspace", str(folder.parent), "--json",
                "--seed", str(seed), "--device", device, "--no-server"]
        if time_limit:
            argv += ["--time-limit", str(time_limit)]
        if lang != "en":  # the English report, with the class's language beside it ("translated")
            argv += ["--lang", lang]
        # the engine bounds every call of the learner's code; this only guards the guard
        budget = BOOT_ALLOWANCE_S + 8 * (time_limit or 30.0) * 4
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=budget, env=env,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"error": f"the grader did not finish within {budget:g} s", "tests": []}
    try:
        report = json.loads(done.stdout)
        if not isinstance(report, dict):
            raise ValueError("not an object")
        return report
    except ValueError:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return {"error": f"the grader could not run: {why}", "tests": []}


def _saved_code(notebook: str, solutions: dict[str, str]) -> dict[str, str | None]:
    """The solution cells' code, read from the notebook file as nbgrader left it on disk.

    Under ``nbgrader autograde`` the kernel runs in the folder of the sanitized
    submission, so this is exactly what ``grader batch`` extracts. Elsewhere
    (the notebook renamed, or run by hand) the modules ``%%writefile`` saved are used.
    """
    from grader.course.notebooks import GradingPlan, UnreadableNotebook, extract_solutions, read_notebook

    path = Path(notebook)
    if path.is_file():
        try:
            nb = read_notebook(path.read_bytes())
        except UnreadableNotebook:
            nb = None
        if nb is not None:
            plan = GradingPlan(exercise="", seed=0, time_limit=None, device="cpu", solutions=dict(solutions))
            return extract_solutions(nb, plan)
    found: dict[str, str | None] = {}
    for name in solutions.values():
        saved = Path(name)
        found[name] = saved.read_text(encoding="utf-8", errors="replace") if saved.is_file() else None
    return found


def report_for(exercise: str, *, notebook: str, solutions: dict[str, str], seed: int,
               time_limit: float | None = None, device: str = "cpu", lang: str = "en") -> dict:
    """The grading report of this notebook's solution cells (cached by their contents)."""
    __tracebackhide__ = True
    contents = _saved_code(notebook, solutions)
    missing = [name for name, text in contents.items() if text is None]
    if missing:
        raise CheckFailed(f"no code for {', '.join(missing)}: its solution cell is missing from {notebook}")
    settings = json.dumps([exercise, seed, time_limit, device, lang, contents], sort_keys=True)
    key = hashlib.sha256(settings.encode()).hexdigest()
    if key not in _reports:
        _reports[key] = _grade(exercise, contents, seed=seed, time_limit=time_limit, device=device, lang=lang)
    return _reports[key]


def expect_check(exercise: str, check: str, *, notebook: str, solutions: dict[str, str], seed: int,
                 time_limit: float | None = None, device: str = "cpu", lang: str = "en") -> None:
    """Print one line when ``check`` passed for this notebook's code; else raise ``CheckFailed`` (its
    message in the class's ``lang``)."""
    __tracebackhide__ = True
    report = report_for(exercise, notebook=notebook, solutions=solutions, seed=seed, time_limit=time_limit,
                        device=device, lang=lang)
    results = {item.get("name"): item for item in report.get("tests", []) if isinstance(item, dict)}
    translated = {item.get("name"): item for item in (report.get("translated") or {}).get("tests", [])
                  if isinstance(item, dict)}
    if check in results and check in translated:
        results[check] = {**results[check], "message": translated[check].get("message")}
    result = results.get(check)
    if result is None:
        reason = report.get("error") or "it was not run"
        raise CheckFailed(f"{check}: {reason}")
    if not result.get("passed"):
        raise CheckFailed(result.get("message") or "failed")
    from grader.course.notebooks import PASSED
    from grader.i18n import gettext_in

    print(gettext_in(lang, PASSED).format(check=check, points=f"{result.get('points', 0):g}"))
