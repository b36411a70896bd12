"""Helpers the hidden checks share on the trusted side: drawing inputs, reading what probes sent.

Only check modules import this (it never reaches the sandbox, and pytest collects
no checks from it); what probes need inside the sandbox is in
``grader/sandbox/inside/probekit.py``.
"""

import torch

from grader.expect import expect_shape, fail
from grader.i18n import N_, Message, t
from grader.sandbox.errors import LearnerError, LearnerRaised
from grader.sandbox.sentences import location, recognised


def draw_int(rng: torch.Generator, low: int, high: int) -> int:
    """A random int from ``low`` to ``high``, both included, drawn from the check's generator."""
    return int(torch.randint(low, high + 1, (), generator=rng))


def images(rng: torch.Generator, n: int) -> torch.Tensor:
    """``n`` random single-channel 28x28 images, laid out (N, 1, 28, 28) like MNIST."""
    return torch.randn(n, 1, 28, 28, generator=rng)


def on_device(where: str, device: str) -> bool:
    """Whether a tensor's device ("cuda:0", "cpu") is the kind of ``device`` asked for."""
    return where.split(":")[0] == device


ASKED_FOR = N_("{device} was asked for")


def tensor_on(packed: dict, what: str, device: str, hint=None, *,
              expected: str = ASKED_FOR, device_hint=None) -> torch.Tensor:
    """The tensor in a ``probekit.packed`` result, after checking it is one and where it lives.

    ``expected`` is a template with ``{device}``, marked for the catalog with ``N_``."""
    if "tensor" not in packed:
        fail(t("{what} should return a tensor, got a {type}", what=what, type=packed["type"]), hint)
    if not on_device(packed["device"], device):
        fail(t("{what} is on {where}, but {expected}", what=what, where=packed["device"],
               expected=Message(expected, device=device)), device_hint)
    return packed["tensor"]


def raised(captured: dict) -> str:
    """``"Type: message (file:line in f)"`` for a ``probekit.capture`` result that raised."""
    error = recognised(captured["error"])
    return t("{error} ({where})", error=error, where=location(captured["where"])) if captured.get("where") else error


def returned(attempt, what: str, hint=None):
    """The value of a ``learner.attempt``, or a failure saying what the learner's code raised."""
    if attempt.raised:
        fail(t("{what} raised {error}", what=what, error=attempt.describe()), hint)
    return attempt.value


def value_or_raise(attempt):
    """The value of a ``learner.attempt`` whose error no check explains: raised as ``learner.run`` would."""
    if attempt.raised:
        raise LearnerRaised(attempt.error, attempt.where, attempt.exc_type)
    return attempt.value


def expect_logits_for_any_batch_size(logits_of, rng: torch.Generator, model: str, device: str, hint: str, *,
                                      error_hint=None) -> None:
    """Batches of 1, a few and 64 images: one row of 10 logits per image, on ``device``.

    ``logits_of(batches)`` runs the learner's model (a probe returning ``probekit.eval_logits``);
    ``error_hint`` goes with what the learner's code raised there.
    """
    sizes = [1, draw_int(rng, 2, 16), 64]
    try:
        result = logits_of([images(rng, n) for n in sizes])
    except LearnerError as exc:
        fail(t("your code: {error}", error=exc.message), error_hint)
    for n, out in zip(sizes, result["outputs"]):
        expect_shape(out, (n, 10), model_on_images(model, n), hint)
    expect_logits_on(result["devices"], device)


def expect_logits_on(devices: list[str], device: str) -> None:
    """Every output's device (as ``probekit.eval_logits`` reports them) is the input's."""
    for where in devices:
        if not on_device(where, device):
            fail(t("the logits are on {where}, but the input was on {device}", where=where, device=device))


def expect_samples_do_not_mix(logits_of, rng: torch.Generator, n: int, model: str, shape_hint: str,
                              hint: str) -> None:
    """Change one random image of a batch of ``n``; every other sample's logits must stay put.

    ``logits_of([x, x2])`` runs the learner's model on both batches (a probe).
    """
    x = images(rng, n)
    changed = draw_int(rng, 0, n - 1)
    x2 = x.clone()
    x2[changed] = torch.randn(1, 28, 28, generator=rng)
    out, out2 = logits_of([x, x2])
    for logits in (out, out2):
        expect_shape(logits, (n, 10), model_on_images(model, n), shape_hint)
    others = torch.arange(n) != changed
    drift = (out[others] - out2[others]).abs().amax(dim=1)
    if float(drift.max()) > 1e-4:
        victim = int(torch.arange(n)[others][drift.argmax()])
        fail(t("changing sample {changed} of a batch of {n} changed the logits of sample {victim} "
               "by {drift:.3g}: samples are being mixed", changed=changed, n=n, victim=victim,
               drift=float(drift.max())), hint)


def expect_raw_logits(out, model: str, shape_hint: str, hint: str) -> None:
    """Logits for 32 random images must not all be >= 0, as they are after a final ReLU or softmax."""
    expect_shape(out, (32, 10), model_on_images(model, 32), shape_hint)
    if bool((out >= 0).all()):
        fail(t("all 320 logits are >= 0: is there a ReLU (or softmax) after the last layer?"), hint)


def applied_to(call: str, shape) -> str:
    """"``call`` for x of shape ``shape``": what a check says it ran (``Net()(x)``, ``flatten_batch(x)``)."""
    return t("{call} for x of shape {shape}", call=call, shape=shape)


def model_on_images(model: str, n: int) -> str:
    """``Net()(x) for x of shape (n, 1, 28, 28)``."""
    return applied_to(f"{model}(x)", (n, 1, 28, 28))
