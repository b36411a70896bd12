"""A grading report: the score, the verdict and the JSON that scripts, the course and the site read."""

import json

import pytest

from grader.report import CheckResult, Report, score_of

CONTRACT = ["exercise", "score", "max_score", "passed", "seed", "device", "isolation", "error", "tests", "output"]
CHECK_KEYS = ["name", "passed", "points", "max_points", "message", "status"]


def report_of(*tests: CheckResult, error: str | None = None) -> Report:
    return Report("exercise-04", 7, "cpu", "bubblewrap sandbox", list(tests), output="hello\n", error=error)


def passed(name: str, points: float) -> CheckResult:
    return CheckResult(name, True, points, points, "", "passed", 0.25, 0.5)


def failed(name: str, points: float, message: str = "logits has shape (3, 9), expected (3, 10)") -> CheckResult:
    return CheckResult(name, False, 0.0, points, message, "failed", 0.1, 0.2)


def skipped(name: str, points: float) -> CheckResult:
    return CheckResult(name, False, 0.0, points, "needs CUDA", "skipped")


def test_score_adds_the_points_earned_and_max_score_those_that_ran():
    report = report_of(passed("a[cpu]", 2), failed("b[cpu]", 3), skipped("c[cuda]", 4), passed("d[cpu]", 0.1),
                       passed("e[cpu]", 0.2))
    assert report.score == 2.3  # rounded: never 2.3000000000000003 in a learner's report
    assert report.max_score == 5.3  # a skipped check is not counted against the learner


def test_passed_needs_every_check_that_ran_and_no_grading_error():
    assert report_of(passed("a", 2), skipped("b", 1)).passed
    assert not report_of(passed("a", 2), failed("b", 1)).passed
    assert not report_of(passed("a", 2), error="the hidden checks could not be run").passed
    assert not report_of().passed  # no check ran: nothing was shown to work
    assert not report_of(skipped("a", 1)).passed


def test_by_check_drops_the_device_and_keeps_the_primary_devices_result():
    cpu, cuda = passed("net[cpu]", 2), failed("net[cuda]", 0)
    checks = report_of(cpu, cuda, failed("plain", 1)).by_check()
    assert list(checks) == ["net", "plain"] and checks["net"] is cpu


def test_failures_lists_only_the_failed_checks_in_order():
    report = report_of(failed("a", 1), passed("b", 1), skipped("c", 1), failed("d", 1))
    assert [t.name for t in report.failures] == ["a", "d"]


def test_json_has_the_contracts_keys_in_a_stable_order_and_reads_back():
    report = report_of(passed("a[cpu]", 2), failed("b[cpu]", 3, "形状不对 — shape (3, 9)"))
    text = report.to_json()
    data = json.loads(text)
    assert list(data) == CONTRACT
    assert [list(t) for t in data["tests"]] == [CHECK_KEYS, CHECK_KEYS]
    assert (data["score"], data["max_score"], data["passed"], data["seed"]) == (2.0, 5.0, False, 7)
    assert data["tests"][1]["message"] == "形状不对 — shape (3, 9)" and "形状" in text  # not \\u-escaped
    assert text == report.to_json()  # the same report, byte for byte the same JSON


@pytest.mark.parametrize("timings", [False, True])
def test_timings_only_on_request(timings):
    data = report_of(passed("a", 2)).to_dict(timings=timings)
    assert ("duration_s" in data["tests"][0]) is timings and ("cpu_s" in data["tests"][0]) is timings
    if timings:
        assert (data["tests"][0]["duration_s"], data["tests"][0]["cpu_s"]) == (0.25, 0.5)


def test_score_of_a_stored_report_is_the_score_of_the_report():
    report = report_of(passed("a", 0.1), passed("b", 0.2), failed("c", 3), skipped("d", 1))
    assert score_of(json.loads(report.to_json())) == report.score == 0.3
    assert score_of({"error": "not graded yet", "tests": []}) == 0
    assert score_of({}) == 0


def test_json_in_another_language_keeps_the_english_contract_and_adds_a_translation():
    from grader.i18n import t

    message = t("your code: {error}", error="RuntimeError: boom")
    report = Report("exercise-04", 1, "cpu", "none", [CheckResult("output_shape[cpu]", False, 0.0, 2.0, message,
                                                                   "failed")])
    english, chinese = report.to_dict(), report.to_dict(translated="zh")
    assert "translated" not in english and {k: v for k, v in chinese.items() if k != "translated"} == english
    shown = chinese["translated"]["tests"][0]
    assert shown["name"] == "output_shape[cpu]" and shown["message"] == message.render("zh") != str(message)
    assert report.to_dict(translated="en") == english
