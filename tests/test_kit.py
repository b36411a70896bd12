"""grader/kit.py: the kit's parts found in a checkout or inside an installed package."""

import shutil
import subprocess
import sys
import tomllib

from grader import kit, paths

REPO = kit.PACKAGE_DIR.parent


def test_a_checkout_uses_its_top_level_folders():
    assert kit.MODE == "checkout" and not kit.INSTALLED
    assert kit.EXERCISES_DIR == REPO / "exercises" and kit.SOLUTIONS_DIR == REPO / "solutions"
    assert paths.REGISTRY_FILE.is_file() and paths.CHECKS_DIR == kit.PACKAGE_DIR / "checks"


def test_a_package_with_its_bundle_is_installed_and_finds_everything_inside_itself(tmp_path):
    """The layout the wheel has (pyproject.toml maps exercises/ and solutions/ into grader/_kit)."""
    site = tmp_path / "site-packages"
    shutil.copytree(kit.PACKAGE_DIR, site / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("exercises", "solutions"):
        shutil.copytree(REPO / part, site / "grader" / kit.BUNDLE / part)
    probe = ("from grader import kit, paths; print(kit.MODE, kit.CHECKOUT_ROOT, paths.EXERCISES_DIR, "
             "paths.SOLUTIONS_DIR, paths.DOCS_DIR.is_dir())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, timeout=60)
    bundle = site / "grader" / kit.BUNDLE
    assert done.stdout.split() == ["installed", "None", str(bundle / "exercises"), str(bundle / "solutions"),
                                   "False"], done.stderr


def test_stub_file_prefers_the_language_and_falls_back_to_english(tmp_path, monkeypatch):
    (tmp_path / "exercise-04").mkdir()
    (tmp_path / "exercise-04" / "net.py").write_text("en")
    monkeypatch.setattr(kit, "EXERCISES_DIR", tmp_path)
    assert kit.stub_file("exercise-04", "net.py", "zh").read_text() == "en"
    (tmp_path / "exercise-04" / "net.zh.py").write_text("zh")
    assert kit.stub_file("exercise-04", "net.py", "zh").read_text() == "zh"
    assert kit.stub_file("exercise-04", "net.py", "en").read_text() == "en"


def test_version_is_pyprojects(grader):
    written = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert kit.version() == written
    result = grader("--version")
    assert result.code == 0 and result.stdout.startswith(f"pytorch-quiz-kit {written} (checkout at {REPO})")
