"""Hidden checks for exercise 04, "fix the Net".

Probes (plain functions taking ``learner`` first) run in the sandbox; every
verdict below is reached here, in the trusted process.
"""

import pytest
import torch

from grader.expect import expect_every_gradient, expect_finite, expect_shape, fail

PARAMETER_BUDGET = 2_000_000
FLATTEN_HINT = "flatten with x.flatten(1) so the batch dimension survives"


# -- probes: run inside the sandbox -------------------------------------------------
def net_forward(learner, inputs, device, seed):
    torch.manual_seed(seed)
    net = learner.net.Net().to(device).eval()
    with torch.no_grad():
        outputs = [net(x.to(device)) for x in inputs]
    return {"outputs": outputs, "devices": [str(getattr(o, "device", "")) for o in outputs]}


def net_gradients(learner, x, device, seed):
    torch.manual_seed(seed)
    net = learner.net.Net().to(device).train()
    out = net(x.to(device))
    (out * torch.randn_like(out)).sum().backward()
    return {name: None if p.grad is None else p.grad.abs().sum() for name, p in net.named_parameters()}


def net_parameters(learner):
    net = learner.net.Net()
    params = list(net.parameters())
    return {"total": sum(p.numel() for p in params),
            "trainable": sum(p.numel() for p in params if p.requires_grad)}


# -- checks -------------------------------------------------------------------------
def images(rng, n):
    return torch.randn(n, 1, 28, 28, generator=rng)


@pytest.mark.points(2)
def test_output_shape_for_any_batch_size(learner, rng, device, check_seed):
    sizes = [1, int(torch.randint(2, 17, (), generator=rng)), 64]
    result = learner.run(net_forward, [images(rng, n) for n in sizes], device, check_seed)
    for n, out, where in zip(sizes, result["outputs"], result["devices"]):
        expect_shape(out, (n, 10), f"Net()(x) for x of shape ({n}, 1, 28, 28)", FLATTEN_HINT)
        if where.split(":")[0] != device:
            fail(f"the logits are on {where}, but the input was on {device}")


@pytest.mark.points(2)
def test_samples_do_not_mix(learner, rng, device, check_seed):
    n = 64 * int(torch.randint(1, 3, (), generator=rng))
    x = images(rng, n)
    changed = int(torch.randint(0, n, (), generator=rng))
    x2 = x.clone()
    x2[changed] = torch.randn(1, 28, 28, generator=rng)
    out, out2 = learner.run(net_forward, [x, x2], device, check_seed)["outputs"]
    expect_shape(out, (n, 10), f"Net()(x) for x of shape ({n}, 1, 28, 28)", FLATTEN_HINT)
    expect_shape(out2, (n, 10), f"Net()(x) for x of shape ({n}, 1, 28, 28)", FLATTEN_HINT)
    others = torch.arange(n) != changed
    drift = (out[others] - out2[others]).abs().amax(dim=1)
    if float(drift.max()) > 1e-4:
        victim = int(torch.arange(n)[others][drift.argmax()])
        fail(f"changing sample {changed} of a batch of {n} changed the logits of sample {victim} "
             f"by {float(drift.max()):.3g}: samples are being mixed", FLATTEN_HINT)


@pytest.mark.points(2)
def test_gradients_reach_every_parameter(learner, rng, device, check_seed):
    grads = learner.run(net_gradients, images(rng, 4), device, check_seed)
    expect_every_gradient(grads, "Net()", "is a layer unused in forward, or is the graph cut with .detach()?")


@pytest.mark.points(1)
@pytest.mark.requires("output_shape_for_any_batch_size")
def test_parameter_budget(learner):
    counts = learner.run(net_parameters)
    total = counts["total"]
    if not isinstance(total, int) or total <= 0:
        fail("Net() has no parameters")
    if total > PARAMETER_BUDGET:
        fail(f"Net() has {total:,} parameters; the budget is {PARAMETER_BUDGET:,}",
             "the first Linear layer dominates: 64*7*7 inputs, not a larger guess")
    if counts["trainable"] != total:
        fail(f"only {counts['trainable']:,} of {total:,} parameters have requires_grad=True")


@pytest.mark.points(1)
def test_outputs_are_finite(learner, rng, device, check_seed):
    inputs = [images(rng, 8) * 50, torch.zeros(2, 1, 28, 28), images(rng, 3)]
    outputs = learner.run(net_forward, inputs, device, check_seed)["outputs"]
    for x, out in zip(inputs, outputs):
        expect_finite(expect_shape(out, (x.shape[0], 10), f"Net()(x) for x of shape {tuple(x.shape)}"),
                      f"Net()(x) for x of shape {tuple(x.shape)}")


@pytest.mark.points(1)
def test_returns_raw_logits(learner, rng, device, check_seed):
    out = learner.run(net_forward, [images(rng, 32)], device, check_seed)["outputs"][0]
    expect_shape(out, (32, 10), "Net()(x) for x of shape (32, 1, 28, 28)", FLATTEN_HINT)
    if bool((out >= 0).all()):
        fail("all 320 logits are >= 0: is there a ReLU (or softmax) after the last layer?",
             "return fc2's output as it is; cross_entropy applies log-softmax itself")


@pytest.mark.points(1)
def test_eval_mode_is_deterministic(learner, rng, device, check_seed):
    x = images(rng, 5)
    first, second = learner.run(net_forward, [x, x], device, check_seed)["outputs"]
    expect_shape(first, (5, 10), "Net()(x) for x of shape (5, 1, 28, 28)", FLATTEN_HINT)
    if not torch.equal(first, second):
        fail("in eval mode, the same input gave different logits twice",
             "use nn.Dropout (which eval() switches off), not F.dropout with training=True")
