"""Hidden checks for exercise 03, "the shapes of convolution and pooling".

Expected sizes are not taken from a formula but from what ``nn.Conv2d`` and
``nn.MaxPool2d`` really produce, run here in the trusted process on the
``meta`` device (shapes only, no arithmetic, so hundreds of settings are cheap).
"""

import pytest
import torch
import torch.nn as nn

from grader.checks.toolkit import draw_int, on_device, raised
from grader.expect import fail
from grader.i18n import t
from grader.sandbox.inside import probekit

CONV_DOCS_HINT = t("a kernel of k taps with dilation d spans d*(k-1)+1 pixels; count how many stride-sized steps "
                   "fit in h + 2*padding (the Shape section of nn.Conv2d's documentation)")
DILATION_HINT = t("every wrong case has dilation > 1: a dilated kernel spans dilation*(kernel-1)+1 pixels")
STRIDE_HINT = t("every wrong case has stride > 1: divide by the stride, round down (//), then add 1")
PADDING_HINT = t("every wrong case has padding > 0: padding adds pixels on both sides, h + 2*padding")
POOL_STRIDE_HINT = t("every wrong case leaves the stride out: nn.MaxPool2d's stride defaults to its kernel size, not "
                     "1")
LAYER_HINT = {
    "same_conv": t("pad each side by the pixels the kernel's span adds beyond one: (span - 1) // 2 with span = "
                   "dilation*(kernel-1)+1"),
    "conv_between": t("with stride 1, out = in + 2*padding - kernel + 1 along each axis: choose kernel and padding "
                      "per axis (they may be pairs), padding only where the output must grow"),
}
CEIL_HINT = t("every wrong case has ceil_mode=True: round up instead of down, but drop a last window that would "
              "start in the right-hand padding")


# -- probes: run inside the sandbox ---------------------------------------------------
def sizes(learner, function, cases):
    """learner.shapes.<function>(*args, **kwargs) for every case: ints, what came instead, or what it raised."""
    fn = getattr(learner.shapes, function)
    replies = []
    for args, kwargs in cases:
        reply = probekit.capture(fn, *args, **kwargs)
        value = reply.pop("value", None)
        if "raised" in reply:
            pass
        elif isinstance(value, (list, tuple)) and all(type(v) is int for v in value):
            reply["value"] = list(value)
        elif type(value) is int:
            reply["value"] = value
        elif type(value) is float:
            reply["float"] = value
        else:
            reply.update(type=type(value).__name__, repr=repr(value)[:60])
        replies.append(reply)
    return replies


def layer_shapes(learner, function, cases, device):
    """Build learner.shapes.<function>(*args) for each case and run it on a random input.

    What building or running the layer raised comes back as data.
    """
    replies = []
    for args, input_shape in cases:
        built = probekit.capture(getattr(learner.shapes, function), *args)
        layer = built.pop("value", None)
        reply = {"built": built, "ran": {}, "shape": None, "device": ""}
        replies.append(reply)
        if "raised" in built:
            continue
        if not isinstance(layer, torch.nn.Conv2d):
            reply["type"] = type(layer).__name__
            continue
        layer = layer.to(device)
        reply.update(kernel_size=tuple(layer.kernel_size), dilation=tuple(layer.dilation), stride=tuple(layer.stride))
        ran = probekit.capture(layer, torch.randn(*input_shape, device=device))  # may not fit the padded input
        out = ran.pop("value", None)
        reply["ran"] = ran
        if out is not None:
            reply.update(shape=tuple(out.shape), device=str(out.device))
    return replies


# -- trusted helpers ------------------------------------------------------------------
def real_conv_size(h, kernel, stride=1, padding=0, dilation=1):
    """What nn.Conv2d produces along one axis, or None where it refuses."""
    layer = nn.Conv2d(1, 1, kernel, stride, padding, dilation, bias=False, device="meta")
    try:
        return layer(torch.empty(1, 1, h, h, device="meta")).shape[-1]
    except RuntimeError:
        return None


