"""``describe``: how every failure of the learner's code reaches the learner, as one line and a place."""

import errno
import json

import pytest

from grader.sandbox.inside.failures import MAX_MESSAGE_CHARS, describe

NET = """import json


def forward(x):
    return helper(x)


def helper(x):
    raise ValueError(f"bad batch {x}")


def parse(text):
    return json.loads(text)
"""


@pytest.fixture
def learner(tmp_path):
    """The learner's net.py, loaded from its own folder: (the folder, the module's namespace)."""
    folder = tmp_path / "exercise-04"
    folder.mkdir()
    path = folder / "net.py"
    path.write_text(NET)
    scope = {}
    exec(compile(NET, str(path), "exec"), scope)
    return folder, scope


def raised(call, *args) -> BaseException:
    with pytest.raises(BaseException) as caught:
        call(*args)
    return caught.value


def test_one_line_and_the_innermost_line_of_the_learners_file(learner):
    folder, net = learner
    assert describe(raised(net["forward"], 3), str(folder)) == ("ValueError: bad batch 3", "net.py:9 in helper")


def test_the_place_is_the_learners_line_not_the_librarys_it_called(learner):
    folder, net = learner
    message, where = describe(raised(net["parse"], "{"), str(folder))
    assert message.startswith("JSONDecodeError: Expecting property name")
    assert where == "net.py:13 in parse"


def test_no_place_when_no_frame_is_in_the_learners_folder(learner, tmp_path):
    folder, net = learner
    assert describe(raised(json.loads, "{"), str(folder))[1] == ""
    neighbour = tmp_path / "exercise-04-old"  # a folder whose name merely starts like the learner's
    assert describe(raised(net["forward"], 1), str(neighbour))[1] == ""


def test_a_probe_is_no_file_of_the_learners_even_run_from_the_learners_folder(learner, monkeypatch):
    """A zygote's child works in the learner's folder: "<probe f>" must not resolve into it
    (it did, so the same failure read differently through the zygote and in a worker of its own)."""
    folder, _ = learner
    probe = compile("def seq_forward(x):\n    raise RuntimeError('mat1 and mat2 shapes')\n", "<probe seq_forward>",
                    "exec")
    scope = {}
    exec(probe, scope)
    monkeypatch.chdir(folder)
    assert describe(raised(scope["seq_forward"], 1), str(folder)) == ("RuntimeError: mat1 and mat2 shapes", "")


def test_a_multi_line_message_keeps_its_first_line_and_a_long_one_is_cut():
    message, _ = describe(ValueError("first line\n  second line\n"), "/nowhere")
    assert message == "ValueError: first line"
    long, _ = describe(RuntimeError("x" * 1000), "/nowhere")
    assert len(long) == MAX_MESSAGE_CHARS and long.endswith("…")


def test_an_exception_without_a_message_or_whose_str_fails_is_named():
    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no")

    assert describe(KeyError(), "/nowhere")[0] == "KeyError"
    assert describe(Unprintable(), "/nowhere")[0] == "Unprintable"


def test_exits_syntax_errors_and_exhausted_limits_are_explained(tmp_path):
    bad = tmp_path / "net.py"
    bad.write_text("def forward(x:\n    return x\n")
    syntax = raised(compile, bad.read_text(), str(bad), "exec")
    assert describe(syntax, str(tmp_path))[0].startswith("SyntaxError: ")
    assert describe(syntax, str(tmp_path))[0].endswith("(net.py, line 1)")
    assert describe(SystemExit(3), "/nowhere")[0] == "called exit(3); code under test must not exit the process"
    assert describe(MemoryError(), "/nowhere")[0] == "MemoryError: the sandbox's memory limit was reached"
    fork_bomb = BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
    assert "the sandbox's limit on processes and threads was reached" in describe(fork_bomb, "/nowhere")[0]
