"""Each isolation level grades correctly and says in the report which one ran."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from grader import paths
from grader.sandbox import isolation


@pytest.mark.slow
@pytest.mark.parametrize("level", ["unshare", "rlimits"])
def test_fallback_levels_grade_and_name_themselves(level, tmp_path):
    shutil.copytree(paths.SOLUTIONS_DIR / "exercise-04", tmp_path / "exercise-04")
    env = {**os.environ, "GRADER_ISOLATION": level}
    if level == "unshare" and subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"],
                                             capture_output=True).returncode != 0:
        pytest.skip("this kernel does not allow unprivileged namespaces")
    done = subprocess.run([sys.executable, "-m", "grader", "check", "exercise-04", "-w", str(tmp_path), "--json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fallback" in json.loads(done.stdout)["isolation"]


def test_bubblewrap_allow_list_excludes_kit_secrets():
    if isolation.choose().level != "bubblewrap":
        pytest.skip("bubblewrap is not usable here")
    argv = isolation.Isolation("bubblewrap").command(["python"], learner_dir=paths.EXERCISES_DIR / "exercise-04")
    bound = {argv[i + 1] for i, a in enumerate(argv) if a in ("--ro-bind", "--ro-bind-try", "--bind")}
    assert str(paths.KIT_ROOT) not in bound and str(paths.SOLUTIONS_DIR) not in bound
    assert "--unshare-all" in argv and "--cap-drop" in argv


def test_the_only_kit_code_mounted_is_the_inside_folder(tmp_path):
    """Audit the boundary by reading one folder: of the kit, only grader/sandbox/inside/ is
    bound (besides the learner's folder and the Python installation, which may live in the kit)."""
    argv = isolation.Isolation("bubblewrap").command(["python"], learner_dir=tmp_path)
    python_roots = set(isolation._python_roots())
    kit = [(host, inside) for host, inside in isolation.mounts(argv)
           if host.startswith(str(paths.KIT_ROOT)) and host not in python_roots]
    assert kit == [(str(paths.SANDBOX_INSIDE_DIR), isolation.SANDBOX_MOUNT)]
    assert (str(tmp_path), isolation.LEARNER_MOUNT) in isolation.mounts(argv)
    for root in python_roots:  # and no Python root holds the kit's package
        assert not str(paths.KIT_ROOT / "grader").startswith(root + os.sep)


def test_unknown_forced_level_is_refused(monkeypatch):
    monkeypatch.setenv("GRADER_ISOLATION", "chroot")
    isolation.choose.cache_clear()
    try:
        with pytest.raises(ValueError, match="GRADER_ISOLATION must be one of"):
            isolation.choose()
    finally:
        monkeypatch.delenv("GRADER_ISOLATION")
        isolation.choose.cache_clear()
