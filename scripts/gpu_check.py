"""The CUDA run, for the day a GPU machine is at hand (``make gpu-check``).

Grades every exercise's reference solution and untouched stub with ``--device cuda``
(so only the CUDA variants of the checks run, inside the same sandbox, which binds
``/dev/nvidia*``), and prints one line per exercise. Exercise 09 trains with nccl,
one GPU per rank: with fewer than two GPUs its checks are skipped, and the line
says so. On a machine without CUDA it says that and exits 0.

Exit status 1 when a reference loses a point on CUDA or a stub earns one.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import torch

from grader import paths
from grader.registry import load_registry
from grader.runner import grade
from grader.workspace import pristine_stub


def grade_stub(exercise, seed: int):
    with tempfile.TemporaryDirectory(prefix="grader-gpu-") as tmp:
        for name in exercise.files:
            (Path(tmp) / name).write_text(pristine_stub(exercise, name), encoding="utf-8")
        return grade(exercise, Path(tmp), seed=seed, device="cuda")


def main(seed: int = 7) -> int:
    if not torch.cuda.is_available():
        print("CUDA is not available on this machine: no GPU check to run (nothing failed).")
        return 0
    gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    print(f"{len(gpus)} GPU(s): {', '.join(gpus)}; torch {torch.__version__}, CUDA {torch.version.cuda}; seed {seed}")
    problems = 0
    for exercise in load_registry():
        start = time.monotonic()
        reference = grade(exercise, paths.SOLUTIONS_DIR / exercise.id, seed=seed, device="cuda")
        stub = grade_stub(exercise, seed)
        ran = [t for t in reference.tests if t.status != "skipped"]
        skipped = [t for t in reference.tests if t.status == "skipped"]
        ok = reference.passed and reference.score == reference.max_score and stub.score == 0
        problems += not ok
        line = (f"{'ok  ' if ok else 'FAIL'} {exercise.id}: reference {reference.score:g}/{reference.max_score:g}, "
                f"stub {stub.score:g}/{stub.max_score:g}, {len(ran)} check(s) on {reference.device}")
        if skipped:
            line += f", {len(skipped)} skipped ({skipped[0].message})"
        print(f"{line} [{time.monotonic() - start:.0f} s]")
        for t in reference.failures:
            print(f"     reference ✗ {t.name}: {t.message}")
    print(f"{problems} exercise(s) failed on CUDA" if problems else "every exercise passed on CUDA")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
