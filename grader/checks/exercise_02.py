"""Hidden checks for exercise 02, "activations, autograd and the dynamic graph".

Probes run the learner's functions in the sandbox and send back values,
gradients and ``torch.autograd.gradcheck``'s verdict as plain data; the
reference and every comparison run here, in the trusted process.
"""

import functools

import pytest
import torch

from grader.checks import toolkit
from grader.checks.toolkit import draw_int, on_device
from grader.expect import expect_close, expect_finite, expect_shape, fail
from grader.i18n import N_, t
from grader.sandbox.inside import probekit

OUTPUT_RELU_HINT = t("return the output layer's result as it is: losses and softmax take raw logits")
CUT_HINT = t("something cut the graph: .detach(), .item(), .numpy(), torch.tensor(...) or torch.no_grad() on the way")
SOFTMAX_HINT = t("softmax over the class dimension, the last one: torch.softmax(logits, dim=-1)")
GRAD_HINT = t("differentiate fn at a fresh leaf: x.detach().requires_grad_(), then torch.autograd.grad(fn(leaf), "
              "leaf)")
DEVICE_HINT = t("compute on the inputs' device; do not create tensors on the CPU along the way")


# -- probes: run inside the sandbox ---------------------------------------------------
def call(learner, function, args, kwargs, device):
    """learner.graph.<function>(*args, **kwargs) with tensors moved to ``device``."""
    return probekit.packed(getattr(learner.graph, function)(*probekit.on_device(args, device), **kwargs))


def mlp_backward(learner, tensors, out_weights, device):
    """Forward, then backward of sum(out * out_weights); gradients of all five inputs."""
    leaves = [t.to(device).requires_grad_(True) for t in tensors]
    out = learner.graph.mlp_logits(*leaves)
    reply = probekit.packed(out)
    if "tensor" not in reply:
        return reply
    reply.update(requires_grad=out.requires_grad, grads=None)
    if out.requires_grad and out.shape == out_weights.shape:
        (out * out_weights.to(device)).sum().backward()
        reply["grads"] = [leaf.grad for leaf in leaves]
    return reply


def mlp_gradcheck(learner, tensors, device):
    """gradcheck's verdict on mlp_logits in float64, as data."""
    leaves = [t.to(device=device, dtype=torch.float64).requires_grad_(True) for t in tensors]
    learner.graph.mlp_logits(*leaves)  # the learner's own errors surface as such
    return probekit.capture(torch.autograd.gradcheck, learner.graph.mlp_logits, leaves, eps=1e-6, atol=1e-5, rtol=1e-3)


def gradient_twice(learner, x, a, device):
    """Call gradient(fn, x) twice for fn(t) = sum(a * sin(t) * t); report what happened to x."""
    x, a = x.to(device), a.to(device)
    before = x.clone()

    def fn(t):
        return (a * torch.sin(t) * t).sum()

    first = learner.graph.gradient(fn, x)
    if not isinstance(first, torch.Tensor):
        return probekit.packed(first)
    first_device, first = str(first.device), first.detach().clone()  # before any later call can touch it
    second = learner.graph.gradient(fn, x)
    return {"first": first, "second": second, "device": first_device,
            "x_requires_grad": x.requires_grad, "x_has_grad": x.grad is not None,
            "x_changed": not torch.equal(x.detach(), before)}


def depth_values(learner, cases, weight, tol, device):
    """dynamic_depth on each (x, max_steps) case."""
    replies = []
    for x, max_steps in cases:
        out = learner.graph.dynamic_depth(x.to(device), weight.to(device), tol, max_steps)
        if not isinstance(out, (tuple, list)) or len(out) != 2 or not isinstance(out[0], torch.Tensor):
            return {"type": type(out).__name__}
        h, steps = out
        if isinstance(steps, torch.Tensor) and steps.numel() == 1:
            steps = steps.item()
        replies.append({"h": h, "device": str(h.device),
                        "steps": steps if isinstance(steps, (int, float)) else type(steps).__name__})
    return {"cases": replies}


def depth_gradients(learner, x, weight, out_weights, tol, max_steps, device):
    """Gradients of sum(h * out_weights) w.r.t. x and weight, and gradcheck's verdict, in float64."""
    x = x.to(device=device, dtype=torch.float64).requires_grad_(True)
    weight = weight.to(device=device, dtype=torch.float64).requires_grad_(True)
    h, _ = learner.graph.dynamic_depth(x, weight, tol, max_steps)
    if not isinstance(h, torch.Tensor):
        return {"type": type(h).__name__}
    reply = {"h": h, "requires_grad": h.requires_grad, "grads": None}
    if not reply["requires_grad"]:
        return reply
    (h * out_weights.to(device)).sum().backward()
    reply["grads"] = [x.grad, weight.grad]
    reply["gradcheck"] = probekit.capture(
        torch.autograd.gradcheck, lambda a, b: learner.graph.dynamic_depth(a, b, tol, max_steps)[0],
        (x.detach().requires_grad_(True), weight.detach().requires_grad_(True)), eps=1e-6, atol=1e-5, rtol=1e-3)
    return reply


