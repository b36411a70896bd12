"""Progress and hints: a small state file that may be lost without losing work."""

from grader.hints import reveal_next
from grader.progress import Progress
from grader.registry import load_registry


def test_round_trip(tmp_path):
    progress = Progress(tmp_path / "state.json")
    progress.record("exercise-04", passed=True, score=10, max_score=10, seed=3)
    progress.save()
    again = Progress(tmp_path / "state.json")
    assert again.get("exercise-04").status == "passed" and again.get("exercise-04").seed == 3
    assert again.get("exercise-05").status == "not tried"


def test_hints_advance_and_stop_at_the_last(tmp_path):
    exercise = load_registry().get("exercise-04")
    progress = Progress(tmp_path / "state.json")
    shown = [reveal_next(exercise, progress).number for _ in range(len(exercise.hints) + 2)]
    assert shown == list(range(1, len(exercise.hints) + 1)) + [len(exercise.hints)] * 2
    assert reveal_next(exercise, progress, repeat_last=False) is None
