"""Exercise 06's hidden checks: the stub, an unstable, a wrongly averaged and a banned-call
loss each fail the check that names their fault.

That the reference earns full marks and the stub nothing: test_references.py."""

import json

import pytest

from grader import paths

STUB = (paths.EXERCISES_DIR / "exercise-06" / "loss.py").read_text()
REFERENCE = (paths.SOLUTIONS_DIR / "exercise-06" / "loss.py").read_text()

LOG_OF_SOFTMAX = '''import torch


def custom_loss(output, target, label_smoothing=0.0):
    log_p = torch.log(torch.softmax(output, dim=1))
    nll = -log_p.gather(1, target.unsqueeze(1)).squeeze(1)
    return ((1 - label_smoothing) * nll - label_smoothing * log_p.mean(dim=1)).mean()
'''

MEAN_OVER_EVERYTHING = '''import torch
import torch.nn.functional as F


def custom_loss(output, target, label_smoothing=0.0):
    log_p = torch.log_softmax(output, dim=1)
    classes = output.shape[1]
    wanted = F.one_hot(target, classes).to(log_p.dtype) * (1 - label_smoothing) + label_smoothing / classes
    return (-(wanted * log_p)).mean()
'''

CALLS_CROSS_ENTROPY = '''import torch
import torch.nn.functional as F


def custom_loss(output, target, label_smoothing=0.0):
    return F.cross_entropy(output, target, label_smoothing=label_smoothing)
'''


def test_untouched_stub_fails_on_the_target_shape(graded):
    message = graded("exercise-06", "stub").by_check()["value_matches_cross_entropy"].message
    assert "must match the size of tensor" in message


def test_log_of_softmax_is_right_for_small_logits_but_overflows(grade_files):
    checks = grade_files("exercise-06", {"loss.py": LOG_OF_SOFTMAX}).by_check()
    assert checks["value_matches_cross_entropy"].passed
    assert checks["gradient_matches_cross_entropy"].passed
    message = checks["finite_for_large_logits"].message
    assert not checks["finite_for_large_logits"].passed
    assert "with logits up to ±1e4 contains" in message and "inf values" in message
    assert "logsumexp" in message


def test_averaging_over_the_classes_too_is_named(grade_files):
    checks = grade_files("exercise-06", {"loss.py": MEAN_OVER_EVERYTHING}).by_check()
    message = checks["value_matches_cross_entropy"].message
    assert not checks["value_matches_cross_entropy"].passed
    assert "times smaller than expected" in message and "averages over the classes" in message
    assert checks["source_does_not_use_banned_losses"].passed and checks["no_banned_loss_runs"].passed


@pytest.mark.slow
def test_calling_cross_entropy_is_caught_in_the_source_and_at_run_time(grader, make_workspace):
    workspace = make_workspace("exercise-06", {"loss.py": CALLS_CROSS_ENTROPY})
    result = grader("check", "exercise-06", "--workspace", str(workspace), "--json", "--seed", "7")
    assert result.code == 1, result.stderr
    checks = {t["name"].split("[")[0]: t for t in json.loads(result.stdout)["tests"]}
    assert checks["value_matches_cross_entropy"]["passed"]
    assert (checks["source_does_not_use_banned_losses"]["message"]
            .startswith("loss.py line 6 calls F.cross_entropy, which this exercise bans"))
    assert "torch.nn.functional.cross_entropy" in checks["no_banned_loss_runs"]["message"]


def test_the_source_scan_finds_every_spelling_but_spares_a_self_test():
    from grader.checks.exercise_06 import banned_uses

    source = '''import torch
import torch.nn.functional as F
from torch.nn.functional import nll_loss as nl


def custom_loss(output, target, label_smoothing=0.0):
    sneaky = getattr(F, "cross_entropy")
    return torch.nn.CrossEntropyLoss()(output, target) + torch._C._nn.nll_loss(output, target)


if __name__ == "__main__":
    print(F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 1])))
'''
    assert banned_uses(source) == [
        (3, "imports nll_loss from torch.nn.functional"),
        (7, "names 'cross_entropy' in a string"),
        (8, "calls torch._C._nn.nll_loss"),
        (8, "calls torch.nn.CrossEntropyLoss"),
    ]
    assert banned_uses(REFERENCE) == [] and banned_uses(STUB) == []