def real_pool_size(h, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
    layer = nn.MaxPool2d(kernel, stride, padding, dilation, ceil_mode=ceil_mode)
    try:
        return layer(torch.empty(1, 1, h, h, device="meta")).shape[-1]
    except RuntimeError:
        return None


def real_stack_sizes(size, layers):
    x, out = torch.empty(1, 1, size, size, device="meta"), []
    for kind, kernel, stride, padding, dilation in layers:
        if kind == "conv":
            x = nn.Conv2d(1, 1, kernel, stride, padding, dilation, bias=False, device="meta")(x)
        else:
            x = nn.MaxPool2d(kernel, stride, padding, dilation)(x)
        out.append(x.shape[-1])
    return out


def call_text(function, args, kwargs):
    parts = [str(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{function}({', '.join(parts)})"


def answer_of(reply, what, hint=None):
    """The int (or list) the learner returned, or a failure that says what came instead."""
    if "raised" in reply:
        fail(t("{what} raised {raised}", what=what, raised=raised(reply)), hint)
    if "float" in reply:
        fail(t("{what} returned {number!r}, a float", what=what, number=reply["float"]),
             t("sizes are whole pixels: use // (floor division), not /"))
    if "type" in reply:
        fail(t("{what} returned a {type} ({repr})", what=what, type=reply['type'],
               repr=reply['repr']), t("return a plain Python int"))
    return reply["value"]


def judge_sizes(function, cases, replies, expected, classify):
    """Fail on the first wrong answer, saying how many were wrong and, where a pattern shows, why."""
    wrong = []
    for (args, kwargs), reply, want in zip(cases, replies, expected):
        what = call_text(function, args, kwargs)
        if "raised" in reply or "float" in reply or "type" in reply:
            answer_of(reply, what)
        if reply["value"] != want:
            wrong.append((what, args, kwargs, reply["value"], want))
    if wrong:
        what, _, _, got, want = wrong[0]
        fail(t("{what} returned {got}, but {layer} produces {want} ({count} of {total} random settings wrong)",
               what=what, got=got, layer="nn.Conv2d" if function.startswith("conv") else "nn.MaxPool2d", want=want,
               count=len(wrong), total=len(cases)), classify(wrong))


def expect_built_conv(reply, what, hint) -> None:
    """``layer_shapes`` built an nn.Conv2d without raising."""
    if "raised" in reply["built"]:
        fail(t("{what} raised {raised}", what=what, raised=raised(reply['built'])), hint)
    if "type" in reply:
        fail(t("{what} should return an nn.Conv2d, got a {type}", what=what, type=reply['type']), hint)


def expect_output_shape(reply, what, shape, want, device, hint) -> None:
    """The layer ran on an input of ``shape`` and gave ``want``, on ``device``."""
    if reply["ran"] or reply["shape"] != want:
        got = (t("fails with {raised}", raised=raised(reply["ran"])) if reply["ran"]
               else t("gives {shape}", shape=reply["shape"]))
        fail(t("{what} on an input of shape {shape} {got}; expected {want}", what=what, shape=shape, got=got,
               want=want), hint)
    if not on_device(reply["device"], device):
        fail(t("{what}'s output is on {where}, expected {device}", what=what, where=reply["device"], device=device))


def conv_case(rng):
    h, k, s = draw_int(rng, 1, 64), draw_int(rng, 1, 11), draw_int(rng, 1, 4)
    p, d = draw_int(rng, 0, 5), draw_int(rng, 1, 3)
    return h, k, s, p, d


# -- checks -----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_conv_formula_matches_conv2d(learner, rng):
    cases, expected = [], []
    while len(cases) < 300:
        h, k, s, p, d = conv_case(rng)
        if len(cases) < 30:  # the boundary: a kernel that fits exactly once
            h = d * (k - 1) + 1 - 2 * p
            if h < 1:
                continue
        real = real_conv_size(h, k, s, p, d)
        if real is None:
            continue
        if len(cases) % 10 == 9:  # the defaults: stride 1, padding 0, dilation 1
            cases.append(((h, k), {}))
            expected.append(real_conv_size(h, k))
            if expected[-1] is None:
                cases.pop(), expected.pop()
            continue
        cases.append(((h, k), {"stride": s, "padding": p, "dilation": d}))
        expected.append(real)
    replies = learner.run(sizes, "conv_output_size", cases)

    def classify(wrong):
        for key, hint in (("dilation", DILATION_HINT), ("stride", STRIDE_HINT), ("padding", PADDING_HINT)):
            if all(kwargs.get(key, 0) > (1 if key != "padding" else 0) for _, _, kwargs, _, _ in wrong):
                return hint
        return CONV_DOCS_HINT

    judge_sizes("conv_output_size", cases, replies, expected, classify)


@pytest.mark.points(1)
@pytest.mark.requires("conv_formula_matches_conv2d")
def test_conv_formula_rejects_kernels_that_do_not_fit(learner, rng):
    cases = []
    while len(cases) < 25:
        k, s, p, d = draw_int(rng, 3, 11), draw_int(rng, 1, 3), draw_int(rng, 0, 3), draw_int(rng, 1, 3)
        span = d * (k - 1) + 1
        if span - 2 * p - 1 < 1:
            continue
        h = draw_int(rng, 1, span - 2 * p - 1)
        assert real_conv_size(h, k, s, p, d) is None, "nn.Conv2d should refuse this setting"
        cases.append(((h, k), {"stride": s, "padding": p, "dilation": d}))
    replies = learner.run(sizes, "conv_output_size", cases)
    for (args, kwargs), reply in zip(cases, replies):
        what = call_text("conv_output_size", args, kwargs)
        span = kwargs["dilation"] * (args[1] - 1) + 1
        if reply.get("raised") == "ValueError":
            continue
        problem = t("a kernel spanning {span} pixels does not fit in {size} pixels padded by {padding} on each side",
                    span=span, size=args[0], padding=kwargs["padding"])
        if "raised" in reply:
            message = reply["error"].removeprefix(f"{reply['raised']}: ")
            fail(t("{what} raised {raised} ({message}), expected ValueError: {problem}", what=what,
                   raised=reply['raised'], message=message, problem=problem),
                 t("raise ValueError(...) when h + 2*padding is smaller than the kernel's span"))
        fail(t("{what} returned {got}, but nn.Conv2d refuses this layer: {problem}", what=what,
               got=reply.get("value", reply.get("float", reply.get("type"))), problem=problem),
             t("raise ValueError(...) when h + 2*padding is smaller than the kernel's span"))


@pytest.mark.points(2)
def test_pool_formula_matches_maxpool2d(learner, rng):
    cases, expected = [], []
    while len(cases) < 300:
        h, k = draw_int(rng, 1, 64), draw_int(rng, 1, 6)
        stride = None if draw_int(rng, 0, 2) == 0 else draw_int(rng, 1, 4)
        p, d, ceil = draw_int(rng, 0, k // 2), draw_int(rng, 1, 2), bool(draw_int(rng, 0, 1))
        real = real_pool_size(h, k, stride, p, d, ceil)
        if real is None or real < 1:
            continue
        kwargs = {"padding": p, "dilation": d, "ceil_mode": ceil}
        if stride is not None or draw_int(rng, 0, 1):
            kwargs = {"stride": stride, **kwargs}  # stride=None spelled out half of the time
        cases.append(((h, k), kwargs))
        expected.append(real)
    replies = learner.run(sizes, "pool_output_size", cases)

    def classify(wrong):
        if all(kwargs.get("stride") is None for _, _, kwargs, _, _ in wrong):
            return POOL_STRIDE_HINT
        if all(kwargs["ceil_mode"] for _, _, kwargs, _, _ in wrong):
            return CEIL_HINT
        return t("the same arithmetic as a convolution, with stride defaulting to kernel and ceil_mode rounding up")

    judge_sizes("pool_output_size", cases, replies, expected, classify)


@pytest.mark.points(1)
def test_feature_sizes_follow_the_layers(learner, reference, rng):
    stacks = [(28, list(reference.shapes.ARTICLE_LAYERS))]
    while len(stacks) < 7:
        size, layers = draw_int(rng, 16, 64), []
        for _ in range(draw_int(rng, 2, 5)):
            for _attempt in range(20):
                if draw_int(rng, 0, 1):
                    layer = ("conv", draw_int(rng, 1, 7), draw_int(rng, 1, 2), draw_int(rng, 0, 3), draw_int(rng, 1, 2))
                else:
                    k = draw_int(rng, 2, 3)
                    layer = ("pool", k, draw_int(rng, 1, 3), draw_int(rng, 0, k // 2), 1)
                try:
                    real_stack_sizes(size, layers + [layer])
                except RuntimeError:
                    continue
                layers.append(layer)
                break
        stacks.append((size, layers))
    cases = [((size, layers), {}) for size, layers in stacks]
    replies = learner.run(sizes, "feature_sizes", cases)
    for (size, layers), reply in zip(stacks, replies):
        what = f"feature_sizes({size}, {'ARTICLE_LAYERS' if layers == stacks[0][1] else layers})"
        hint = t("apply conv_output_size or pool_output_size layer by layer, feeding each result into the next, and "
                 "return one size per layer")
        got, want = answer_of(reply, what, hint), real_stack_sizes(size, layers)
        if got != want:
            fail(t("{what} returned {got}, but the layers really produce {want}", what=what, got=got, want=want), hint)


@pytest.mark.points(1)
def test_article_flat_features(learner, rng):
    image_sizes = [28] + [draw_int(rng, 16, 80) for _ in range(3)]
    replies = learner.run(sizes, "article_flat_features", [((s,), {}) for s in image_sizes])
    for size, reply in zip(image_sizes, replies):
        what = f"article_flat_features({size})"
        x = torch.empty(1, 1, size, size, device="meta")
        for in_channels in (1, 64):  # the article's conv1 and conv2, each followed by a 2x2 max-pool
            x = nn.functional.max_pool2d(nn.Conv2d(in_channels, 64, 32, padding=16, device="meta")(x), 2)
        want = x.flatten(1).shape[1]
        got = answer_of(reply, what)
        if got != want:
            side = x.shape[-1]
            fail(t("{what} returned {got}, but the article's layers leave {want} features (64 channels of "
                   "{side}x{side}) for a {size}x{size} image", what=what, got=got, want=want, side=side, size=size),
                 t("64*8*8 was a guess: run feature_sizes(size, ARTICLE_LAYERS) and square the last size"))


@pytest.mark.points(1)
def test_same_conv_keeps_height_and_width(learner, rng, device):
    cases, wanted = [], []
    for i in range(4):
        c_in, c_out = draw_int(rng, 1, 4), draw_int(rng, 1, 8)
        k = 2 * draw_int(rng, 1 if i == 0 else 0, 3) + 1
        d = draw_int(rng, 1, 3)
        n, h, w = draw_int(rng, 1, 3), draw_int(rng, 5, 16), draw_int(rng, 5, 16)
        cases.append(((c_in, c_out, k, d), (n, c_in, h, w)))
        wanted.append((n, c_out, h, w))
    replies = learner.run(layer_shapes, "same_conv", cases, device)
    for ((c_in, c_out, k, d), shape), reply, want in zip(cases, replies, wanted):
        what = f"same_conv({c_in}, {c_out}, {k}, dilation={d})"
        expect_built_conv(reply, what, LAYER_HINT["same_conv"])
        if reply["kernel_size"] != (k, k) or reply["dilation"] != (d, d) or reply["stride"] != (1, 1):
            fail(t("{what} built a Conv2d with kernel_size={kernel_size}, dilation={dilation}, stride={stride}; "
                   "asked for kernel_size={asked_kernel}, dilation={asked_dilation}, stride=(1, 1)", what=what,
                   kernel_size=reply["kernel_size"], dilation=reply["dilation"], stride=reply["stride"],
                   asked_kernel=(k, k), asked_dilation=(d, d)),
                 t("keep the kernel and dilation you were given; only the padding is yours to choose"))
        expect_output_shape(reply, what, shape, want, device, LAYER_HINT["same_conv"])


@pytest.mark.points(2)
def test_conv_between_maps_the_shapes(learner, rng, device):
    cases, wanted = [], []
    for i in range(5):
        c_in, h, w = draw_int(rng, 1, 4), draw_int(rng, 4, 20), draw_int(rng, 4, 20)
        grow = (i % 2 == 1)
        h_out = draw_int(rng, h + 1, h + 7) if grow else draw_int(rng, 1, h)
        w_out = draw_int(rng, 1, w) if grow else draw_int(rng, w, w + 7)
        c_out, n = draw_int(rng, 1, 8), draw_int(rng, 1, 3)
        cases.append((((c_in, h, w), (c_out, h_out, w_out)), (n, c_in, h, w)))
        wanted.append((n, c_out, h_out, w_out))
    replies = learner.run(layer_shapes, "conv_between", cases, device)
    for ((in_shape, out_shape), shape), reply, want in zip(cases, replies, wanted):
        what = f"conv_between({in_shape}, {out_shape})"
        expect_built_conv(reply, what, LAYER_HINT["conv_between"])
        expect_output_shape(reply, what, shape, want, device, LAYER_HINT["conv_between"])
