"""The server's small parts: messages, the private folder, the kit's fingerprint (no server runs)."""

import os
import shutil
import socket
import stat
import subprocess
import time

import pytest

from grader import paths
from grader.report import Report
from grader.server import fingerprint, location, protocol


def test_a_message_crosses_intact_and_a_giant_one_is_refused():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        protocol.send(ours, {"op": "grade", "text": "é" * 1000})
        assert protocol.receive(theirs) == {"op": "grade", "text": "é" * 1000}
        ours.sendall(protocol.HEADER.pack(protocol.MAX_MESSAGE_BYTES + 1))
        with pytest.raises(protocol.ProtocolError, match="refused"):
            protocol.receive(theirs)


def test_a_closed_connection_is_a_wire_error():
    ours, theirs = socket.socketpair()
    ours.sendall(protocol.HEADER.pack(10) + b"{")
    ours.close()
    with theirs, pytest.raises(protocol.ProtocolError):
        protocol.receive(theirs)


def test_runtime_folder_is_the_owners_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_RUNTIME_DIR", str(tmp_path / "run"))
    folder = location.ensure_private_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    os.chmod(folder, 0o755)
    assert stat.S_IMODE(location.ensure_private_dir().stat().st_mode) == 0o700
    assert location.socket_path().parent == folder


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the folder to another user")
def test_a_runtime_folder_owned_by_someone_else_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir()
    os.chown(tmp_path / "run", 65534, 65534)
    with pytest.raises(location.RuntimeDirError):
        location.ensure_private_dir()


def test_default_runtime_folder(monkeypatch):
    monkeypatch.delenv("GRADER_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/nonexistent-xdg")
    assert location.runtime_dir() == location.Path(f"/tmp/grader-{os.getuid()}")


def _copy_kit(target):
    for part in ("grader", "exercises", "solutions"):
        shutil.copytree(paths.KIT_ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))


def test_fingerprint_follows_checks_solutions_and_registry(tmp_path, monkeypatch):
    _copy_kit(tmp_path)
    monkeypatch.setattr(paths, "KIT_ROOT", tmp_path)
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "grader")
    monkeypatch.setattr(paths, "CHECKS_DIR", tmp_path / "grader" / "checks")
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", tmp_path / "solutions")
    monkeypatch.setattr(paths, "REGISTRY_FILE", tmp_path / "exercises" / "exercises.toml")
    seen = {fingerprint.kit_fingerprint()}
    for edited in ("grader/checks/exercise_04.py", "solutions/exercise-04/net.py", "exercises/exercises.toml",
                   "grader/runner.py"):
        with open(tmp_path / edited, "a") as handle:
            handle.write("\n# edited\n")
        seen.add(fingerprint.kit_fingerprint())
    assert len(seen) == 5
    (tmp_path / "exercises" / "exercise-04" / "net.py").write_text("# a learner's edit\n")
    assert fingerprint.kit_fingerprint() in seen  # the learner's own files are not the kit


def test_one_server_per_installed_package_and_python(tmp_path, monkeypatch):
    """Keyed on the package's folder (a checkout's grader/, or site-packages/grader) and the interpreter."""
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "venv-a" / "site-packages" / "grader")
    first = location.socket_path()
    assert location.socket_path() == first
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "venv-b" / "site-packages" / "grader")
    assert location.socket_path() != first
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "venv-a" / "site-packages" / "grader")
    monkeypatch.setattr(location.sys, "executable", str(tmp_path / "venv-a" / "bin" / "python3.12"))
    assert location.socket_path() != first


def test_the_fingerprint_names_files_alike_installed_and_in_a_checkout(tmp_path, monkeypatch):
    """The wheel's layout (solutions inside the package, in grader/_kit) hashes as the checkout's does."""
    checkout_print = fingerprint.kit_fingerprint()
    site = tmp_path / "site-packages"
    shutil.copytree(paths.PACKAGE_DIR, site / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("exercises", "solutions"):
        shutil.copytree(paths.KIT_ROOT / part, site / "grader" / "_kit" / part,
                        ignore=shutil.ignore_patterns("__pycache__", ".grader-progress.json"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", site / "grader")
    monkeypatch.setattr(paths, "CHECKS_DIR", site / "grader" / "checks")
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", site / "grader" / "_kit" / "solutions")
    monkeypatch.setattr(paths, "REGISTRY_FILE", site / "grader" / "_kit" / "exercises" / "exercises.toml")
    assert fingerprint.kit_fingerprint() == checkout_print


def test_environment_that_changes_a_grading_is_part_of_the_identity(monkeypatch):
    monkeypatch.setenv("GRADER_ISOLATION", "unshare")
    first = fingerprint.identity()
    monkeypatch.setenv("GRADER_ISOLATION", "bubblewrap")
    assert fingerprint.identity() != first


def test_a_report_survives_its_round_trip(grade_files):
    reference = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
    report = grade_files("exercise-04", {"net.py": "print('hi')\n" + reference})
    again = Report.from_dict(report.to_dict(timings=True, localizable=True))
    assert again.to_json(timings=True) == report.to_json(timings=True)
    assert again.to_json() == report.to_json() and again.output == report.output


def test_a_server_started_by_a_check_waits_for_it_to_end_even_unreaped():
    from grader.server.daemon import wait_for_exit

    check = subprocess.Popen(["sleep", "0.5"])
    began = time.monotonic()
    wait_for_exit(check.pid, 20)  # never reaped meanwhile: a zombie counts as ended
    assert 0.4 < time.monotonic() - began < 10
    check.wait()
