"""``grader dev check``: every solution full marks, every stub less, files match the registry."""


def test_exercise_04_is_consistent(grader):
    result = grader("dev", "check", "exercise-04", "--seed", "3")
    assert result.code == 0, result.stdout
    assert "exercise-04" in result.stdout and "10/10" in result.stdout


def test_unknown_exercise_is_a_usage_error(grader):
    result = grader("dev", "check", "exercise-77")
    assert result.code == 2
