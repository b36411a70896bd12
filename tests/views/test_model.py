"""The view model: one decision of what a report says, shared by the terminal and the notebook."""

from grader.hints import Hint
from grader.registry import load_registry
from grader.report import CheckResult, Report
from grader.views import notebook
from grader.views.model import ReportView

EXERCISE = load_registry().get("exercise-04")


def failed_report() -> Report:
    return Report("exercise-04", 42, "cpu", "bubblewrap: no network, read-only system, kit files hidden", [
        CheckResult("output_shape[cpu]", True, 2.0, 2.0, ""),
        CheckResult("raw_logits[cpu]", False, 0.0, 1.0, "all 320 logits are >= 0", "failed"),
        CheckResult("cuda_only", False, 0.0, 1.0, "needs CUDA", "skipped"),
    ])


def test_the_view_says_score_verdict_rows_and_how_to_rerun_in_the_learners_language():
    view = ReportView.of(failed_report(), EXERCISE, Hint(1, 3, "flatten", "zh"), "zh")
    assert view.score == "得分 2/3 — 1 项检查未通过"
    assert [(r.mark, r.points) for r in view.rows] == [("✓", "2/2"), ("✗", "0/1"), ("–", "")]
    assert view.rerun == "用同样的输入重新运行：grader check exercise-04 --seed 42"
    assert view.title == EXERCISE.title_in("zh") and view.hint.startswith("提示 1/3")


def test_the_notebook_shows_what_the_view_says():
    view = ReportView.of(failed_report(), EXERCISE, None, "en")
    text = notebook.report_text(failed_report(), EXERCISE, None)
    html = notebook.report_html(failed_report(), EXERCISE, None)
    assert view.score in text and view.score in html
    assert " ✗ raw_logits[cpu]  0/1  all 320 logits are >= 0" in text and "all 320 logits are &gt;= 0" in html
