"""How long does `grader check` take next to a bare `import torch`, cold, and through the grader server?

Runs, alternately in each round (so machine load affects all alike): a bare `import torch`;
a cold `grader check --no-server`; the first check with no server running (graded locally,
it starts the server once done); and a warm check through that server. Prints each one's
median wall time and its ratio to `import torch`. Targets: cold <= 1.3x, warm <= 0.5x, the
first check with a server start <= the cold check.

`--every-exercise` then checks every exercise's reference and stub through the warm server
and with `--no-server`, and prints each warm time and whether the scores agree.

The server runs in a private runtime folder (GRADER_RUNTIME_DIR), and is stopped at the end.

    python benchmarks/check_latency.py [--runs 7] [--exercise exercise-04] [--every-exercise]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
GRADER = [sys.executable, "-m", "grader"]


def timed(argv: list[str], env: dict) -> tuple[float, str]:
    """Wall seconds of one command, and its stdout."""
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, cwd=KIT, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-500:]}")
    return elapsed, done.stdout


def server(command: str, env: dict) -> str:
    return subprocess.run(GRADER + ["server", command], capture_output=True, text=True, env=env, cwd=KIT).stdout


def wait_serving(env: dict, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while "running: pid" not in server("status", env):
        if time.monotonic() > deadline:
            raise SystemExit("the grader server did not start")
        time.sleep(0.2)


def line(label: str, values: list[float], base: float | None = None, target: str = "") -> str:
    median = statistics.median(values)
    ratio = f"  = {median / base:.2f}x import torch{target}" if base else ""
    return f"{label:<44} median {median:5.2f} s (min {min(values):.2f}, max {max(values):.2f}){ratio}"


def latency(args, workspace: Path, env: dict) -> None:
    check = GRADER + ["check", args.exercise, "--workspace", str(workspace), "--seed", "1"]
    torch_only = [sys.executable, "-c", "import torch"]
    timed(check + ["--no-server"], env), timed(torch_only, env)  # warm the page cache
    times: dict[str, list[float]] = {"import": [], "cold": [], "first": [], "warm": []}
    for _ in range(args.runs):
        times["import"].append(timed(torch_only, env)[0])
        times["cold"].append(timed(check + ["--no-server"], env)[0])
        server("stop", env)
        times["first"].append(timed(check, env)[0])
        wait_serving(env)
        times["warm"].append(timed(check, env)[0])
    base = statistics.median(times["import"])
    print(f"{args.exercise} on its reference, {args.runs} rounds:")
    print(line("python -c 'import torch'", times["import"]))
    print(line("grader check --no-server (cold)", times["cold"], base, ", target <= 1.3"))
    print(line("grader check, first (starts the server)", times["first"], base,
               f", target <= cold ({statistics.median(times['cold']):.2f} s)"))
    print(line("grader check, warm (through the server)", times["warm"], base, ", target <= 0.5"))


def every_exercise(env: dict, root: Path) -> None:
    exercises = sorted(p.name for p in (KIT / "solutions").iterdir() if p.name.startswith("exercise-"))
    wait_serving(env)
    print("\nevery exercise: warm time through the server; scores through the server vs --no-server")
    for exercise in exercises:
        row = [f"{exercise}:"]
        for kind, source in (("reference", KIT / "solutions" / exercise), ("stub", KIT / "exercises" / exercise)):
            workspace = root / kind
            shutil.rmtree(workspace, ignore_errors=True)
            shutil.copytree(source, workspace / exercise)
            check = GRADER + ["check", exercise, "--workspace", str(workspace), "--seed", "1", "--json"]
            warm, served = timed(check, env)
            _, local = timed(check + ["--no-server"], env)
            same = "same" if served == local else "DIFFERENT"
            row.append(f"{kind} warm {warm:5.2f} s, score {json.loads(served)['score']:g} ({same} JSON)")
        print("  ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--exercise", default="exercise-04")
    parser.add_argument("--every-exercise", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-", dir="/tmp") as tmp:
        env = {**os.environ, "GRADER_NO_SERVER": "", "GRADER_RUNTIME_DIR": str(Path(tmp) / "run")}
        workspace = Path(tmp) / "workspace"
        shutil.copytree(KIT / "solutions" / args.exercise, workspace / args.exercise)
        try:
            latency(args, workspace, env)
            if args.every_exercise:
                every_exercise(env, Path(tmp))
        finally:
            server("stop", env)


if __name__ == "__main__":
    main()
