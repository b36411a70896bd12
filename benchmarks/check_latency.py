"""How long does `grader check` take next to a bare `import torch`?

Runs the two commands alternately (so machine load affects both alike) and
prints each one's median wall time and their ratio. The target is <= 1.3.

    python benchmarks/check_latency.py [--runs 7] [--exercise exercise-04]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--exercise", default="exercise-04")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(KIT / "solutions" / args.exercise, Path(tmp) / args.exercise)
        check = [sys.executable, "-m", "grader", "check", args.exercise, "--workspace", tmp, "--seed", "1"]
        torch_only = [sys.executable, "-c", "import torch"]
        timed(check), timed(torch_only)  # warm the page cache
        checks, imports = [], []
        for _ in range(args.runs):
            checks.append(timed(check))
            imports.append(timed(torch_only))
    check_median, import_median = statistics.median(checks), statistics.median(imports)
    print(f"grader check {args.exercise} (reference): median {check_median:.2f} s over {args.runs} runs "
          f"(min {min(checks):.2f}, max {max(checks):.2f})")
    print(f"python -c 'import torch':            median {import_median:.2f} s "
          f"(min {min(imports):.2f}, max {max(imports):.2f})")
    print(f"ratio: {check_median / import_median:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