# -- trusted helpers ------------------------------------------------------------------
tensor_on = functools.partial(toolkit.tensor_on, expected=N_("its inputs were on {device}"), device_hint=DEVICE_HINT)


def close(actual, expected, rtol=1e-5, atol=1e-5):
    return actual.shape == expected.shape and bool(torch.allclose(actual.double(), expected.double(), rtol, atol))


def mlp_inputs(rng):
    """Random (x, w1, b1, w2, b2), redrawn until no hidden unit sits on ReLU's kink."""
    n, d, h, c = draw_int(rng, 2, 6), draw_int(rng, 3, 6), draw_int(rng, 4, 8), draw_int(rng, 2, 5)
    for _ in range(50):
        tensors = [torch.randn(*shape, generator=rng) for shape in ((n, d), (h, d), (h,), (c, h), (c,))]
        if float((tensors[0] @ tensors[1].T + tensors[2]).abs().min()) > 1e-2:
            break
    return tensors


def depth_problem(rng):
    """A contracting weight, a tolerance, and inputs whose trajectories stay clear of the threshold."""
    dim = draw_int(rng, 4, 7)
    weight = torch.randn(dim, dim, generator=rng, dtype=torch.float64)
    weight *= (0.45 + 0.25 * float(torch.rand((), generator=rng))) / torch.linalg.matrix_norm(weight, 2)
    tol = 0.05 + 0.15 * float(torch.rand((), generator=rng))
    return weight, tol


def trajectory(x, weight, tol, max_steps):
    """The reference loop's norms, to reject inputs whose step count rounding could flip."""
    h, norms = x, [float(x.norm())]
    while len(norms) <= max_steps and norms[-1] > tol:
        h = torch.tanh(weight @ h)
        norms.append(float(h.norm()))
    return norms


def clear_input(rng, dim, scale, weight, tol, max_steps):
    for _ in range(100):
        x = torch.randn(dim, generator=rng, dtype=torch.float64)
        x *= scale / x.norm()
        if all(abs(n - tol) > 1e-3 for n in trajectory(x, weight, tol, max_steps)):
            return x
    raise AssertionError("could not draw a well-separated input")


# -- checks -----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_relu_between_layers_and_raw_logits(learner, reference, rng, device):
    tensors = mlp_inputs(rng)
    x, w1, b1, w2, b2 = tensors
    what = t("mlp_logits(x, w1, b1, w2, b2) for x of shape {shape}", shape=tuple(x.shape))
    out = tensor_on(learner.run(call, "mlp_logits", tensors, {}, device), what, device)
    expected = reference.graph.mlp_logits(*tensors)
    expect_shape(out, expected.shape, what, t("one row per sample, one column per class: (N, C)"))
    mlp = reference.graph.mlp_logits
    if not close(out, expected):
        if close(out, torch.relu(expected)) or close(out, torch.relu(mlp(torch.relu(x), w1, b1, w2, b2))):
            fail(t("{what} has no negative logits, though {negative} of {total} should be: a ReLU sits on the output "
                   "layer", what=what, negative=int((expected < 0).sum()), total=expected.numel()), OUTPUT_RELU_HINT)
        if close(out, mlp(torch.relu(x), w1, b1, w2, b2)):
            fail(t("{what} matches a network that applies ReLU to the input x", what=what),
                 t("activations act on a layer's output, not on the data fed to the first layer"))
        if close(out, (x @ w1.T + b1) @ w2.T + b2):
            fail(t("{what} has no nonlinearity between the layers", what=what),
                 t("apply torch.relu to the hidden layer: without it the two layers collapse into one linear map"))
    expect_close(out, expected, what, rtol=1e-5, atol=1e-5,
                 hint=t("hidden = relu(x @ w1.T + b1); logits = hidden @ w2.T + b2"))


