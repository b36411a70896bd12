"""Benchmark: `nbgrader autograde` against `grader batch` on the same class (prints figures; not a test).

    .venv/bin/python benchmarks/batch_vs_nbgrader.py [--students 30] [--exercises exercise-01,exercise-04,exercise-06]

It builds a course with `grader course build`, releases it with `nbgrader
generate_assignment`, and generates one submission per student and exercise:
the reference solution, the untouched stub, or the reference with one line
deleted (a partly or wholly wrong answer), each with a unique comment so no two
submissions are identical. Two copies of the course (separate gradebooks) are
then graded, one by `nbgrader autograde`, one by `grader batch`, and a third
copy by `grader batch --scheduler local:2` (a local Dask cluster; `--scheduler ''`
skips it); all are exported with `nbgrader export`, the scores compared, and the
wall times and their ratios printed, with the pieces that explain where the time goes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))

from grader import paths  # noqa: E402
from grader.registry import load_registry  # noqa: E402

ASSIGNMENT = "bench"


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def run(argv: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env())
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done


def variant(exercise, rng: random.Random, index: int) -> tuple[str, str]:
    """(kind, module source) for one student's answer; distinct text for every student."""
    name = exercise.files[0]
    reference = (paths.SOLUTIONS_DIR / exercise.id / name).read_text()
    stub = (paths.EXERCISES_DIR / exercise.id / name).read_text()
    roll = rng.random()
    if roll < 0.5:
        kind, text = "reference", reference
    elif roll < 0.7:
        kind, text = "stub", stub
    else:
        lines = reference.splitlines()
        body = [i for i, line in enumerate(lines) if line.startswith("    ") and line.strip()
                and not line.strip().startswith(("def ", "class ", "@", '"', "#"))]
        del lines[rng.choice(body)]
        kind, text = "one line deleted", "\n".join(lines) + "\n"
    return kind, text + f"\n# submission {index}\n"


def exported(course: Path) -> dict[str, float]:
    target = course / "grades.csv"
    run([sys.executable, "-m", "nbgrader", "export", "--to", str(target)], cwd=course)
    with target.open() as handle:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}


