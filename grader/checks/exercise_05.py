"""Hidden checks for exercise 05, "the same network, as an nn.Sequential".

The learner's ``build_net()`` must compute what exercise 04's reference ``Net``
computes. Weights are drawn here from the run's seed, sent to the sandbox and
loaded into the learner's Sequential *by position* (its state_dict names are
0.weight, 3.weight, ... or whatever the learner chose); the same weights go
into the reference Net in this trusted process, and the logits are compared.
"""

import functools
import math

import pytest
import torch

from grader.checks.toolkit import (
    draw_int,
    expect_logits_for_any_batch_size,
    expect_logits_on,
    expect_raw_logits,
    expect_samples_do_not_mix,
    images,
    model_on_images,
)
from grader.expect import expect_close, expect_every_gradient, expect_finite, expect_shape, fail
from grader.i18n import t
from grader.references import load_reference
from grader.sandbox.inside import probekit

# Other exercises' solutions these checks read (the course's fingerprint of this exercise covers them).
OTHER_SOLUTIONS = ("exercise-04",)

SEQUENCE_HINT = t("nn.Sequential runs only the modules you list: after each Conv2d put nn.ReLU() and "
                  "nn.MaxPool2d(2), then nn.Flatten() before fc1, nn.ReLU() between fc1 and fc2, nothing after fc2")
LAYERS_HINT = t("keep exactly the four layers conv1, conv2, fc1, fc2 with Net's sizes, in that order; ReLU, "
                "MaxPool2d and Flatten add no parameters")


# -- probes: run inside the sandbox -------------------------------------------------
def seq_forward(learner, weights, inputs, device, seed):
    torch.backends.cudnn.allow_tf32 = False  # compare full float32 maths on GPUs too
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.manual_seed(seed)
    net = learner.sequential.build_net()
    entries = list(net.state_dict().items())
    info = {"type": f"{type(net).__module__}.{type(net).__qualname__}",
            "is_sequential": isinstance(net, torch.nn.Sequential),
            "entries": [(name, tuple(t.shape)) for name, t in entries],
            "outputs": None}
    if weights is not None:
        if [tuple(t.shape) for _, t in entries] != [tuple(w.shape) for w in weights]:
            return info
        net.load_state_dict({name: w for (name, _), w in zip(entries, weights)})
    return {**info, **probekit.eval_logits(net, inputs, device)}


def seq_gradients(learner, x, device, seed):
    torch.manual_seed(seed)
    return probekit.gradient_sums(learner.sequential.build_net().to(device), x.to(device))


# -- helpers (trusted side) ---------------------------------------------------------
@functools.cache
def net_layout() -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(name, shape) of every state_dict entry of exercise 04's reference Net, in order."""
    net = reference_net()
    return tuple((name, tuple(t.shape)) for name, t in net.state_dict().items())


def random_weights(rng) -> list[torch.Tensor]:
    """He-scaled weights (and biases) for Net's layers, drawn from the check's generator."""
    weights, scale = [], 1.0
    for name, shape in net_layout():
        if name.endswith("weight"):
            scale = math.sqrt(2.0 / math.prod(shape[1:]))
        weights.append(torch.randn(shape, generator=rng) * scale)
    return weights


def reference_net() -> torch.nn.Module:
    return load_reference(OTHER_SOLUTIONS[0], "net").Net()


def reference_logits(weights, x) -> torch.Tensor:
    net = reference_net()
    net.load_state_dict({name: w for (name, _), w in zip(net_layout(), weights)})
    with torch.no_grad():
        return net.eval()(x)


def describe_layout(entries) -> str:
    return ", ".join(f"{name} {tuple(shape)}" for name, shape in entries)


def expect_same_layout(info) -> None:
    mine, theirs = [tuple(s) for _, s in info["entries"]], [s for _, s in net_layout()]
    if mine == theirs:
        return
    if len(mine) != len(theirs):
        fail(t("build_net() has {count} parameter tensors ({layout}); Net has {theirs}",
               count=len(mine), layout=describe_layout(info["entries"]), theirs=len(theirs)), LAYERS_HINT)
    i = next(i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b)
    fail(t("parameter #{i} of build_net() is {name} with shape {shape}, but Net's is {their_name} with shape "
           "{their_shape}", i=i, name=info["entries"][i][0], shape=mine[i], their_name=net_layout()[i][0],
           their_shape=theirs[i]), LAYERS_HINT)


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(1)
@pytest.mark.requires("output_shape_for_any_batch_size")
def test_is_a_sequential(learner, check_seed):
    info = learner.run(seq_forward, None, [], "cpu", check_seed)
    if not info["is_sequential"]:
        fail(t("build_net() returned a {type}, not an nn.Sequential", type=info['type']),
             t("return nn.Sequential(...) holding every step as a module"))


@pytest.mark.points(1)
@pytest.mark.requires("output_shape_for_any_batch_size")
def test_same_layers_as_net(learner, check_seed):
    expect_same_layout(learner.run(seq_forward, None, [], "cpu", check_seed))


@pytest.mark.points(2)
def test_output_shape_for_any_batch_size(learner, rng, device, check_seed):
    expect_logits_for_any_batch_size(lambda batches: learner.run(seq_forward, None, batches, device, check_seed),
                                     rng, "build_net()", device, SEQUENCE_HINT, error_hint=SEQUENCE_HINT)


@pytest.mark.points(3)
def test_matches_net_with_same_weights(learner, rng, device, check_seed):
    weights = random_weights(rng)
    n = draw_int(rng, 2, 16)
    x = images(rng, n)
    info = learner.run(seq_forward, weights, [x], device, check_seed)
    if info["outputs"] is None:
        expect_same_layout(info)
    what = t("{what}, with Net's weights loaded in order", what=model_on_images("build_net()", n))
    out = expect_finite(expect_shape(info["outputs"][0], (n, 10), what, SEQUENCE_HINT), what, SEQUENCE_HINT)
    expected = reference_logits(weights, x)
    close = dict(rtol=1e-4, atol=1e-4)
    if not torch.allclose(out, expected, **close) and torch.allclose(out, expected.relu(), **close):
        fail(t("{what} equals Net's logits passed through a ReLU: negative logits are clamped to 0", what=what),
             t("put nothing after the last Linear layer; cross_entropy needs raw logits"))
    expect_close(out, expected, what, hint=SEQUENCE_HINT, **close)
    expect_logits_on(info["devices"], device)


@pytest.mark.points(1)
def test_samples_do_not_mix(learner, rng, device, check_seed):
    expect_samples_do_not_mix(lambda batches: learner.run(seq_forward, None, batches, device, check_seed)["outputs"],
                              rng, draw_int(rng, 8, 32), "build_net()", SEQUENCE_HINT,
                              t("flatten with nn.Flatten(), which keeps dim 0"))


@pytest.mark.points(1)
def test_gradients_reach_every_parameter(learner, rng, device, check_seed):
    grads = learner.run(seq_gradients, images(rng, 4), device, check_seed)
    expect_every_gradient(grads, "build_net()", t("is a layer's output detached?"))


@pytest.mark.points(1)
def test_returns_raw_logits(learner, rng, device, check_seed):
    out = learner.run(seq_forward, None, [images(rng, 32)], device, check_seed)["outputs"][0]
    expect_raw_logits(out, "build_net()", SEQUENCE_HINT,
                      t("end the Sequential with the last nn.Linear; cross_entropy applies log-softmax itself"))