@pytest.mark.points(2)
def test_gradients_flow_through_the_mlp(learner, reference, rng, device):
    tensors = mlp_inputs(rng)
    out_weights = torch.randn(tensors[0].shape[0], tensors[3].shape[0], generator=rng)
    what = "mlp_logits(x, w1, b1, w2, b2)"
    reply = learner.run(mlp_backward, tensors, out_weights, device)
    out = tensor_on(reply, what, device)
    leaves = [t.clone().requires_grad_(True) for t in tensors]
    expected_out = reference.graph.mlp_logits(*leaves)
    (expected_out * out_weights).sum().backward()
    if not reply["requires_grad"]:
        fail(t("{what} returned a tensor that does not require grad although every input did", what=what), CUT_HINT)
    expect_shape(out, expected_out.shape, what, t("one row per sample, one column per class: (N, C)"))
    if not close(out, expected_out.detach()):
        fail(t("{what} computes the wrong values, so its gradients cannot match either (see "
               "relu_between_layers_and_raw_logits)", what=what))
    names = ("x", "w1", "b1", "w2", "b2")
    missing = [name for name, g in zip(names, reply["grads"]) if g is None]
    if missing:
        fail(t("no gradient reached {names} after backward()", names=', '.join(missing)), CUT_HINT)
    for name, got, leaf in zip(names, reply["grads"], leaves):
        expect_close(got, leaf.grad, t("the gradient of {name}", name=name), rtol=1e-4, atol=1e-5, hint=CUT_HINT)
    verdict = learner.run(mlp_gradcheck, tensors, device)
    if "raised" in verdict:
        fail(t("torch.autograd.gradcheck of mlp_logits in float64 failed: {error}", error=verdict['error']), CUT_HINT)


@pytest.mark.points(1)
def test_softmax_over_the_classes(learner, reference, rng, device):
    n, steps, c = draw_int(rng, 2, 6), draw_int(rng, 2, 4), draw_int(rng, 3, 7)
    cases = {t("logits of shape {shape}", shape=(n, c)): torch.randn(n, c, generator=rng) * 3,
             t("logits of shape {shape}", shape=(n, steps, c)): torch.randn(n, steps, c, generator=rng) * 3,
             t("large logits (around 1000) of shape {shape}", shape=(n, c)):
                 torch.randn(n, c, generator=rng) * 30 + 1000}
    for described, logits in cases.items():
        what = t("probabilities(logits) for {described}", described=described)
        out = tensor_on(learner.run(call, "probabilities", [logits], {}, device), what, device)
        expect_shape(out, logits.shape, what, t("softmax keeps the shape of the logits"))
        expect_finite(out, what, t("exp() overflows for large logits: torch.softmax subtracts each row's maximum "
                                   "first"))
        expected = reference.graph.probabilities(logits)
        if not close(out, expected, 1e-5, 1e-6):
            sums = out.double().sum(dim=-1)
            worst = float((sums - 1).abs().max())
            if worst > 1e-4:
                fail(t("{what}: the probabilities over the last dimension should sum to 1, but some sum to "
                       "{total:.4g}", what=what, total=float(sums.flatten()[(sums - 1).abs().argmax()])), SOFTMAX_HINT)
        expect_close(out, expected, what, rtol=1e-5, atol=1e-6, hint=SOFTMAX_HINT)


@pytest.mark.points(1)
def test_sigmoid_for_multilabel(learner, reference, rng, device):
    n, c = draw_int(rng, 2, 6), draw_int(rng, 2, 7)
    logits = torch.randn(n, c, generator=rng) * 4
    logits[0, 0], logits[-1, -1] = 120.0, -120.0
    what = t("probabilities(logits, multilabel=True) for logits of shape {shape}", shape=(n, c))
    out = tensor_on(learner.run(call, "probabilities", [logits], {"multilabel": True}, device), what, device)
    expect_shape(out, logits.shape, what)
    expect_finite(out, what, t("torch.sigmoid is stable for large logits of either sign"))
    expected = reference.graph.probabilities(logits, multilabel=True)
    if not close(out, expected, 1e-5, 1e-6) and close(out, torch.softmax(logits, dim=-1), 1e-5, 1e-6):
        fail(t("{what} sums to 1 along each row, like a softmax", what=what),
             t("with several labels per sample, each entry is its own yes/no probability: torch.sigmoid(logits)"))
    expect_close(out, expected, what, rtol=1e-5, atol=1e-6, hint=t("an element-wise torch.sigmoid(logits)"))


@pytest.mark.points(2)
def test_gradient_helper_is_repeatable_and_side_effect_free(learner, rng, device):
    shape = (draw_int(rng, 2, 5), draw_int(rng, 2, 6))
    x = torch.randn(*shape, generator=rng) * 2
    a = torch.randn(*shape, generator=rng)
    expected = a * (torch.sin(x) + x * torch.cos(x))
    what = t("gradient(fn, x) for x of shape {shape} and fn(t) = (a * sin(t) * t).sum()", shape=shape)
    reply = learner.run(gradient_twice, x, a, device)
    if "type" in reply:
        fail(t("{what} should return a tensor, got a {type}", what=what, type=reply['type']), GRAD_HINT)
    if not on_device(reply["device"], device):
        fail(t("{what} is on {where}, but x was on {device}", what=what, where=reply['device'],
               device=device), DEVICE_HINT)
    expect_close(reply["first"], expected, what, rtol=1e-5, atol=1e-5, hint=GRAD_HINT)
    second = reply["second"]
    expect_shape(second, shape, t("a second call of {what}", what=what))
    if not close(second, reply["first"], 1e-6, 1e-6):
        ratio = float((second.double() * reply["first"].double()).sum() / reply["first"].double().pow(2).sum())
        fail(t("a second call of gradient(fn, x) with the same x returned {ratio:.3g} times the first answer: "
               "gradients are accumulating in x.grad",
               ratio=ratio), t("{hint} (autograd.grad does not accumulate)", hint=GRAD_HINT))
    if reply["x_has_grad"]:
        fail(t("gradient(fn, x) left a .grad on the caller's tensor x"), GRAD_HINT)
    if reply["x_requires_grad"]:
        fail(t("gradient(fn, x) switched on requires_grad for the caller's tensor x"), GRAD_HINT)
    if reply["x_changed"]:
        fail(t("gradient(fn, x) changed the values of the caller's tensor x"), t("do not modify x in place"))


