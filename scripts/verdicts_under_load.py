"""Same seed, same report, however busy the machine: grade every exercise's reference
solution and untouched stub once on a quiet machine, then again N times while
busy-loop processes keep every core occupied, and compare the ``--json`` reports
byte for byte (timings left out, as ``grader check --json`` leaves them out).

    python scripts/verdicts_under_load.py [--runs 5] [--busy 2] [--seed 7] [EXERCISE ...]

Prints one line per exercise and variant, with the slowest check's CPU time (what
the time limit counts) against the exercise's limit, and exits 1 when any report
differed, any reference check used more than half its limit under load, a reference
lost a point or a stub earned one. CI runs
it (``make test-load``) so that a verdict that depends on load fails CI, not a student.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import paths
from grader.registry import load_registry
from grader.runner import grade
from grader.workspace import pristine_stub

MARGIN = 0.5  # a reference check may use at most this share of its time limit


def grade_variant(exercise, variant: str, seed: int):
    if variant == "reference":
        return grade(exercise, paths.SOLUTIONS_DIR / exercise.id, seed=seed)
    with tempfile.TemporaryDirectory(prefix="grader-load-") as tmp:
        for name in exercise.files:
            (Path(tmp) / name).write_text(pristine_stub(exercise, name), encoding="utf-8")
        return grade(exercise, Path(tmp), seed=seed)


def busy_loops(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exercises", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", type=int, default=2, help="busy-loop processes during the loaded runs")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    registry = load_registry()
    chosen = [registry.get(e) for e in args.exercises] if args.exercises else list(registry)
    variants = [(ex, v) for ex in chosen for v in ("reference", "stub")]

    quiet_reports = {(ex.id, v): grade_variant(ex, v, args.seed) for ex, v in variants}
    quiet = {key: report.to_json() for key, report in quiet_reports.items()}
    wrong_score = {(ex.id, v) for ex, v in variants
                   if quiet_reports[ex.id, v].score != (ex.points if v == "reference" else 0)}
    identical = {key: 0 for key in quiet}
    slowest = {key: (0.0, "") for key in quiet}
    walls = {key: 0.0 for key in quiet}
    loops = busy_loops(args.busy)
    try:
        for _ in range(args.runs):
            for ex, v in variants:
                start = time.monotonic()
                report = grade_variant(ex, v, args.seed)
                walls[ex.id, v] = max(walls[ex.id, v], time.monotonic() - start)
                identical[ex.id, v] += report.to_json() == quiet[ex.id, v]
                for t in report.tests:
                    if (t.cpu_s or 0.0) > slowest[ex.id, v][0]:
                        slowest[ex.id, v] = (t.cpu_s, t.name)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()

    problems = 0
    print(f"seed {args.seed}, {args.runs} loaded run(s) beside {args.busy} busy loop(s)")
    print(f"{'exercise':12} {'variant':9} {'score':6} {'identical':9}  {'slowest wall':>12}  "
          "slowest check (CPU s / limit)")
    for ex, v in variants:
        cpu, name = slowest[ex.id, v]
        same = identical[ex.id, v]
        over = v == "reference" and cpu > MARGIN * ex.time_limit
        scored = (ex.id, v) in wrong_score
        problems += (same != args.runs) + over + scored
        flag = "".join(f"  <-- {why}" for why, bad in (("differs", same != args.runs), ("too slow", over),
                                                      (f"scored {quiet_reports[ex.id, v].score:g}", scored)) if bad)
        score = f"{quiet_reports[ex.id, v].score:g}/{quiet_reports[ex.id, v].max_score:g}"
        print(f"{ex.id:12} {v:9} {score:6} {same}/{args.runs:<7}  {walls[ex.id, v]:10.1f} s  "
              f"{cpu:6.2f} / {ex.time_limit:g}  {name}{flag}")
    print(f"{problems} problem(s)" if problems else
          "every verdict identical under load; references full marks within their limits; stubs 0")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
