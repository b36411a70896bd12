"""``grader dev check``: every solution full marks, every stub and unimportable module 0, every Chinese
stub graded as its English stub, files match the registry."""

import pytest


@pytest.mark.slow
def test_exercise_06_is_consistent_and_shows_zero_for_no_work(grader):
    result = grader("dev", "check", "exercise-06", "--seed", "3")
    assert result.code == 0, result.stdout
    row = next(line for line in result.stdout.splitlines() if "exercise-06" in line)
    assert row.split("│")[2:6] == [" 10/10    ", " 0/10 ", " 0/10         ", " 0/10    "], row
    assert "1 Chinese stub graded exactly as the English." in result.stdout  # loss.zh.py, as loss.py


def test_unknown_exercise_is_a_usage_error(grader):
    result = grader("dev", "check", "exercise-77")
    assert result.code == 2


def test_whole_course_files_agree_with_the_registry_in_both_editions(registry):
    """What `grader dev check` examines before grading: no orphan, nothing missing (Chinese pages included)."""
    from devtools import editions, kit_files

    assert kit_files.problems(registry) == []
    assert editions.sync_problems(registry=registry) == []
