"""The pids cgroup that bounds a root grader's sandbox: capped, joined before the sandbox starts, removed."""

import subprocess

import pytest

from grader.sandbox import pids


def cgroups_available() -> bool:
    probe = pids.PidsCgroup.create()
    if probe:
        probe.release()
    return probe is not None


pytestmark = pytest.mark.skipif(not cgroups_available(), reason="not root, or no writable pids cgroup here "
                                                       "(RLIMIT_NPROC bounds the sandbox instead)")


@pytest.fixture
def group():
    made = pids.PidsCgroup.create()
    yield made
    made.release()


def test_cgroup_is_capped_and_joined_before_the_command_runs(group):
    assert (group.path / "pids.max").read_text().strip() == str(pids.MAX_TASKS)
    own = subprocess.run(group.wrap(["cat", "/proc/self/cgroup"]), capture_output=True, text=True, check=True)
    assert f"/{group.path.name}" in own.stdout


def test_release_kills_what_is_left_and_removes_the_cgroup(group):
    sleeper = subprocess.Popen(group.wrap(["sleep", "60"]))
    try:
        for _ in range(100):  # the shell joins, then becomes sleep
            if (group.path / "cgroup.procs").read_text().split():
                break
            subprocess.run(["sleep", "0.05"])
        group.release()
        assert sleeper.wait(timeout=10) == -9
        assert not group.path.exists()
    finally:
        sleeper.kill()


def test_cgroups_of_dead_graders_are_swept(group):
    orphan = group.path.parent / "grader-999999999-0"  # no such process
    orphan.mkdir()
    pids.PidsCgroup.create().release()
    assert not orphan.exists()
