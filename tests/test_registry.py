"""The registry: every command's single list of exercises."""

import pytest

from grader.registry import RegistryError, UnknownExercise, load_registry

VALID = """
[[exercise]]
id = "exercise-01"
title = "Tensors"
files = ["tensors.py"]
points = 10
docs = "exercises/exercise-01.md"
hints = ["first", "second"]
time_limit = 12
"""


def write(tmp_path, text):
    path = tmp_path / "exercises.toml"
    path.write_text(text)
    return path


def test_kit_registry_is_valid_and_ordered():
    reg = load_registry()
    ids = [ex.id for ex in reg]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert all(len(ex.hints) >= 2 and ex.points > 0 for ex in reg)
    assert all(ex.title_zh and len(ex.hints_zh) == len(ex.hints) for ex in reg)  # every exercise speaks Chinese too


def test_defaults_and_overrides(tmp_path):
    (ex,) = load_registry(write(tmp_path, VALID))
    assert ex.time_limit == 12 and ex.memory_limit_mb == 4096
    assert ex.checks_module == "exercise_01" and ex.module_names == ("tensors",)


def test_chinese_title_and_hints_fall_back_to_english(tmp_path):
    (plain,) = load_registry(write(tmp_path, VALID))
    assert plain.title_in("zh") == "Tensors" and plain.hints_in("zh") == ("first", "second")
    (both,) = load_registry(write(tmp_path, VALID + 'title_zh = "张量"\nhints_zh = ["第一", "第二"]\n'))
    assert both.title_in("zh") == "张量" and both.hints_in("zh") == ("第一", "第二")
    assert both.title_in("en") == "Tensors" and both.hints_in("en") == ("first", "second")
    (hints_only,) = load_registry(write(tmp_path, VALID + 'hints_zh = ["第一", "第二"]\n'))
    assert hints_only.title_in("zh") == "Tensors" and hints_only.hints_in("zh") == ("第一", "第二")


@pytest.mark.parametrize("name", ["exercise-01", "01", "1", "exercise-1", " Exercise-01 "])
def test_lookup_accepts_short_forms(tmp_path, name):
    assert load_registry(write(tmp_path, VALID)).get(name).id == "exercise-01"


def test_unknown_exercise_suggests_a_close_one(tmp_path):
    with pytest.raises(UnknownExercise, match="did you mean exercise-01"):
        load_registry(write(tmp_path, VALID)).get("exercise-0l")


@pytest.mark.parametrize("broken, message", [
    (VALID.replace('hints = ["first", "second"]', 'hints = ["only one"]'), "at least two"),
    (VALID.replace('id = "exercise-01"', 'id = "ex1"'), "exercise-NN"),
    (VALID.replace("points = 10", 'points = "ten"'), "'points' must be a int"),
    (VALID + "colour = 'red'\n", "unknown keys"),
    (VALID + VALID, "declared twice"),
    (VALID + 'hints_zh = ["只有一条"]\n', "'hints_zh' has 1 hints but 'hints' has 2"),
    (VALID + 'hints_zh = "第一"\n', "'hints_zh' must be a list of str"),
    (VALID + "title_zh = 3\n", "'title_zh' must be a str"),
    ("[[exercise]\n", "cannot read the registry"),
])
def test_malformed_entries_are_named(tmp_path, broken, message):
    with pytest.raises(RegistryError, match=message):
        load_registry(write(tmp_path, broken))
