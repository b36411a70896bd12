"""Benchmark: submissions per minute of `grader batch --scheduler local:N`, one exercise (prints figures; not a test).

    .venv/bin/python benchmarks/dask_scaling.py [--submissions 24] [--workers 1,2] [--exercise exercise-04]
                                                [--nodes 10 --cores-per-node 16]

It writes a class of plain ``.py`` submissions (the same mix as batch_vs_nbgrader.py:
references, stubs, references with one line deleted, each distinct), then grades a fresh
copy of it with a local Dask cluster of each size, as an instructor would
(``grader batch ROOT --scheduler local:N``). For each size it prints the end-to-end rate
(cluster start-up included) and the steady rate (first result to last, from the records'
``graded_at``). The rate of a cluster of ``--nodes`` nodes is then *projected* from the
largest local cluster's rate per worker process; it is a projection, not a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_vs_nbgrader import env, variant  # noqa: E402

from grader.registry import load_registry  # noqa: E402


def write_class(root: Path, exercise, count: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    kinds: dict[str, int] = {}
    for index in range(count):
        kind, text = variant(exercise, rng, index)
        folder = root / "submissions" / f"student{index:03d}" / exercise.id
        folder.mkdir(parents=True)
        (folder / exercise.files[0]).write_text(text)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def steady_rate(store: Path) -> tuple[float | None, int]:
    """Submissions per minute between the first and the last recorded result."""
    stamps = sorted(datetime.fromisoformat(json.loads(p.read_text())["graded_at"]) for p in store.glob("*/*.json"))
    span = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0
    return ((len(stamps) - 1) * 60 / span if span > 0 else None), len(stamps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=24)
    parser.add_argument("--workers", default="1,2", help="sizes of the local clusters, comma-separated")
    parser.add_argument("--exercise", default="exercise-04")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--nodes", type=int, default=10, help="nodes of the projected cluster")
    parser.add_argument("--cores-per-node", type=int, default=16, help="worker processes per projected node")
    args = parser.parse_args()

    exercise = load_registry().get(args.exercise)
    base = Path(tempfile.mkdtemp(prefix="dask-scaling-"))
    kinds = write_class(base / "class", exercise, args.submissions, args.seed)
    mix = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"{args.submissions} submissions of {exercise.id} ({mix}); "
          f"{os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    per_worker = None
    for workers in [int(w) for w in args.workers.split(",")]:
        root = base / f"local-{workers}"
        shutil.copytree(base / "class", root)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "grader", "batch", str(root), "--scheduler", f"local:{workers}",
                               "--seed", str(args.seed), "--time-limit", "10", "--no-progress"],
                              capture_output=True, text=True, env=env())
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"grader batch --scheduler local:{workers} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        steady, graded = steady_rate(root / ".grader-batch" / "files")
        steady_text = f"steady {steady:.1f} per minute" if steady else "steady rate: too few results"
        print(f"local:{workers}: {graded} graded in {wall:.1f} s = {graded * 60 / wall:.1f} per minute end to end; "
              f"{steady_text}", flush=True)
        per_worker = (steady or graded * 60 / wall) / workers
    if per_worker:
        workers = args.nodes * args.cores_per_node
        print(f"PROJECTION (not measured): {args.nodes} nodes x {args.cores_per_node} worker processes at this "
              f"machine's steady rate per worker ({per_worker:.1f}/min) = {per_worker * workers:.0f} submissions "
              "per minute, if the client keeps up (it writes every result itself)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
