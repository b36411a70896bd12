"""The pytest plugin hidden checks run under: points, messages, devices, seeds, requirements, and Ctrl-C."""

import textwrap

import pytest

from grader.expect import CheckFailed
from grader.plugin import GraderPlugin, RunContext, derive_seed, one_line, run_pytest
from grader.registry import load_registry
from grader.scoring import settle

EXERCISE = load_registry().get("exercise-04")


def run_checks(tmp_path, source: str, devices=("cpu",)) -> GraderPlugin:
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    points(n): p\n    requires(*c): r\n")
    module = tmp_path / f"checks_{tmp_path.name}.py"  # a module name of its own: pytest caches modules by name
    module.write_text(textwrap.dedent(source))
    plugin = GraderPlugin(RunContext(EXERCISE, None, 7, list(devices)))
    run_pytest(module, plugin)
    settle(list(plugin.results.values()), plugin.requirements, lambda: None)
    return plugin


@pytest.mark.parametrize("guarded, points, message", [
    ("raise AssertionError('NotImplementedError: TODO')", 0.0, "not scored until runs passes"),
    ("pass", 2.0, ""),
])
def test_a_guard_scores_only_when_what_it_guards_passes(tmp_path, guarded, points, message):
    plugin = run_checks(tmp_path, f"""
        import pytest

        @pytest.mark.points(2)
        @pytest.mark.requires("runs")
        def test_no_banned_call():
            pass

        @pytest.mark.points(3)
        def test_runs():
            {guarded}
    """)
    guard = plugin.results["no_banned_call"]
    assert (guard.points, guard.max_points) == (points, 2.0)
    assert guard.message.startswith(message)


def test_ctrl_c_during_the_checks_is_not_swallowed(tmp_path):
    """pytest would end the session quietly; grader watch must still stop on Ctrl-C."""
    with pytest.raises(KeyboardInterrupt):
        run_checks(tmp_path, """
            def test_interrupted():
                raise KeyboardInterrupt
        """)


def test_each_check_becomes_one_result_with_its_points_and_one_line_reason(tmp_path):
    plugin = run_checks(tmp_path, """
        import pytest
        from grader.expect import fail
        from grader.sandbox.errors import LearnerRaised

        @pytest.mark.points(2)
        def test_passes():
            pass

        @pytest.mark.points(3)
        def test_fails_with_a_verdict():
            fail("logits has shape (3, 9), expected (3, 10)", "use x.flatten(1)")

        @pytest.mark.points(1)
        def test_learner_raised():
            raise LearnerRaised("ValueError: bad batch", "net.py:9 in forward")

        @pytest.mark.points(1)
        def test_check_itself_broken():
            {}["missing"]

        @pytest.mark.points(4)
        def test_skipped():
            pytest.skip("needs CUDA")
    """)
    results = {name: (r.passed, r.points, r.max_points, r.status, r.message) for name, r in plugin.results.items()}
    assert results == {
        "passes": (True, 2.0, 2.0, "passed", ""),
        "fails_with_a_verdict": (False, 0.0, 3.0, "failed",
                                 "logits has shape (3, 9), expected (3, 10) — use x.flatten(1)"),
        "learner_raised": (False, 0.0, 1.0, "failed", "your code: ValueError: bad batch [net.py:9 in forward]"),
        "check_itself_broken": (False, 0.0, 1.0, "failed", "check error (KeyError: 'missing')"),
        "skipped": (False, 0.0, 4.0, "skipped", "needs CUDA"),
    }


def test_only_the_primary_device_earns_points_but_every_device_must_pass(tmp_path):
    plugin = run_checks(tmp_path, """
        import pytest

        @pytest.mark.points(2)
        def test_runs_on(device):
            assert device == "cpu", "wrong device"
    """, devices=("cpu", "cuda"))
    cpu, cuda = plugin.results["runs_on[cpu]"], plugin.results["runs_on[cuda]"]
    assert (cpu.passed, cpu.points, cpu.max_points) == (True, 2.0, 2.0)
    assert (cuda.passed, cuda.points, cuda.max_points) == (False, 0.0, 0.0)


def test_requiring_a_check_that_does_not_exist_runs_no_check(tmp_path, capsys):
    """A typo in ``requires`` would silently gate nothing: the module is refused instead."""
    plugin = run_checks(tmp_path, """
        import pytest

        @pytest.mark.requires("runz")
        def test_guard():
            pass

        def test_runs():
            pass
    """)
    assert plugin.results == {}  # grade() then reports that the hidden checks could not be run
    assert "test_guard requires 'runz', which is no check of this module" in capsys.readouterr().err


def test_a_checks_seed_depends_on_the_run_and_the_check_only():
    assert derive_seed(7, "samples_do_not_mix") == derive_seed(7, "samples_do_not_mix")
    assert len({derive_seed(7, "a"), derive_seed(8, "a"), derive_seed(7, "b")}) == 3
    assert 0 <= derive_seed(2**31 - 1, "a") < 2**31


def test_one_line_keeps_only_the_first_line_of_an_unexpected_error():
    assert one_line(CheckFailed("shape mismatch")) == "shape mismatch"
    assert one_line(RuntimeError("first\nsecond")) == "check error (RuntimeError: first)"
