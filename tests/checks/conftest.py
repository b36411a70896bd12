"""Each exercise's reference and untouched stub, graded once per test session.

The parametrised tests in test_references.py and the exercise-specific ones in
test_exercise_NN.py read the same reports, so no stub or reference is graded twice.
"""

from __future__ import annotations

import shutil

import pytest

from grader import paths
from grader.registry import load_registry
from grader.report import Report

SEED = 1234  # the seed grade_files uses unless told otherwise
SOURCES = {"reference": paths.SOLUTIONS_DIR, "stub": paths.EXERCISES_DIR}


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(exercise_id, "reference" | "stub") -> the Report of that untouched file set (seed 1234)."""
    from grader.runner import grade

    reports: dict[tuple[str, str], Report] = {}

    def get(exercise_id: str, which: str) -> Report:
        if (exercise_id, which) not in reports:
            folder = tmp_path_factory.mktemp(f"{which}-") / exercise_id
            folder.mkdir()
            for item in (SOURCES[which] / exercise_id).glob("*.py"):
                shutil.copy(item, folder / item.name)
            reports[exercise_id, which] = grade(load_registry().get(exercise_id), folder, seed=SEED)
        return reports[exercise_id, which]

    return get
