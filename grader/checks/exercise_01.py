"""Hidden checks for exercise 01, "tensors".

Every input is drawn from ``rng``; the learner's functions run in the sandbox
through the ``call`` probe, which reports results (and where they live) as
data; what they raise comes back as data too (``learner.attempt``). The
reference runs here, in the trusted process, on the CPU.
"""

import pytest
import torch

from grader.checks import toolkit
from grader.checks.toolkit import applied_to, draw_int, returned
from grader.expect import expect_close, expect_dtype, expect_shape, fail
from grader.i18n import t
from grader.sandbox.inside import probekit
from grader.sandbox.probes import shipped

LAYOUT_HINT = t("images are laid out (N, C, H, W): batch, channels, height, width")
SEED_HINT = t("draw with torch.randn(..., generator=torch.Generator().manual_seed(seed)) on the CPU, then move the "
              "result with .to(device)")
VIEW_HINT = t("view() needs memory laid out like the new shape; reshape() or flatten(1) copies when it must")
DEVICE_HINT = t("create or move the result with .to(device) (or device=...)")


# -- probe (and what it ships): runs inside the sandbox ---------------------------------
@shipped
def strided(x, layout):
    """``x`` as a non-contiguous view: transposed, permuted to channels-last, or sliced."""
    if layout == "transpose":
        return x.transpose(2, 3)
    if layout == "permute":
        return x.permute(0, 2, 3, 1)
    return x[:, :, ::2]


def call(learner, function, args, device=None, layout=None):
    """Call learner.tensors.<function>(*args) (tensor args moved to ``device`` first).

    ``layout`` makes the first argument non-contiguous *after* the move, so the
    learner surely receives a strided view.
    """
    if device is not None:
        args = probekit.on_device(args, device)
    if layout is not None:
        args[0] = strided(args[0], layout)
    contiguous = [a.is_contiguous() for a in args if isinstance(a, torch.Tensor)]
    result = getattr(learner.tensors, function)(*args)
    items = [probekit.packed(v) for v in result] if isinstance(result, (tuple, list)) else None
    return {"value": probekit.packed(result), "items": items, "args_contiguous": contiguous}


# -- trusted helpers ------------------------------------------------------------------
def called(learner, what, *args):
    """The ``call`` probe's reply, or a failure naming the learner's exception."""
    return returned(learner.attempt(call, *args), what)


def tensor_on(packed, what, device, hint=None):
    return toolkit.tensor_on(packed, what, device, hint, device_hint=DEVICE_HINT)


# -- checks -----------------------------------------------------------------------------
@pytest.mark.points(1)
def test_random_images_layout(learner, rng, device):
    for _ in range(3):
        n, channels, size = draw_int(rng, 1, 5), draw_int(rng, 1, 4), draw_int(rng, 3, 12)
        seed = draw_int(rng, 0, 2**31 - 1)
        what = f"random_images({n}, {channels}, {size}, seed={seed}, device={device!r})"
        reply = called(learner, what, "random_images", [n, channels, size, seed, device])
        out = tensor_on(reply["value"], what, device)
        expect_shape(out, (n, channels, size, size), what, LAYOUT_HINT)
        expect_dtype(out, torch.float32, what, t("torch.randn makes float32 unless told otherwise"))


@pytest.mark.points(1)
def test_random_images_follow_the_seed(learner, reference, rng, device):
    n, channels, size = draw_int(rng, 1, 4), draw_int(rng, 1, 3), draw_int(rng, 4, 10)
    seed = draw_int(rng, 0, 2**31 - 2)
    outs = []
    for s in (seed, seed, seed + 1):
        what = f"random_images({n}, {channels}, {size}, seed={s}, device={device!r})"
        reply = called(learner, what, "random_images", [n, channels, size, s, device])
        out = tensor_on(reply["value"], what, device)
        expect_close(out, reference.tensors.random_images(n, channels, size, s), what,
                     rtol=0, atol=0, hint=SEED_HINT)
        outs.append(out)
    if torch.equal(outs[1], outs[2]):
        fail(t("random_images gave the same numbers for seeds {seed} and {next_seed}", seed=seed,
               next_seed=seed + 1), SEED_HINT)


@pytest.mark.points(1)
def test_flatten_keeps_the_batch(learner, reference, rng, device):
    shapes = [(1, draw_int(rng, 1, 4), draw_int(rng, 2, 6), draw_int(rng, 2, 6)),
              (draw_int(rng, 2, 9), draw_int(rng, 1, 4), draw_int(rng, 2, 6), draw_int(rng, 2, 6)),
              (draw_int(rng, 2, 9), draw_int(rng, 2, 20))]
    for shape in shapes:
        x = torch.randn(*shape, generator=rng)
        what = applied_to("flatten_batch(x)", shape)
        reply = called(learner, what, "flatten_batch", [x], device)
        out = tensor_on(reply["value"], what, device)
        expect_close(out, reference.tensors.flatten_batch(x), what, rtol=0, atol=0,
                     hint=t("keep dimension 0 and merge all the others: x.flatten(1)"))


