"""``grader check`` through the grader server: same reports, fallbacks, isolation, restarts.

Every test runs its own server in a private runtime folder and stops it (tests/server/conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import time
from pathlib import Path

import pytest

from grader import paths
from grader.sandbox import isolation

pytestmark = pytest.mark.slow

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
SEEKER = (Path(__file__).parent / "learner" / "socket_seeker.py").read_text()
SERVER_LINE = "grader server:"


def started(box, workspace) -> int:
    """A first check (graded locally, it starts the server), then the server's pid once it answers."""
    first = box.grader("check", "exercise-04", "-w", str(workspace), "--seed", "3", "--json")
    assert first.code == 0 and "none running" in first.stderr, first.stderr
    return box.wait_serving()


def stub_beside(stub_workspace, tmp_path) -> Path:
    """A workspace holding the stub, in a folder of its own (make_workspace's is shared)."""
    stub = tmp_path / "stub"
    shutil.copytree(stub_workspace("exercise-04") / "exercise-04", stub / "exercise-04")
    return stub


def test_same_seed_same_json_through_the_server_and_without(server_box, make_workspace, stub_workspace, tmp_path):
    stub = stub_beside(stub_workspace, tmp_path)
    reference = make_workspace("exercise-04")
    started(server_box, reference)
    for workspace, code in ((reference, 0), (stub, 1)):
        args = ("check", "exercise-04", "-w", str(workspace), "--seed", "11", "--json")
        served = server_box.grader(*args)
        local = server_box.grader(*args, "--no-server")
        assert SERVER_LINE not in served.stderr and served.code == local.code == code
        assert served.stdout == local.stdout
    status = server_box.grader("server", "status").stdout
    assert "3 grading(s)" in status or "2 grading(s)" in status, status  # the --no-server ones did not count


def test_several_checks_at_once_each_get_their_own_report(server_box, make_workspace, stub_workspace, tmp_path):
    stub = stub_beside(stub_workspace, tmp_path)
    reference = make_workspace("exercise-04")
    started(server_box, reference)
    runs = [server_box.popen("check", "exercise-04", "-w", str(w), "--json", "--seed", "5")
            for w in (reference, stub, reference, stub)]
    for run, expected in zip(runs, (10, 0, 10, 0)):
        out, err = run.communicate(timeout=300)
        assert SERVER_LINE not in err and json.loads(out)["score"] == expected
        assert run.returncode == (0 if expected == 10 else 1)


@pytest.mark.skipif(isolation.choose().level != "bubblewrap", reason="hiding the socket needs bubblewrap")
def test_the_learners_code_can_neither_see_nor_reach_the_socket(server_box, make_workspace):
    started(server_box, make_workspace("exercise-04"))
    sockets = list(server_box.runtime.glob("*.sock"))
    assert len(sockets) == 1
    seeker = SEEKER.replace("__SOCKET__", str(sockets[0]))
    workspace = make_workspace("exercise-04", {"net.py": seeker + "\n" + REFERENCE})
    served = server_box.grader("check", "exercise-04", "-w", str(workspace), "--json", "--seed", "2")
    assert SERVER_LINE not in served.stderr
    report = served.json
    assert "SEEKER found=[] listed=False connect=failed (FileNotFoundError)" in report["output"], report["output"]
    assert report["score"] == 10


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_another_user_cannot_connect(server_box, make_workspace):
    started(server_box, make_workspace("exercise-04"))
    path = str(next(server_box.runtime.glob("*.sock")))
    assert connect_as_nobody(path) == "PermissionError"  # the folder is 0700
    os.chmod(server_box.runtime.parent, 0o755)  # mkdtemp's folder, around the runtime folder
    os.chmod(server_box.runtime, 0o755)
    assert connect_as_nobody(path) == "PermissionError"  # so is the socket (0600)
    os.chmod(path, 0o666)
    # and SO_PEERCRED: the server hangs up on others, before or after they speak
    assert connect_as_nobody(path) in ("no answer", "BrokenPipeError", "ConnectionResetError")


def connect_as_nobody(path: str) -> str:
    """Fork; the child becomes nobody, connects, asks for the status: what happened, in words."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no pytest, no torch, only this
        outcome = "answered"
        try:
            os.setgid(65534)
            os.setuid(65534)
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(20)
            conn.connect(path)
            conn.sendall(len(b'{"op": "status"}').to_bytes(4, "big") + b'{"op": "status"}')
            if not conn.recv(4):
                outcome = "no answer"
        except OSError as exc:
            outcome = type(exc).__name__
        os.write(write, outcome.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        return answer.read()


def test_kill_9_mid_check_still_reports_and_a_new_server_grades_the_next_check(server_box, make_workspace):
    """The learner's module sleeps a little at import, so the server is surely mid-check when killed."""
    pid = started(server_box, make_workspace("exercise-04"))
    workspace = make_workspace("exercise-04", {"net.py": "import time\ntime.sleep(4)\n" + REFERENCE})
    check = server_box.popen("check", "exercise-04", "-w", str(workspace), "--json", "--seed", "4")
    deadline = time.monotonic() + 120
    while "in progress" not in server_box.grader("server", "status").stdout and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    out, err = check.communicate(timeout=300)
    assert check.returncode == 0 and json.loads(out)["score"] == 10
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "stopped answering" in lines[0], err
    # the interrupted check started a new server once done: the next check goes through it
    following = server_box.grader("check", "exercise-04", "-w", str(workspace), "--json", "--seed", "4")
    assert following.code == 0 and following.stdout == out and following.stderr == ""
    assert server_box.wait_serving() != pid
    assert "1 grading(s)" in server_box.grader("server", "status").stdout


def test_editing_a_check_restarts_the_server_and_the_next_check_uses_it(server_boxes, tmp_path, make_workspace):
    """On a copy of the kit, so that the edit is real and touches nothing else."""
    kit = tmp_path / "kit"
    for part in ("grader", "exercises", "solutions"):
        shutil.copytree(paths.KIT_ROOT / part, kit / part, ignore=shutil.ignore_patterns("__pycache__"))
    box = server_boxes(kit)
    workspace = make_workspace("exercise-04")
    first = started(box, workspace)
    args = ("check", "exercise-04", "-w", str(workspace), "--json", "--seed", "6")
    assert box.grader(*args).json["max_score"] == 10
    checks = kit / "grader" / "checks" / "exercise_04.py"
    source = checks.read_text()
    assert "@pytest.mark.points(2)" in source
    checks.write_text(source.replace("@pytest.mark.points(2)", "@pytest.mark.points(3)", 1))
    edited = box.grader(*args)
    assert "the kit has changed" in edited.stderr and edited.json["max_score"] == 11
    second = box.wait_serving()
    assert second != first
    again = box.grader(*args)
    assert SERVER_LINE not in again.stderr and again.json["max_score"] == 11


def test_start_status_stop_and_idle_exit(server_box):
    server_box.env["GRADER_SERVER_IDLE"] = "3"
    started_ = server_box.grader("server", "start")
    assert started_.code == 0 and "grader server started (pid" in started_.stdout, started_.stdout + started_.stderr
    assert "exits after 3 s idle" in server_box.grader("server", "status").stdout
    deadline = time.monotonic() + 60
    while server_box.pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not server_box.pids(), "the idle server did not exit"
    assert "no grader server running" in server_box.grader("server", "status").stdout
    server_box.env["GRADER_SERVER_IDLE"] = "300"
    assert server_box.grader("server", "start").code == 0
    stopped = server_box.grader("server", "stop")
    assert "grader server stopped" in stopped.stdout and not server_box.pids()
