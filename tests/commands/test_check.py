"""``grader check``: the command-line contract that learners and scripts rely on."""

import json

import pytest

from grader import paths

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()


@pytest.mark.slow
def test_untouched_stub_exits_1_and_lists_failing_checks(grader, stub_workspace):
    result = grader("check", "exercise-04", "--workspace", str(stub_workspace("exercise-04")))
    assert result.code == 1
    assert "✗ output_shape_for_any_batch_size[cpu]" in result.stdout
    assert "shape '[-1, 4096]' is invalid" in result.stdout
    assert "Score 0/10" in result.stdout
    assert "Hint 1/3:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
def test_report_in_chinese_and_json_english_with_its_translation_beside_it(grader, stub_workspace):
    workspace = str(stub_workspace("exercise-04"))
    result = grader("check", "exercise-04", "-w", workspace, "--lang", "zh", "--seed", "7")
    assert result.code == 1
    assert "得分 0/10 — 7 项检查未通过" in result.stdout
    assert "提示 1/3：" in result.stdout
    assert "用同样的输入重新运行：grader check exercise-04 --seed 7" in result.stdout
    assert "你的代码出错：RuntimeError: shape '[-1, 4096]' is invalid" in result.stdout  # PyTorch's words stay
    assert "Score" not in result.stdout and "Hint" not in result.stdout
    chinese = grader("check", "exercise-04", "-w", workspace, "--json", "--seed", "7", "--lang", "zh").json
    english = grader("check", "exercise-04", "-w", workspace, "--json", "--seed", "7").json
    translated = chinese.pop("translated")
    assert chinese == english  # the contract is English; --lang zh only adds its translation beside it
    assert translated["lang"] == "zh"
    assert [check["name"] for check in translated["tests"]] == [check["name"] for check in english["tests"]]
    assert translated["tests"][0]["title"] == "任意批量大小下的输出形状 [cpu]"


@pytest.mark.slow
def test_reference_workspace_exits_0_with_full_score(grader, make_workspace):
    result = grader("check", "exercise-04", "--workspace", str(make_workspace("exercise-04")), "--json")
    assert result.code == 0
    report = result.json
    assert report["passed"] is True and report["score"] == report["max_score"] == 10


@pytest.mark.slow
def test_json_shape(grader, stub_workspace):
    report = grader("check", "4", "-w", str(stub_workspace("exercise-04")), "--json", "--seed", "5").json
    assert {"exercise", "score", "max_score", "passed", "seed", "device", "isolation", "tests"} <= set(report)
    assert report["exercise"] == "exercise-04" and report["seed"] == 5 and report["device"].startswith("cpu")
    for test in report["tests"]:
        assert {"name", "passed", "points", "message"} <= set(test)
        assert isinstance(test["points"], float) and isinstance(test["message"], str)


@pytest.mark.slow
def test_same_seed_same_json(grader, stub_workspace):
    workspace = str(stub_workspace("exercise-04"))
    first = grader("check", "exercise-04", "-w", workspace, "--json", "--seed", "7")
    second = grader("check", "exercise-04", "-w", workspace, "--json", "--seed", "7")
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["seed"] == 7


def test_different_seeds_draw_different_inputs(grade_files):
    mixing = REFERENCE.replace("x = x.flatten(1)", "x = x.view(-1, 64 * 8 * 8)").replace(
        "nn.Linear(64 * 7 * 7, 512)", "nn.Linear(64 * 8 * 8, 512)")
    messages = {grade_files("exercise-04", {"net.py": mixing}, seed=s).tests[1].message for s in range(6)}
    assert len(messages) > 1  # batch sizes and the changed sample follow the seed


