"""Benchmark: `grader batch` alone, per submission (prints figures; not a test).

    .venv/bin/python benchmarks/batch_per_submission.py

A plain class of 30 students x exercises 01, 04 and 06 (each submission the reference, the stub or
the reference with one line deleted, seed 11, as benchmarks/batch_vs_nbgrader.py makes them), graded
by `grader batch` with its default jobs. The minute batch_vs_nbgrader.py spends in nbgrader first is
not needed to compare two versions of the batch: run this with PYTHONPATH set to each checkout.
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import paths
from grader.registry import load_registry

reg = load_registry()
rng = random.Random(11)
root = Path(tempfile.mkdtemp(prefix="batch-bench-"))
for s in range(30):
    for ex in ("exercise-01", "exercise-04", "exercise-06"):
        e = reg.get(ex)
        folder = root / "submissions" / f"s{s:02d}" / ex
        folder.mkdir(parents=True)
        for f in e.files:
            ref = (paths.SOLUTIONS_DIR / ex / f).read_text()
            kind = rng.choice(["reference", "reference", "stub", "deleted"])
            text = (paths.EXERCISES_DIR / ex / f).read_text() if kind == "stub" else ref
            if kind == "deleted":
                lines = text.splitlines()
                del lines[rng.randrange(len(lines))]
                text = "\n".join(lines)
            (folder / f).write_text(text + f"\n# student {s}\n")
t = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "grader", "batch", str(root), "--seed", "11", "--no-progress"],
                      capture_output=True, text=True, env={**os.environ, "GRADER_LANG": "en"})
wall = time.perf_counter() - t
shutil.rmtree(root, ignore_errors=True)
if done.returncode != 0:
    sys.exit(f"grader batch failed: {done.stderr[-500:]}")
print(f"grader batch: {wall:.1f} s for 90 submissions = {wall / 90:.3f} s per submission")
