"""Helpers the hidden checks share on the trusted side: drawing inputs, reading what probes sent.

Only check modules import this (it never reaches the sandbox, and pytest collects
no checks from it); what probes need inside the sandbox is in
``grader/sandbox/inside/probekit.py``.
"""

import torch

from grader.expect import expect_shape, fail
from grader.sandbox.errors import LearnerError, LearnerRaised


def draw_int(rng: torch.Generator, low: int, high: int) -> int:
    """A random int from ``low`` to ``high``, both included, drawn from the check's generator."""
    return int(torch.randint(low, high + 1, (), generator=rng))


def images(rng: torch.Generator, n: int) -> torch.Tensor:
    """``n`` random single-channel 28x28 images, laid out (N, 1, 28, 28) like MNIST."""
    return torch.randn(n, 1, 28, 28, generator=rng)


def on_device(where: str, device: str) -> bool:
    """Whether a tensor's device ("cuda:0", "cpu") is the kind of ``device`` asked for."""
    return where.split(":")[0] == device


def tensor_on(packed: dict, what: str, device: str, hint=None, *,
              expected: str = "{device} was asked for", device_hint=None) -> torch.Tensor:
    """The tensor in a ``probekit.packed`` result, after checking it is one and where it lives."""
    if "tensor" not in packed:
        fail(f"{what} should return a tensor, got a {packed['type']}", hint)
    if not on_device(packed["device"], device):
        fail(f"{what} is on {packed['device']}, but {expected.format(device=device)}", device_hint)
    return packed["tensor"]


def raised(captured: dict) -> str:
    """``"Type: message (file:line in f)"`` for a ``probekit.capture`` result that raised."""
    return f"{captured['error']} ({captured['where']})" if captured.get("where") else captured["error"]


def returned(attempt, what: str, hint=None):
    """The value of a ``learner.attempt``, or a failure saying what the learner's code raised."""
    if attempt.raised:
        fail(f"{what} raised {attempt.describe()}", hint)
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
        fail(f"your code: {exc}", error_hint)
    for n, out in zip(sizes, result["outputs"]):
        expect_shape(out, (n, 10), f"{model}(x) for x of shape ({n}, 1, 28, 28)", hint)
    expect_logits_on(result["devices"], device)


def expect_logits_on(devices: list[str], device: str) -> None:
    """Every output's device (as ``probekit.eval_logits`` reports them) is the input's."""
    for where in devices:
        if not on_device(where, device):
            fail(f"the logits are on {where}, but the input was on {device}")


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
        expect_shape(logits, (n, 10), f"{model}(x) for x of shape ({n}, 1, 28, 28)", shape_hint)
    others = torch.arange(n) != changed
    drift = (out[others] - out2[others]).abs().amax(dim=1)
    if float(drift.max()) > 1e-4:
        victim = int(torch.arange(n)[others][drift.argmax()])
        fail(f"changing sample {changed} of a batch of {n} changed the logits of sample {victim} "
             f"by {float(drift.max()):.3g}: samples are being mixed", hint)


def expect_raw_logits(out, model: str, shape_hint: str, hint: str) -> None:
    """Logits for 32 random images must not all be >= 0, as they are after a final ReLU or softmax."""
    expect_shape(out, (32, 10), f"{model}(x) for x of shape (32, 1, 28, 28)", shape_hint)
    if bool((out >= 0).all()):
        fail("all 320 logits are >= 0: is there a ReLU (or softmax) after the last layer?", hint)
