"""The one scoring step: the rules that take points back once every check has run."""

from grader.report import CheckResult, Report
from grader.scoring import take_back_unearned, zero_if_unimportable


def test_no_points_for_a_module_that_cannot_be_imported_even_from_checks_that_only_read_source():
    source_scan = CheckResult("no_banned_calls", True, 2.0, 2.0, "", "passed")
    ran = CheckResult("output_shape", False, 0.0, 3.0, "your code: SyntaxError: invalid syntax (net.py, line 3)",
                      "failed")
    report = Report("exercise-04", 1, "cpu", "test", [source_scan, ran])
    zero_if_unimportable(report.tests, lambda: "SyntaxError: invalid syntax (net.py, line 3)")
    assert (source_scan.passed, source_scan.points, source_scan.status) == (False, 0.0, "failed")
    assert source_scan.message == "your code: SyntaxError: invalid syntax (net.py, line 3)"
    assert ran.message == "your code: SyntaxError: invalid syntax (net.py, line 3)" and report.score == 0


def test_an_importable_module_keeps_its_points():
    scan = CheckResult("no_banned_calls", True, 2.0, 2.0, "", "passed")
    zero_if_unimportable([scan], lambda: None)
    assert scan.passed and scan.points == 2.0


def test_an_import_failure_is_not_asked_for_when_nothing_passed():
    failed = CheckResult("output_shape", False, 0.0, 3.0, "boom", "failed")

    def never():
        raise AssertionError("asked")

    zero_if_unimportable([failed], never)
    assert failed.message == "boom"


def test_a_requirement_unmet_on_one_device_takes_the_points_back_and_chains():
    runs_cpu = CheckResult("runs[cpu]", True, 3.0, 3.0, "", "passed")
    runs_cuda = CheckResult("runs[cuda]", False, 0.0, 0.0, "boom", "failed")
    guard = CheckResult("no_banned_call", True, 2.0, 2.0, "", "passed")
    budget = CheckResult("budget", True, 1.0, 1.0, "", "passed")
    take_back_unearned([runs_cpu, runs_cuda, guard, budget], {"no_banned_call": ["runs"], "budget": ["no_banned_call"]})
    assert (guard.points, budget.points) == (0.0, 0.0)
    assert guard.message.startswith("not scored until runs passes")
    assert budget.message.startswith("not scored until no_banned_call passes")
