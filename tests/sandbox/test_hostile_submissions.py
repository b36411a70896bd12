"""Bad and hostile learner code is a failed check with a one-line reason, never a crash.

Each submission replaces exercise-04's net.py. The grader must finish, give 0
on the affected checks, explain in one line, and show no traceback of its own.
Every case runs twice: in a worker of its own (``grader check``) and in one
forked from the pre-imported zygote (``grader batch``).
"""

import functools
import os
import socket
import threading

import pytest

from grader import paths
from grader.sandbox import isolation, pids

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()
needs_bwrap = pytest.mark.skipif(isolation.choose().level != "bubblewrap",
                                 reason="hiding files needs bubblewrap (see grader.sandbox.isolation)")


@pytest.fixture(params=["own-process", "zygote"])
def grade_files(request, grade_files):
    if request.param == "zygote":
        return functools.partial(grade_files, workers=request.getfixturevalue("zygote"))
    return grade_files


def assert_all_fail_with(report, *fragments):
    assert not report.passed and report.score == 0
    for check in report.tests:
        assert not check.passed
        assert "\n" not in check.message and "Traceback" not in check.message
        assert any(f in check.message for f in fragments), check.message


def test_syntax_error(grade_files):
    report = grade_files("exercise-04", {"net.py": REFERENCE.replace("def forward(self, x):", "def forward(self, x)")})
    assert_all_fail_with(report, "SyntaxError")
    assert "net.py, line" in report.tests[0].message


def test_no_net_defined(grade_files):
    report = grade_files("exercise-04", {"net.py": "import torch\n"})
    assert_all_fail_with(report, "has no attribute 'Net'")


def test_forward_raises(grade_files):
    source = REFERENCE.replace("return self.fc2(x)", "raise ValueError('not yet')")
    report = grade_files("exercise-04", {"net.py": source})
    assert report.score == 0
    message = next(t.message for t in report.tests if t.name.startswith("output_shape"))
    assert message.startswith("your code: ValueError: not yet [net.py:") and "in forward" in message
    # the parameter count is fine, but a budget earns nothing for a Net that cannot run
    assert report.by_check()["parameter_budget"].message.startswith(
        "not scored until output_shape_for_any_batch_size passes")


def test_infinite_loop_at_import_times_out(grade_files):
    report = grade_files("exercise-04", {"net.py": "while True:\n    pass\n"}, time_limit=2)
    assert_all_fail_with(report, "timed out after 2 s")


def test_sleeping_forever_is_stopped_by_the_wall_clock_backstop(grade_files):
    """Sleeping uses no CPU time: 6 x the limit + 10 s of wall-clock time ends it."""
    report = grade_files("exercise-04", {"net.py": "import time\ntime.sleep(3600)\n"}, time_limit=2)
    assert_all_fail_with(report, "timed out after 22 s of wall-clock time while importing net.py")


def test_infinite_loop_in_forward_costs_one_time_limit(grade_files):
    source = REFERENCE.replace("return self.fc2(x)", "while True:\n            pass")
    report = grade_files("exercise-04", {"net.py": source}, time_limit=2)
    first, *later = report.tests
    assert first.name == "output_shape_for_any_batch_size[cpu]"
    assert first.message == ("your code: timed out after 2 s of CPU time while running net_forward "
                             "(infinite loop?)"), first.message
    for check in later:  # each fails at once, pointing at the first timeout: no second wait
        assert check.message.startswith("your code: not run, since your code already timed out after 2 s"), \
            check.message


def test_huge_allocation_hits_the_memory_limit(grade_files):
    source = "import torch\nhoard = torch.ones(5_000_000_000)  # 20 GB of float32\n" + REFERENCE
    report = grade_files("exercise-04", {"net.py": source})
    assert_all_fail_with(report, "can't allocate memory", "MemoryError")


@pytest.mark.parametrize("exit_call", ["import sys\nsys.exit(0)", "import os\nos._exit(0)"])
def test_exit_at_import(grade_files, exit_call):
    report = grade_files("exercise-04", {"net.py": exit_call + "\n" + REFERENCE})
    assert_all_fail_with(report, "exit(0)", "exited with status 0")


def descendants() -> set[int]:
    """Processes below this test process (from /proc), e.g. workers and whatever they left."""
    parents = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except (OSError, ValueError):
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(isolation.choose().level == "rlimits" and os.geteuid() == 0 and not pids.PidsCgroup.create(),
                    reason="no process bound here: root without a user namespace or a pids cgroup")
def test_fork_bomb_fails_fast_and_leaves_no_process(grade_files):
    before = descendants()
    report = grade_files("exercise-04", {"net.py": "import os\nwhile True:\n    os.fork()\n" + REFERENCE})
    assert_all_fail_with(report, "limit on processes and threads was reached (a fork bomb?)")
    assert descendants() <= before  # nothing outlived its grading (a zygote may have started before)


def test_hundred_megabytes_of_output_is_capped(grade_files):
    source = "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_048_576)\n" + REFERENCE
    report = grade_files("exercise-04", {"net.py": source})
    assert report.passed  # printing is allowed; it just must not flood the report
    assert len(report.output) < 20_000
    assert "104857600 bytes in all" in report.output


def test_patched_comparisons_change_nothing(grade_files):
    source = ("import torch, torch.testing\n"
              "torch.allclose = lambda *a, **k: True\n"
              "torch.equal = lambda *a, **k: True\n"
              "torch.testing.assert_close = lambda *a, **k: None\n") + STUB
    report = grade_files("exercise-04", {"net.py": source})
    assert not report.passed and report.score == 0


@needs_bwrap
def test_reading_the_reference_solution_fails(grade_files):
    target = paths.SOLUTIONS_DIR / "exercise-04" / "net.py"
    source = f"exec(open({str(target)!r}).read())\n"
    report = grade_files("exercise-04", {"net.py": source})
    assert_all_fail_with(report, "FileNotFoundError")


@needs_bwrap
def test_hidden_checks_and_kit_history_are_invisible(grade_files):
    probes = [paths.CHECKS_DIR / "exercise_04.py", paths.KIT_ROOT / ".git", paths.SOLUTIONS_DIR]
    source = "import os\n" + "".join(f"assert not os.path.exists({str(p)!r}), {str(p)!r}\n" for p in probes) + REFERENCE
    assert grade_files("exercise-04", {"net.py": source}).passed


def test_network_is_unreachable(grade_files):
    """Connect to a listener on this machine's loopback: the sandbox must not reach it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        try:
            accepted.append(server.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    source = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)\n" + REFERENCE
    try:
        report = grade_files("exercise-04", {"net.py": source})
    finally:
        thread.join()
        server.close()
    assert not accepted
    if isolation.choose().level != "rlimits":
        assert_all_fail_with(report, "ConnectionRefusedError", "OSError", "Network is unreachable", "timed out")


@needs_bwrap
def test_the_only_writable_places_are_tmp_and_dev_shm(grade_files):
    """What a zygote wipes between submissions is all a submission can write (nothing else to leave)."""
    probe = ("import os\n"
             "for folder in ('/', '/etc', '/opt', '/dev', '/learner', '/usr'):\n"
             "    try:\n"
             "        open(os.path.join(folder, 'planted'), 'w').close()\n"
             "    except OSError:\n"
             "        continue\n"
             "    raise AssertionError(f'{folder} is writable')\n"
             "for folder in ('/tmp', '/dev/shm'):\n"
             "    open(os.path.join(folder, 'planted'), 'w').close()\n") + REFERENCE
    report = grade_files("exercise-04", {"net.py": probe})
    assert report.passed, [t.message for t in report.failures]
