"""Hidden checks for exercise 04, "fix the Net".

Probes (plain functions taking ``learner`` first) run in the sandbox; every
verdict below is reached here, in the trusted process.
"""

import pytest
import torch

from grader.checks.toolkit import (
    applied_to,
    draw_int,
    expect_logits_for_any_batch_size,
    expect_raw_logits,
    expect_samples_do_not_mix,
    images,
    model_on_images,
)
from grader.expect import expect_every_gradient, expect_finite, expect_shape, fail
from grader.i18n import t
from grader.sandbox.inside import probekit

PARAMETER_BUDGET = 2_000_000
FLATTEN_HINT = t("flatten with x.flatten(1) so the batch dimension survives")


# -- probes: run inside the sandbox -------------------------------------------------
def net_forward(learner, inputs, device, seed):
    torch.manual_seed(seed)
    return probekit.eval_logits(learner.net.Net(), inputs, device)


def net_gradients(learner, x, device, seed):
    torch.manual_seed(seed)
    return probekit.gradient_sums(learner.net.Net().to(device), x.to(device))


def net_parameters(learner):
    params = list(learner.net.Net().parameters())
    return {"total": sum(p.numel() for p in params),
            "trainable": sum(p.numel() for p in params if p.requires_grad)}


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(2)
def test_output_shape_for_any_batch_size(learner, rng, device, check_seed):
    expect_logits_for_any_batch_size(lambda batches: learner.run(net_forward, batches, device, check_seed),
                                     rng, "Net()", device, FLATTEN_HINT)


@pytest.mark.points(2)
def test_samples_do_not_mix(learner, rng, device, check_seed):
    expect_samples_do_not_mix(lambda batches: learner.run(net_forward, batches, device, check_seed)["outputs"],
                              rng, 64 * draw_int(rng, 1, 2), "Net()", FLATTEN_HINT, FLATTEN_HINT)


@pytest.mark.points(2)
def test_gradients_reach_every_parameter(learner, rng, device, check_seed):
    grads = learner.run(net_gradients, images(rng, 4), device, check_seed)
    expect_every_gradient(grads, "Net()", t("is a layer unused in forward, or is the graph cut with .detach()?"))


@pytest.mark.points(1)
@pytest.mark.requires("output_shape_for_any_batch_size")
def test_parameter_budget(learner):
    counts = learner.run(net_parameters)
    total = counts["total"]
    if not isinstance(total, int) or total <= 0:
        fail(t("Net() has no parameters"))
    if total > PARAMETER_BUDGET:
        fail(t("Net() has {total:,} parameters; the budget is {budget:,}", total=total, budget=PARAMETER_BUDGET),
             t("the first Linear layer dominates: 64*7*7 inputs, not a larger guess"))
    if counts["trainable"] != total:
        fail(t("only {trainable:,} of {total:,} parameters have requires_grad=True", trainable=counts["trainable"],
               total=total))


@pytest.mark.points(1)
def test_outputs_are_finite(learner, rng, device, check_seed):
    inputs = [images(rng, 8) * 50, torch.zeros(2, 1, 28, 28), images(rng, 3)]
    outputs = learner.run(net_forward, inputs, device, check_seed)["outputs"]
    for x, out in zip(inputs, outputs):
        what = applied_to("Net()(x)", tuple(x.shape))
        expect_finite(expect_shape(out, (x.shape[0], 10), what), what)


@pytest.mark.points(1)
def test_returns_raw_logits(learner, rng, device, check_seed):
    out = learner.run(net_forward, [images(rng, 32)], device, check_seed)["outputs"][0]
    expect_raw_logits(out, "Net()", FLATTEN_HINT,
                      t("return fc2's output as it is; cross_entropy applies log-softmax itself"))


@pytest.mark.points(1)
def test_eval_mode_is_deterministic(learner, rng, device, check_seed):
    x = images(rng, 5)
    first, second = learner.run(net_forward, [x, x], device, check_seed)["outputs"]
    expect_shape(first, (5, 10), model_on_images("Net()", 5), FLATTEN_HINT)
    if not torch.equal(first, second):
        fail(t("in eval mode, the same input gave different logits twice"),
             t("use nn.Dropout (which eval() switches off), not F.dropout with training=True"))