@pytest.mark.points(2)
def test_flatten_handles_non_contiguous_input(learner, reference, rng, device):
    n, c, h, w = draw_int(rng, 2, 6), draw_int(rng, 2, 4), draw_int(rng, 3, 7), draw_int(rng, 3, 7)
    base = torch.randn(n, c, h, w, generator=rng)
    cases = [("transpose", t("transposed with x.transpose(2, 3)")),
             ("permute", t("permuted to channels-last with x.permute(0, 2, 3, 1)")),
             ("slice", t("sliced with x[:, :, ::2]"))]
    for layout, how in cases:
        x = strided(base, layout)
        what = t("{what} {how}", what=applied_to("flatten_batch(x)", tuple(x.shape)), how=how)
        attempt = learner.attempt(call, "flatten_batch", [base], device, layout)
        reply = returned(attempt, what, VIEW_HINT if "view" in attempt.error or "stride" in attempt.error else None)
        assert reply["args_contiguous"] == [False], "the probe should have passed a non-contiguous tensor"
        out = tensor_on(reply["value"], what, device)
        expect_close(out, reference.tensors.flatten_batch(x), what, rtol=0, atol=0, hint=VIEW_HINT)


@pytest.mark.points(2)
def test_prepare_batch_casts_scales_and_moves(learner, reference, rng, device):
    n, h, w = draw_int(rng, 1, 8), draw_int(rng, 4, 12), draw_int(rng, 4, 12)
    images = torch.randint(0, 256, (n, h, w), generator=rng, dtype=torch.uint8)
    labels = torch.randint(0, 10, (n,), generator=rng, dtype=torch.int32)
    what = f"prepare_batch(images, labels, {device!r})"
    reply = called(learner, what, "prepare_batch", [images, labels, device])
    items = reply["items"]
    if not items or len(items) != 2:
        got = reply["value"].get("type")
        fail(t("{what} should return a pair (x, y), got {type}", what=what, type=got) if got else
             t("{what} should return a pair (x, y), got a tensor", what=what))
    expected_x, expected_y = reference.tensors.prepare_batch(images, labels, "cpu")
    x = tensor_on(items[0], t("x from {what}", what=what), device)
    y = tensor_on(items[1], t("y from {what}", what=what), device)
    expect_shape(x, (n, 1, h, w), t("x from {what}", what=what),
                 t("add the channel axis: (N, H, W) -> (N, 1, H, W) with unsqueeze(1)"))
    expect_dtype(x, torch.float32, t("x from {what}", what=what),
                 t("cast the uint8 pixels with .float() (or .to(torch.float32))"))
    expect_close(x, expected_x, t("x from {what}", what=what), rtol=1e-6, atol=1e-6,
                 hint=t("scale 0..255 to [0, 1]: divide by 255 after casting to float"))
    expect_dtype(y, torch.int64, t("y from {what}", what=what),
                 t("class indices for cross_entropy must be int64: labels.long()"))
    expect_close(y, expected_y, t("y from {what}", what=what), hint=t("the labels' values must not change"))


@pytest.mark.points(1)
def test_blend_does_not_wrap_around(learner, reference, rng, device):
    shape = (draw_int(rng, 2, 5), draw_int(rng, 3, 9), draw_int(rng, 3, 9))
    a = torch.randint(0, 256, shape, generator=rng, dtype=torch.uint8)
    b = torch.randint(0, 256, shape, generator=rng, dtype=torch.uint8)
    a[0, 0, 0], b[0, 0, 0] = 200 + draw_int(rng, 0, 55), 200 + draw_int(rng, 0, 55)  # surely > 255 together
    what = t("blend(a, b) for uint8 images of shape {shape}", shape=shape)
    reply = called(learner, what, "blend", [a, b], device)
    out = tensor_on(reply["value"], what, device)
    expect_dtype(out, torch.float32, what, t("the average of two integers can end in .5: return float32"))
    expect_close(out, reference.tensors.blend(a, b), what, rtol=0, atol=1e-6,
                 hint=t("uint8 + uint8 is still uint8 and wraps around at 256: cast to float before adding"))


@pytest.mark.points(2)
def test_class_scores_pairs_rows_with_labels(learner, reference, rng, device):
    for n in (1, draw_int(rng, 3, 12)):
        c = draw_int(rng, 2, 10)
        logits = torch.randn(n, c, generator=rng)
        labels = torch.randint(0, c, (n,), generator=rng)
        what = t("class_scores(logits, labels) for logits of shape {shape}", shape=(n, c))
        reply = called(learner, what, "class_scores", [logits, labels], device)
        out = tensor_on(reply["value"], what, device)
        expect_close(out, reference.tensors.class_scores(logits, labels), what, rtol=0, atol=0,
                     hint=t("logits[:, labels] takes whole columns; pair each row i with labels[i]: index with "
                            "(torch.arange(N), labels) or use gather"))
