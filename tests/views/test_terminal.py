"""What a learner reads after ``grader check``: a ✓/✗ line per check, the score, the hint, the way back."""

import pytest

from grader.hints import Hint
from grader.registry import load_registry
from grader.report import CheckResult, Report
from grader.views import terminal

EXERCISE = load_registry().get("exercise-04")
SHAPE = "logits has shape (3, 9), expected (3, 10) — use x.flatten(1)"


def report_of(*tests: CheckResult, output: str = "", error: str | None = None) -> Report:
    return Report("exercise-04", 7, "cpu", "bubblewrap sandbox", list(tests), output=output, error=error)


PASSED = CheckResult("returns_raw_logits[cpu]", True, 2.0, 2.0, "", "passed")
FAILED = CheckResult("output_shape_for_any_batch_size[cpu]", False, 0.0, 3.0, SHAPE, "failed")
SKIPPED = CheckResult("runs_on_cuda[cuda]", False, 0.0, 1.0, "CUDA is not available", "skipped")


def shown(capsys, report: Report, hint: Hint | None = None, *, show_output=False, lang="en") -> list[str]:
    terminal.check_report(report, EXERCISE, hint, show_output=show_output, lang=lang)
    return capsys.readouterr().out.splitlines()


def test_one_line_per_check_with_its_mark_points_and_reason(capsys):
    lines = shown(capsys, report_of(PASSED, FAILED, SKIPPED))
    assert lines[0].startswith(f"exercise-04 {EXERCISE.title}") and "seed 7 · cpu" in lines[0]
    assert " ✓ returns_raw_logits[cpu]  2/2" in lines
    assert f" ✗ output_shape_for_any_batch_size[cpu]  0/3  {SHAPE}" in lines
    assert " – runs_on_cuda[cuda]  CUDA is not available" in lines  # a skipped check shows no points
    assert "Score 2/5 — 1 check(s) failed" in lines


def test_a_failed_run_shows_the_hint_and_the_command_that_reproduces_it(capsys):
    hint = Hint(1, 3, EXERCISE.hints[0])
    lines = shown(capsys, report_of(FAILED), hint)
    assert f"Hint 1/3: {EXERCISE.hints[0]}" in "\n".join(lines)
    assert lines[-1] == "Re-run with the same inputs: grader check exercise-04 --seed 7"


def test_a_passed_run_says_so_and_asks_for_nothing_more(capsys):
    lines = shown(capsys, report_of(PASSED))
    assert lines[-1] == "Score 2/2 — all checks passed"


def test_a_grading_error_is_shown_in_one_line(capsys):
    lines = shown(capsys, report_of(error="missing net.py in /w/exercise-04"))
    assert "could not grade: missing net.py in /w/exercise-04" in lines
    assert not any("Traceback" in line for line in lines)


@pytest.mark.parametrize("show_output", [False, True])
def test_the_learners_output_is_counted_or_shown_first_lines_first(capsys, show_output):
    printed = "".join(f"line {i}\n" for i in range(20))
    text = "\n".join(shown(capsys, report_of(PASSED, output=printed), show_output=show_output))
    if show_output:
        assert "Your code printed:" in text and "line 14" in text and "line 15" not in text
        assert "[... 5 more lines]" in text
    else:
        assert "line 0" not in text
        assert "Your code printed 20 line(s); add --show-output to see them." in text


def test_headings_in_chinese_and_the_checks_own_messages_untranslated(capsys):
    text = "\n".join(shown(capsys, report_of(PASSED, FAILED), Hint(1, 3, "提示", "zh"), lang="zh"))
    assert "得分 2/5 — 1 项检查未通过" in text and "提示 1/3" in text
    assert SHAPE in text and "Score" not in text


def test_the_exercise_table_lists_status_and_points(capsys):
    second = load_registry().get("exercise-05")
    terminal.exercise_table([(EXERCISE, "passed", "10/10"), (second, "not tried", "")], 1, 10)
    text = capsys.readouterr().out
    assert "exercise-04" in text and EXERCISE.title in text and "10/10" in text
    assert "not tried" in text and "Progress: 1/10 exercises passed" in text