@pytest.mark.parametrize("args, fragment", [
    (["check", "exercise-99"], "unknown exercise 'exercise-99'"),
    (["check", "exercise-4x"], "unknown exercise"),
    (["check", "exercise-04", "--workspace", "/nonexistent/folder"], "does not exist"),
    (["check", "exercise-04", "--device", "tpu"], "--device must be one of"),
    (["check", "exercise-04", "--time-limit", "0"], "--time-limit must be positive"),
    (["check", "exercise-04", "--lang", "xx"], "--lang must be one of en, zh"),
])
def test_usage_errors_exit_2_with_one_line(grader, args, fragment):
    result = grader(*args)
    assert result.code == 2
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cuda_requested_without_cuda_is_a_usage_error(grader, make_workspace):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = grader("check", "exercise-04", "-w", str(make_workspace("exercise-04")), "--device", "cuda")
    assert result.code == 2 and "CUDA is not available" in result.stderr


def test_missing_learner_file_is_a_failed_check(grader, tmp_path):
    (tmp_path / "exercise-04").mkdir()
    result = grader("check", "exercise-04", "-w", str(tmp_path), "--json")
    assert result.code == 1
    assert "missing net.py" in result.json["tests"][0]["message"]


@pytest.mark.slow
def test_learner_output_is_shown_on_request(grader, make_workspace):
    workspace = make_workspace("exercise-04", {"net.py": "print('hello from net.py')\n" + REFERENCE})
    quiet = grader("check", "exercise-04", "-w", str(workspace))
    shown = grader("check", "exercise-04", "-w", str(workspace), "--show-output")
    assert "hello from net.py" not in quiet.stdout and "--show-output" in quiet.stdout
    assert "hello from net.py" in shown.stdout


def test_unknown_isolation_level_is_a_usage_error(grader, make_workspace):
    result = grader("check", "exercise-04", "-w", str(make_workspace("exercise-04")),
                    env={"GRADER_ISOLATION": "chroot"})
    assert result.code == 2 and "GRADER_ISOLATION must be one of" in result.stderr


def test_usage_errors_in_chinese_are_one_chinese_line(grader, tmp_path, in_chinese, chinese_error):
    args, env = in_chinese
    unknown = grader("check", "exercise-99", "-w", str(tmp_path), *args, env=env)
    line = chinese_error(unknown, "'exercise-99'")
    assert line == "错误：没有名为 'exercise-99' 的练习；你是不是想输入 exercise-09？"
    device = grader("check", "exercise-04", "-w", str(tmp_path), "--device", "tpu", *args, env=env)
    assert "`--device` 只能取 auto, cpu, cuda 之一" in chinese_error(device, "auto, cpu, cuda", "'tpu'")
    limit = grader("check", "exercise-04", "-w", str(tmp_path), "--time-limit", "0", *args, env=env)
    chinese_error(limit)


def test_a_bad_lang_in_a_chinese_locale_is_said_in_chinese(grader, tmp_path, chinese_error, chinese_locale):
    result = grader("check", "exercise-04", "-w", str(tmp_path), "--lang", "xx", env=chinese_locale)
    chinese_error(result, "en, zh", "'xx'")


def test_usage_errors_in_english_are_as_they_always_were(grader, tmp_path):
    unknown = grader("check", "exercise-99", "-w", str(tmp_path))
    assert (unknown.code, unknown.stderr) == (2, "error: unknown exercise 'exercise-99'; did you mean exercise-09?\n")
    far = grader("check", "nothing-like-it", "-w", str(tmp_path))
    assert far.stderr == "error: unknown exercise 'nothing-like-it'; `grader list` shows them all\n"
    device = grader("check", "exercise-04", "-w", str(tmp_path), "--device", "tpu")
    assert (device.code, device.stderr) == (2, "error: --device must be one of auto, cpu, cuda, not 'tpu'\n")
    limit = grader("check", "exercise-04", "-w", str(tmp_path), "--time-limit", "-1")
    assert limit.stderr == "error: --time-limit must be positive\n"
    missing = grader("check", "exercise-04", "-w", str(tmp_path / "nowhere"))
    assert missing.stderr == f"error: workspace {tmp_path / 'nowhere'} does not exist or is not a folder\n"
