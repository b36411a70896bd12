"""Assertions for hidden checks that explain failures in tensor terms.

Each raises :class:`CheckFailed` with one line a learner can act on: shapes,
dtypes, devices, NaN/inf counts, the largest error and where it is.
"""

from __future__ import annotations

import math

import torch


class CheckFailed(AssertionError):
    """A check's verdict; ``str()`` is the one-line reason shown to the learner."""


def fail(message: str, hint: str | None = None) -> None:
    raise CheckFailed(f"{message} — {hint}" if hint else message)


def describe(t) -> str:
    if not isinstance(t, torch.Tensor):
        return f"a {type(t).__name__} ({t!r:.60})"
    return f"a {t.dtype} tensor of shape {tuple(t.shape)}"


def expect_tensor(value, what: str, hint: str | None = None) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        fail(f"{what} should be a tensor, got {describe(value)}", hint)
    return value


def expect_shape(value, shape, what: str, hint: str | None = None) -> torch.Tensor:
    t = expect_tensor(value, what, hint)
    if tuple(t.shape) != tuple(shape):
        fail(f"{what} has shape {tuple(t.shape)}, expected {tuple(shape)}", hint)
    return t


def expect_dtype(value, dtype: torch.dtype, what: str, hint: str | None = None) -> torch.Tensor:
    t = expect_tensor(value, what, hint)
    if t.dtype != dtype:
        fail(f"{what} has dtype {t.dtype}, expected {dtype}", hint)
    return t


def expect_finite(value, what: str, hint: str | None = None) -> torch.Tensor:
    t = expect_tensor(value, what, hint)
    if t.is_floating_point() or t.is_complex():
        nan, inf = int(torch.isnan(t).sum()), int(torch.isinf(t).sum())
        if nan or inf:
            fail(f"{what} contains {nan} NaN and {inf} inf values out of {t.numel()}", hint)
    return t


def largest_error(actual: torch.Tensor, expected: torch.Tensor) -> tuple[float, tuple[int, ...]]:
    diff = (actual.double() - expected.double()).abs()
    diff = torch.where(torch.isnan(diff), torch.full_like(diff, math.inf), diff)
    flat = int(diff.argmax()) if diff.numel() else 0
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), diff.shape)) if diff.dim() else ()
    return float(diff.max()) if diff.numel() else 0.0, index


def expect_close(actual, expected: torch.Tensor, what: str, *, rtol: float = 1e-5,
                 atol: float = 1e-6, hint: str | None = None, check_dtype: bool = True) -> None:
    """Compare with the reference; the trusted process's own torch does the maths."""
    t = expect_shape(actual, expected.shape, what, hint)
    if check_dtype and t.dtype != expected.dtype:
        fail(f"{what} has dtype {t.dtype}, expected {expected.dtype}", hint)
    if not expected.is_floating_point() and not expected.is_complex():
        mismatched = int((t != expected).sum())
        if mismatched:
            _, index = largest_error(t, expected)
            fail(f"{what} differs from the expected values in {mismatched} of {t.numel()} places, "
                 f"first at {index}: got {t[index].item()}, expected {expected[index].item()}", hint)
        return
    expect_finite(t, what, hint) if torch.isfinite(expected).all() else None
    ok = torch.isclose(t.double(), expected.double(), rtol=rtol, atol=atol, equal_nan=True)
    if not bool(ok.all()):
        error, index = largest_error(t, expected)
        fail(f"{what} is off by up to {error:.3g} at index {index} (got {t[index].item():.6g}, "
             f"expected {expected[index].item():.6g}; {int((~ok).sum())} of {t.numel()} values differ)", hint)


def expect_every_gradient(grads, owner: str, missing_hint: str) -> None:
    """``grads`` maps parameter names to |grad| sums (None where no gradient arrived).

    Fails when the model has no parameters, a parameter got no gradient, a
    gradient is NaN/inf, or a parameter's gradient is exactly zero everywhere.
    """
    if not isinstance(grads, dict) or not grads:
        fail(f"{owner} has no parameters to train")
    missing = [name for name, g in grads.items() if g is None]
    if missing:
        fail(f"no gradient reached {', '.join(missing)} after loss.backward()", missing_hint)
    for name, g in grads.items():
        expect_finite(expect_tensor(g, f"the gradient of {name}"), f"the gradient of {name}")
    dead = [name for name, g in grads.items() if float(g) == 0.0]
    if dead:
        fail(f"the gradients of {', '.join(dead)} are all zero", "is a layer's output discarded?")
