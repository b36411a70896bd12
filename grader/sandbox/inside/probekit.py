"""Helpers for probes, importable in the sandbox: probes call ``probekit.capture(...)``.

Probes are shipped as source and run in the worker, so they cannot call the
check module's own functions; what several exercises' probes need lives here,
in a real module that linters and tests read.
"""

import os

LEARNER_DIR = ""  # the learner's folder as the worker sees it; set by the worker


def capture(fn, *args, **kwargs) -> dict:
    """Call ``fn``; ``{"value": result}``, or what it raised as data.

    For probes that try many inputs in one call and need each one's outcome
    (raising is sometimes the right answer): ``{"raised": "ValueError",
    "error": "ValueError: message", "where": "shapes.py:12 in f"}``.
    """
    if __package__:
        from .failures import describe
    else:
        from failures import describe
    try:
        return {"value": fn(*args, **kwargs)}
    except Exception as exc:  # noqa: BLE001  (the learner's failure is data)
        error, where = describe(exc, LEARNER_DIR or os.getcwd())
        return {"raised": type(exc).__name__, "error": error, "where": where}


def on_device(args, device):
    """``args`` with every tensor moved to ``device`` (others untouched)."""
    import torch

    return [a.to(device) if isinstance(a, torch.Tensor) else a for a in args]


def packed(value) -> dict:
    """A learner's return value as plain data that says what it was: a tensor with its
    device, or the name of the type that came instead."""
    import torch

    if isinstance(value, torch.Tensor):
        return {"tensor": value, "device": str(value.device)}
    kind = type(value)
    return {"type": f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")}


def eval_logits(model, inputs, device) -> dict:
    """``model`` in eval mode on ``device``, run without a graph on each input: the outputs
    and the device each came back on."""
    import torch

    model = model.to(device).eval()
    with torch.no_grad():
        outputs = [model(x.to(device)) for x in inputs]
    return {"outputs": outputs, "devices": [str(getattr(out, "device", "")) for out in outputs]}


def gradient_sums(model, x) -> dict:
    """Train-mode forward of ``x``, backward of a random weighting of the output (from torch's
    global generator): each parameter's summed absolute gradient, or None where none arrived."""
    import torch

    out = model.train()(x)
    (out * torch.randn_like(out)).sum().backward()
    return {name: None if p.grad is None else p.grad.abs().sum() for name, p in model.named_parameters()}
