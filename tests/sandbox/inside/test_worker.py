"""The sandboxed worker's own parts: what it may send back, how it bounds CPU time, how it
imports the learner's modules, and the protocol it speaks over its two pipes."""

import json
import math
import os
import resource
import signal
import subprocess
import sys

import pytest
import torch

from grader.sandbox.inside import failures, wire, worker
from grader.sandbox.probes import probe_source


class Model:
    pass


def test_plain_refuses_an_arbitrary_object_wherever_it_is():
    for value in (Model(), [1, {"model": Model()}], lambda: 1):
        with pytest.raises(TypeError, match=r"a (Model|function) cannot be sent back to the grader"):
            worker.plain(value)


def test_plain_reduces_a_result_to_what_the_trusted_loader_accepts():
    weight = torch.nn.Parameter(torch.ones(2, 2))
    (weight * 2).sum().backward()
    value = {"weight": weight, 3: [torch.float32, torch.device("cpu"), torch.Size([2, 5])], "t": (1, "x", None)}
    reduced = worker.plain(value)
    assert type(reduced["weight"]) is torch.Tensor and not reduced["weight"].requires_grad
    assert reduced["3"] == ["torch.float32", "cpu", (2, 5)] and reduced["t"] == (1, "x", None)
    weight.data.zero_()  # a copy: what the learner's code does afterwards cannot change the result
    assert reduced["weight"].sum() == 4
    assert torch.equal(wire.decode(wire.encode(reduced))["weight"], torch.ones(2, 2))


def test_plain_refuses_a_result_nested_too_deeply():
    deep = []
    for _ in range(30):
        deep = [deep]
    with pytest.raises(TypeError, match="nested too deeply"):
        worker.plain(deep)


def in_a_child(action) -> int:
    """Run ``action()`` in a forked child: its return value (a small int), or minus the signal that ended it."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            os.close(read)
            os.write(write, str(action()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as reply:
        text = reply.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    assert os.WEXITSTATUS(status) == 0, "the action failed in the child"
    return int(text)


def soft_cpu_limit_after_allowing(seconds: float) -> int:
    spent = worker.cpu_seconds()
    worker.limit_cpu(seconds)
    soft, _ = resource.getrlimit(resource.RLIMIT_CPU)
    return soft - math.ceil(spent + seconds)  # 0 when the limit is the CPU time used so far plus the allowance


def spin_past_one_second() -> int:
    worker.limit_cpu(1)
    while True:
        pass


def test_limit_cpu_allows_that_much_more_cpu_time_and_then_the_kernel_ends_the_process():
    assert in_a_child(lambda: soft_cpu_limit_after_allowing(5)) == 0
    assert in_a_child(spin_past_one_second) == -signal.SIGXCPU


def test_limit_cpu_never_raises_the_soft_limit_past_the_hard_one():
    def capped():
        spent = math.ceil(worker.cpu_seconds())
        resource.setrlimit(resource.RLIMIT_CPU, (spent + 2, spent + 2))
        worker.limit_cpu(100)
        return resource.getrlimit(resource.RLIMIT_CPU)[0] - (spent + 2)

    assert in_a_child(capped) == 0


@pytest.fixture
def learner_dir(tmp_path, monkeypatch):
    """A folder for the learner's modules; sys.path and sys.modules are restored afterwards."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_import_learner_imports_each_module_from_the_learners_folder(learner_dir):
    (learner_dir / "w_layers.py").write_text("WIDTH = 8\n")
    (learner_dir / "w_net.py").write_text("from w_layers import WIDTH\n\ndef width():\n    return WIDTH\n")
    learner = worker.import_learner(str(learner_dir), ["w_net", "w_layers"])
    assert learner.w_net.width() == 8 and learner.w_layers.WIDTH == 8
    assert learner.w_net.__file__ == str(learner_dir / "w_net.py")


def test_import_learner_lets_the_learners_exception_through_with_its_place(learner_dir):
    (learner_dir / "w_broken.py").write_text("import torch\n\nraise RuntimeError('no GPU here')\n")
    with pytest.raises(RuntimeError) as caught:
        worker.import_learner(str(learner_dir), ["w_broken"])
    assert failures.describe(caught.value, str(learner_dir)) == ("RuntimeError: no GPU here",
                                                                  "w_broken.py:3 in <module>")


def doubled_logits(learner, n):
    return {"logits": learner.net.forward(torch.ones(n)), "shape": torch.Size([n])}


def failing(learner):
    return learner.net.forward(None)


@pytest.mark.slow
def test_the_worker_program_speaks_its_protocol_over_two_pipes(tmp_path):
    """Booted, imported, then one reply per probe: a value, or the learner's error and its place."""
    (tmp_path / "net.py").write_text("def forward(x):\n    return x * 2\n")
    requests, to_worker = os.pipe()
    from_worker, replies = os.pipe()
    config = {"memory_mb": 4096, "request_fd": requests, "reply_fd": replies, "learner_dir": str(tmp_path),
              "modules": ["net"], "threads": 1, "time_limit": 60}
    program = subprocess.Popen([sys.executable, "-I", worker.__file__, json.dumps(config)],
                               pass_fds=(requests, replies), cwd=tmp_path)
    os.close(requests)
    os.close(replies)
    try:
        assert wire.receive(from_worker) == {"kind": "booted"}
        assert wire.receive(from_worker) == {"kind": "imported", "error": None}
        for probe, args in ((doubled_logits, [3]), (failing, [])):
            name, source = probe_source(probe)
            wire.send(to_worker, {"op": "run", "name": name, "source": source, "args": args, "cpu_s": 30})
        value, error = wire.receive(from_worker), wire.receive(from_worker)
    finally:
        os.close(to_worker)
        program.wait(timeout=60)
        os.close(from_worker)
    assert value["ok"] and torch.equal(value["value"]["logits"], torch.full((3,), 2.0))
    assert value["value"]["shape"] == (3,) and value["cpu_s"] >= 0
    assert (error["ok"], error["type"], error["where"]) == (False, "TypeError", "net.py:2 in forward")
    assert error["error"].startswith("TypeError: unsupported operand type(s) for *")
    assert program.returncode == 0  # the worker ends quietly when the channel closes