@pytest.mark.points(1)
def test_dynamic_depth_follows_the_data(learner, reference, rng, device):
    weight, tol = depth_problem(rng)
    dim, max_steps = weight.shape[0], draw_int(rng, 8, 12)
    plan = [(tol * 0.5, max_steps), (tol * 4, max_steps), (1.0, max_steps), (8.0, max_steps), (8.0, 2)]
    cases = [(clear_input(rng, dim, scale, weight, tol, steps).float(), steps) for scale, steps in plan]
    reply = learner.run(depth_values, cases, weight.float(), tol, device)
    if "type" in reply:
        fail(t("dynamic_depth(x, weight, tol, max_steps) should return a pair (h, steps), got a {type}",
               type=reply['type']))
    for (x, steps_allowed), got in zip(cases, reply["cases"]):
        what = t("dynamic_depth(x, weight, tol={tol:.3g}, max_steps={max_steps}) for x with norm {norm:.3g}",
                 tol=tol, max_steps=steps_allowed, norm=float(x.norm()))
        h, steps = reference.graph.dynamic_depth(x.float(), weight.float(), tol, steps_allowed)
        if got["steps"] != steps:
            fail(t("{what} took {steps} steps, expected {expected}", what=what, steps=got['steps'], expected=steps),
                 t("loop while h.norm() > tol and fewer than max_steps steps were taken, testing before every step "
                   "(the graph is as deep as the data asks)"))
        if not on_device(got["device"], device):
            fail(t("h from {what} is on {where}, but x was on {device}", what=what,
                   where=got['device'], device=device), DEVICE_HINT)
        expect_close(got["h"], h, t("h from {what}", what=what), rtol=1e-4, atol=1e-6,
                     hint=t("each step is h = torch.tanh(weight @ h)"))


@pytest.mark.points(1)
def test_dynamic_depth_gradients(learner, reference, rng, device):
    weight, tol = depth_problem(rng)
    dim, max_steps = weight.shape[0], draw_int(rng, 6, 10)
    for scale in (tol * 3, 6.0):
        x = clear_input(rng, dim, scale, weight, tol, max_steps)
        out_weights = torch.randn(dim, generator=rng, dtype=torch.float64)
        what = t("dynamic_depth(x, weight, tol={tol:.3g}, max_steps={max_steps}) for x with norm {norm:.3g}",
                 tol=tol, max_steps=max_steps, norm=scale)
        reply = learner.run(depth_gradients, x, weight, out_weights, tol, max_steps, device)
        if "type" in reply:
            fail(t("h from {what} should be a tensor, got a {type}", what=what, type=reply['type']))
        if not reply["requires_grad"]:
            fail(t("h from {what} does not require grad although x and weight did", what=what), CUT_HINT)
        leaf_x, leaf_w = x.clone().requires_grad_(True), weight.clone().requires_grad_(True)
        h, _ = reference.graph.dynamic_depth(leaf_x, leaf_w, tol, max_steps)
        expect_shape(reply["h"], h.shape, t("h from {what}", what=what))
        if not close(reply["h"], h.detach(), 1e-6, 1e-9):
            fail(t("h from {what} has the wrong values, so its gradients cannot match either (see "
                   "dynamic_depth_follows_the_data)", what=what))
        (h * out_weights).sum().backward()
        for name, got, leaf in zip(("x", "weight"), reply["grads"], (leaf_x, leaf_w)):
            if got is None:
                fail(t("no gradient reached {name} through {what}", name=name, what=what), CUT_HINT)
            expect_close(got, leaf.grad, t("the gradient of {name} through {what}", name=name,
                                           what=what), rtol=1e-6, atol=1e-9,
                         hint=CUT_HINT)
        if "raised" in reply["gradcheck"]:
            fail(t("torch.autograd.gradcheck of {what} failed: {error}", what=what,
                   error=reply['gradcheck']['error']), CUT_HINT)
