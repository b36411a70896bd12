"""``grader watch``: re-checks when the learner saves, and stops cleanly on Ctrl-C."""

import os
import signal
import subprocess
import sys
import time

import pytest

from grader import paths

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()


def read_until(process, text, timeout=120):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"{text!r} not printed; got:\n{''.join(seen)}")


@pytest.mark.slow
def test_watch_rechecks_on_save(stub_workspace):
    workspace = stub_workspace("exercise-04")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    # -X faulthandler: if watch ever hangs, SIGABRT makes it print every thread's stack (see below)
    # Ctrl-C as in a terminal: a job started with `&` by a script inherits SIGINT ignored, and
    # so would this child; restore the default so that the test does not depend on its launcher.
    process = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "grader", "watch", "exercise-04",
                                "-w", str(workspace)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = read_until(process, "Watching")
        assert "Score 0/10" in first
        time.sleep(0.5)
        (workspace / "exercise-04" / "net.py").write_text(REFERENCE)
        second = read_until(process, "Watching")
        assert "Score 10/10 — all checks passed" in second
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            raise AssertionError("watch ignored Ctrl-C; its threads:\n" + process.communicate(timeout=30)[0]) from None
        assert code == 0
    finally:
        process.kill()


def test_a_missing_exercise_folder_in_chinese_is_one_chinese_line(grader, tmp_path, in_chinese, chinese_error):
    args, env = in_chinese
    folder = tmp_path / "exercise-04"
    missing = grader("watch", "exercise-04", "-w", str(tmp_path), *args, env=env)
    assert chinese_error(missing) == f"错误：{folder} 不存在"
    chinese_error(grader("watch", "exercise-99", "-w", str(tmp_path), *args, env=env), "'exercise-99'")


def test_a_missing_exercise_folder_in_english_is_as_it_always_was(grader, tmp_path):
    result = grader("watch", "exercise-04", "-w", str(tmp_path))
    assert (result.code, result.stderr) == (2, f"error: {tmp_path / 'exercise-04'} does not exist\n")