def grader_check_cost(exercise) -> float:
    """Wall time of one `grader check` subprocess: what each nbgrader test notebook pays at least."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / exercise.id
        shutil.copytree(paths.SOLUTIONS_DIR / exercise.id, folder)
        elapsed, _ = run([sys.executable, "-m", "grader", "check", exercise.id, "-w", tmp, "--json",
                          "--seed", "1", "--device", "cpu", "--no-server"])  # as the notebook cells run it
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--exercises", default="exercise-01,exercise-04,exercise-06")
    parser.add_argument("--jobs", type=int, default=None, help="grader batch --jobs (default: its own)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--time-limit", default="10", help="seconds per call of student code, both modes")
    parser.add_argument("--keep", type=Path, help="build the courses here and keep them")
    parser.add_argument("--scheduler", default="local:2",
                        help="also grade a third copy with grader batch --scheduler this ('' to skip)")
    args = parser.parse_args()

    registry = load_registry()
    exercises = [registry.get(e) for e in args.exercises.split(",")]
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-"))
    course = base / "nbgrader-course"
    if course.exists():
        shutil.rmtree(course)
    batch_course = base / "batch-course"
    dask_course = base / "dask-course"
    for old in (batch_course, dask_course):
        if old.exists():
            shutil.rmtree(old)
    load_before = os.getloadavg()

    build_argv = [sys.executable, "-m", "grader", "course", "build", str(course), "-a", ASSIGNMENT,
                  "--seed", str(args.seed), "--time-limit", args.time_limit]
    for ex in exercises:
        build_argv += ["-e", ex.id]
    run(build_argv)
    run([sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT], cwd=course)

    rng = random.Random(args.seed)
    kinds: dict[str, dict[str, str]] = {}
    for s in range(args.students):
        student = f"student{s:02d}"
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        kinds[student] = {}
        for ex in exercises:
            nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ex.id}.ipynb", as_version=4)
            kind, text = variant(ex, rng, s)
            kinds[student][ex.id] = kind
            cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
            cell.source = f"%%writefile {ex.files[0]}\n{text}"
            nbformat.write(nb, folder / f"{ex.id}.ipynb")
    shutil.copytree(course, batch_course)
    if args.scheduler:
        shutil.copytree(course, dask_course)
    notebooks = args.students * len(exercises)

    print(f"{args.students} students x {len(exercises)} exercises ({', '.join(e.id for e in exercises)}) = "
          f"{notebooks} notebooks; {os.cpu_count()} cores; load average before: "
          f"{' '.join(f'{x:.2f}' for x in load_before)}", flush=True)

    nb_wall, _ = run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=course)
    print(f"nbgrader autograde: {nb_wall:8.1f} s  ({nb_wall / notebooks:.2f} s per notebook)", flush=True)

    batch_argv = [sys.executable, "-m", "grader", "batch", str(batch_course), ASSIGNMENT, "--no-progress"]
    if args.jobs:
        batch_argv += ["--jobs", str(args.jobs)]
    batch_wall, done = run(batch_argv)
    print(f"grader batch:       {batch_wall:8.1f} s  ({batch_wall / notebooks:.2f} s per notebook)", flush=True)
    print(f"ratio:              {nb_wall / batch_wall:8.1f} x", flush=True)
    if args.scheduler:
        dask_wall, _ = run([sys.executable, "-m", "grader", "batch", str(dask_course), ASSIGNMENT, "--no-progress",
                            "--scheduler", args.scheduler])
        print(f"grader batch --scheduler {args.scheduler}: {dask_wall:8.1f} s  ({dask_wall / notebooks:.2f} s per "
              f"notebook, cluster start-up included); ratio {nb_wall / dask_wall:.1f} x", flush=True)

    nb_scores, batch_scores = exported(course), exported(batch_course)
    agree = [s for s in kinds if nb_scores.get(s) == batch_scores.get(s)]
    print(f"scores agree for {len(agree)}/{len(kinds)} students (all submissions are honest)")
    if args.scheduler:
        dask_scores = exported(dask_course)
        same = [s for s in kinds if dask_scores.get(s) == batch_scores.get(s)]
        print(f"--scheduler {args.scheduler} gives grader batch's scores for {len(same)}/{len(kinds)} students")
    for student in sorted(set(kinds) - set(agree)):
        print(f"  {student}: nbgrader {nb_scores.get(student)}, batch {batch_scores.get(student)}, {kinds[student]}")
    counts: dict[str, int] = {}
    for per in kinds.values():
        for kind in per.values():
            counts[kind] = counts.get(kind, 0) + 1
    print("submissions: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))

    # -- where the time goes -------------------------------------------------------------
    records = [json.loads(p.read_text()) for p in (batch_course / ".grader-batch" / ASSIGNMENT).glob("*/*.json")]
    walls = [r["report"].get("wall_s", 0.0) for r in records if "wall_s" in r["report"]]
    summary = [line for line in done.stdout.splitlines() if line.startswith("graded ")]
    print("\nwhere the time goes")
    if summary:
        print(f"  grader batch says: {summary[-1].strip()}")
    if walls:
        print(f"  batch, one submission inside its grader process: median {statistics.median(walls):.2f} s, "
              f"max {max(walls):.2f} s (sandbox child forked from the zygote, checks, verdicts)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True, env=env())
    print(f"  one fresh `python -c 'import torch'`: {time.perf_counter() - started:.2f} s")
    for ex in exercises:
        print(f"  one `grader check {ex.id}` subprocess (what each nbgrader notebook runs): "
              f"{grader_check_cost(ex):.2f} s")
    print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
