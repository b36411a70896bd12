"""``grader init``: a workspace from the kit's stubs, found again from any folder inside it."""

import json
import tomllib

import pytest

from grader import kit, marker
from grader.commands import init as init_command
from grader.workspace import NoWorkspace, Workspace

TITLE_ZH = "修好 Net"  # exercise-04's title_zh in the registry


def files_under(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_english_workspace_holds_every_stub_a_readme_a_marker_and_progress(grader, tmp_path, registry):
    result = grader("init", "ws", "--lang", "en", cwd=tmp_path)
    assert result.code == 0, result.stderr
    ws = tmp_path / "ws"
    assert "cd ws && grader check exercise-01" in result.stdout
    for ex in registry:
        for name in ex.files:
            assert (ws / ex.id / name).read_text() == kit.stub_file(ex.id, name, "en").read_text()
    assert not list(ws.rglob("*.zh.py"))
    readme = (ws / "README.md").read_text()
    assert "grader check exercise-01" in readme and "Fix the Net" in readme
    found = tomllib.loads((ws / marker.MARKER).read_text())["workspace"]
    assert found == {"lang": "en", "kit_version": kit.version()}
    assert json.loads((ws / ".grader-progress.json").read_text())["exercises"] == {}
    assert not [p for p in tmp_path.iterdir() if p.name != "ws"]  # no staging folder left beside it


def test_default_folder_and_language_from_the_locale(grader, tmp_path):
    result = grader("init", cwd=tmp_path, env={"GRADER_LANG": "", "LC_ALL": "", "LANG": "zh_CN.UTF-8"})
    assert result.code == 0, result.stderr
    ws = tmp_path / init_command.DEFAULT_DIR
    assert marker.read(ws).lang == "zh"
    assert "下一步" in result.stdout and "## 练习" in (ws / "README.md").read_text()


def test_chinese_stubs_are_written_under_the_english_name(tmp_path, monkeypatch, capsys):
    """A ``<module>.zh.py`` beside a stub is the Chinese stub; an exercise without one keeps the English."""
    import shutil

    kit_exercises = tmp_path / "kit"
    shutil.copytree(kit.EXERCISES_DIR, kit_exercises)
    (kit_exercises / "exercise-04" / "net.zh.py").write_text("# 中文起始代码\n", encoding="utf-8")
    (kit_exercises / "exercise-06" / "loss.zh.py").unlink()
    monkeypatch.setattr(kit, "EXERCISES_DIR", kit_exercises)
    assert init_command.main(directory=tmp_path / "ws", lang="zh") == 0
    ws = tmp_path / "ws"
    assert (ws / "exercise-04" / "net.py").read_text(encoding="utf-8") == "# 中文起始代码\n"
    assert not (ws / "exercise-04" / "net.zh.py").exists()
    assert (ws / "exercise-06" / "loss.py").read_text() == (kit_exercises / "exercise-06" / "loss.py").read_text()
    assert "已在" in capsys.readouterr().out


def test_an_existing_workspace_is_refused_and_left_alone(grader, tmp_path):
    assert grader("init", "ws", cwd=tmp_path).code == 0
    ws = tmp_path / "ws"
    (ws / "exercise-04" / "net.py").write_text("my work\n")
    before = files_under(ws)
    again = grader("init", "ws", "--lang", "zh", cwd=tmp_path)
    assert again.code == 2 and again.stdout == ""
    assert again.stderr.count("\n") == 1 and "已经是评分工作区" in again.stderr  # in the language it was asked for
    assert files_under(ws) == before
    english = grader("init", "ws", cwd=tmp_path)
    assert english.stderr == (f"error: {ws} is already a grader workspace (kit {kit.version()}, en); nothing was "
                              "changed (use `grader reset EXERCISE` to restore one exercise)\n")


@pytest.mark.parametrize("occupant", ["folder", "file"])
def test_a_non_empty_folder_or_a_file_is_refused(grader, tmp_path, occupant):
    target = tmp_path / "ws"
    if occupant == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    else:
        target.write_text("mine")
    result = grader("init", str(target))
    assert result.code == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]
    assert (target / "notes.txt" if occupant == "folder" else target).read_text() == "mine"


@pytest.mark.parametrize("occupant", ["folder", "file", "workspace"])
def test_refusals_in_chinese_are_one_chinese_line(grader, tmp_path, in_chinese, chinese_error, occupant):
    args, env = in_chinese
    target = tmp_path / "ws"
    if occupant == "workspace":
        assert grader("init", str(target)).code == 0
    elif occupant == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    else:
        target.write_text("mine")
    line = chinese_error(grader("init", str(target), *args, env=env), kit.version(), "en")
    assert str(target) in line


def test_a_bad_language_in_a_chinese_locale_is_said_in_chinese(grader, tmp_path, chinese_error, chinese_locale):
    chinese_error(grader("init", "ws", "--lang", "fr", cwd=tmp_path, env=chinese_locale), "en, zh", "'fr'")


def test_an_empty_folder_becomes_the_workspace(grader, tmp_path):
    (tmp_path / "ws").mkdir()
    assert grader("init", "ws", cwd=tmp_path).code == 0
    assert marker.find(tmp_path / "ws" / "exercise-04") == tmp_path / "ws"


def test_bad_language_is_a_usage_error(grader, tmp_path):
    result = grader("init", "ws", "--lang", "fr", cwd=tmp_path)
    assert result.code == 2 and "--lang" in result.stderr and not (tmp_path / "ws").exists()


def test_commands_find_the_workspace_from_a_folder_inside_it(grader, tmp_path):
    assert grader("init", "ws", "--lang", "zh", cwd=tmp_path).code == 0
    ws = tmp_path / "ws"
    inside = ws / "exercise-04"
    listed = grader("list", cwd=inside)  # GRADER_LANG=en in the tests: the workspace's language wins
    assert listed.code == 0 and TITLE_ZH in listed.stdout and "进度" in listed.stdout
    assert "Fix the Net" in grader("list", "--lang", "en", cwd=inside).stdout  # --lang wins over the workspace
    assert grader("hint", "exercise-04", cwd=inside).code == 0
    assert json.loads((ws / ".grader-progress.json").read_text())["exercises"]["exercise-04"]["hints_seen"] == 1


def test_workspace_option_wins_over_the_marker(grader, tmp_path):
    assert grader("init", "ws", cwd=tmp_path).code == 0
    other = tmp_path / "other"
    other.mkdir()
    assert grader("hint", "exercise-04", "--workspace", str(other), cwd=tmp_path / "ws").code == 0
    assert (other / ".grader-progress.json").is_file()
    assert json.loads((tmp_path / "ws" / ".grader-progress.json").read_text())["exercises"] == {}


def test_reset_restores_the_packaged_stub_of_the_workspace_language_without_git(grader, tmp_path):
    assert grader("init", "ws", "--lang", "zh", cwd=tmp_path).code == 0
    net = tmp_path / "ws" / "exercise-04" / "net.py"
    net.write_text("my broken work\n")
    result = grader("reset", "exercise-04", "--yes", cwd=net.parent, env={"PATH": str(tmp_path / "no-git-here")})
    assert result.code == 0, result.stderr
    assert net.read_text() == kit.stub_file("exercise-04", "net.py", "zh").read_text()


def test_outside_a_workspace_an_installed_kit_asks_for_grader_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(kit, "INSTALLED", True)
    with pytest.raises(NoWorkspace, match="grader init"):
        Workspace()
    monkeypatch.setattr(kit, "INSTALLED", False)  # a checkout falls back on its own exercises/
    assert Workspace().is_kit
