"""Every exercise of the registry: the reference earns exactly the registry's points, the
untouched stub earns nothing, and every check the stub fails says why in one line."""

import pytest

from grader.registry import load_registry

EXERCISES = [exercise.id for exercise in load_registry()]


def explained(report) -> list[str]:
    return [f"{t.name}: {t.message}" for t in report.failures] + [report.error or ""]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_reference_scores_full_marks(graded, registry, exercise_id):
    report = graded(exercise_id, "reference")
    assert report.passed and report.error is None, explained(report)
    assert report.score == report.max_score == registry.get(exercise_id).points
    assert all(t.status == "passed" and t.points == t.max_points for t in report.tests)
    assert len(report.by_check()) >= 5


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_untouched_stub_fails_every_check_with_a_reason(graded, exercise_id):
    report = graded(exercise_id, "stub")
    assert not report.passed and report.score == 0 and report.max_score > 0
    assert report.error is None, report.error
    for check in report.tests:
        assert not check.passed and check.points == 0, check.name
        assert check.message and "\n" not in check.message, check.name
        assert "Traceback" not in check.message, check.name
