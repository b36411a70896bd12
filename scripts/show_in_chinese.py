"""Grade exercises' untouched stubs and print every check's message in Chinese (``grader.i18n.localized``).

    python scripts/show_in_chinese.py exercise-04 exercise-06

What a view (the terminal, the HTML report) will show once it calls :func:`grader.i18n.localized`;
the check's test id is printed too, as ``--json`` and instructors see it.
"""

from __future__ import annotations

import sys

from grader import paths
from grader.i18n import localized
from grader.registry import load_registry
from grader.runner import grade


def main(exercises: list[str]) -> None:
    registry = load_registry()
    for exercise_id in exercises or ["exercise-04", "exercise-06"]:
        exercise = registry.get(exercise_id)
        report = grade(exercise, paths.EXERCISES_DIR / exercise.id, seed=1, device="cpu")
        chinese = localized(report, "zh")
        print(f"== {exercise.id} ({chinese.score}/{chinese.max_score})")
        for original, shown in zip(report.tests, chinese.tests):
            print(f"- {shown.name}  [{original.name}]")
            if shown.message:
                print(f"    {shown.message}")


if __name__ == "__main__":
    main(sys.argv[1:])
