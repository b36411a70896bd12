"""The pytest plugin hidden checks run under: points, requirements, and the user's Ctrl-C."""

import textwrap

import pytest

from grader.plugin import GraderPlugin, RunContext, run_pytest
from grader.registry import load_registry

EXERCISE = load_registry().get("exercise-04")


def run_checks(tmp_path, source: str) -> GraderPlugin:
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    points(n): p\n    requires(*c): r\n")
    module = tmp_path / f"checks_{tmp_path.name}.py"  # a module name of its own: pytest caches modules by name
    module.write_text(textwrap.dedent(source))
    plugin = GraderPlugin(RunContext(EXERCISE, None, 7, ["cpu"]))
    run_pytest(module, plugin)
    plugin.settle()
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
