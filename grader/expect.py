"""Assertions for hidden checks that explain failures in tensor terms.

Each raises :class:`CheckFailed` with one line a learner can act on: shapes,
dtypes, devices, NaN/inf counts, the largest error and where it is. Messages are
:class:`grader.i18n.Message` (``t("template", value=...)``): English as ``str()``, and
translatable through the catalog (grader/locale).
"""

from __future__ import annotations

import math

import torch

from grader.i18n import t


class CheckFailed(AssertionError):
    """A check's verdict; ``str()`` is the one-line reason shown to the learner, ``message`` the same
    as a :class:`grader.i18n.Message` where the check made one."""

    @property
    def message(self) -> str:
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


def fail(message: str, hint: str | None = None) -> None:
    raise CheckFailed(t("{message} — {hint}", message=message, hint=hint) if hint else message)


def describe(value) -> str:
    if not isinstance(value, torch.Tensor):
        return t("a {type} ({value:.60})", type=type(value).__name__, value=repr(value))
    return t("a {dtype} tensor of shape {shape}", dtype=value.dtype, shape=tuple(value.shape))


def expect_tensor(value, what: str, hint: str | None = None) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        fail(t("{what} should be a tensor, got {value}", what=what, value=describe(value)), hint)
    return value


def expect_shape(value, shape, what: str, hint: str | None = None) -> torch.Tensor:
    tensor = expect_tensor(value, what, hint)
    if tuple(tensor.shape) != tuple(shape):
        fail(t("{what} has shape {got}, expected {expected}", what=what, got=tuple(tensor.shape),
               expected=tuple(shape)), hint)
    return tensor


def expect_dtype(value, dtype: torch.dtype, what: str, hint: str | None = None) -> torch.Tensor:
    tensor = expect_tensor(value, what, hint)
    if tensor.dtype != dtype:
        fail(t("{what} has dtype {got}, expected {expected}", what=what, got=tensor.dtype, expected=dtype), hint)
    return tensor


def expect_finite(value, what: str, hint: str | None = None) -> torch.Tensor:
    tensor = expect_tensor(value, what, hint)
    if tensor.is_floating_point() or tensor.is_complex():
        nan, inf = int(torch.isnan(tensor).sum()), int(torch.isinf(tensor).sum())
        if nan or inf:
            fail(t("{what} contains {nan} NaN and {inf} inf values out of {total}", what=what, nan=nan, inf=inf,
                   total=tensor.numel()), hint)
    return tensor


def largest_error(actual: torch.Tensor, expected: torch.Tensor) -> tuple[float, tuple[int, ...]]:
    diff = (actual.double() - expected.double()).abs()
    diff = torch.where(torch.isnan(diff), torch.full_like(diff, math.inf), diff)
    flat = int(diff.argmax()) if diff.numel() else 0
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), diff.shape)) if diff.dim() else ()
    return float(diff.max()) if diff.numel() else 0.0, index


def expect_close(actual, expected: torch.Tensor, what: str, *, rtol: float = 1e-5,
                 atol: float = 1e-6, hint: str | None = None, check_dtype: bool = True) -> None:
    """Compare with the reference; the trusted process's own torch does the maths."""
    tensor = expect_shape(actual, expected.shape, what, hint)
    if check_dtype and tensor.dtype != expected.dtype:
        fail(t("{what} has dtype {got}, expected {expected}", what=what, got=tensor.dtype,
               expected=expected.dtype), hint)
    if not expected.is_floating_point() and not expected.is_complex():
        mismatched = int((tensor != expected).sum())
        if mismatched:
            _, index = largest_error(tensor, expected)
            fail(t("{what} differs from the expected values in {mismatched} of {total} places, "
                   "first at {index}: got {got}, expected {expected}", what=what, mismatched=mismatched,
                   total=tensor.numel(), index=index, got=tensor[index].item(), expected=expected[index].item()), hint)
        return
    expect_finite(tensor, what, hint) if torch.isfinite(expected).all() else None
    ok = torch.isclose(tensor.double(), expected.double(), rtol=rtol, atol=atol, equal_nan=True)
    if not bool(ok.all()):
        error, index = largest_error(tensor, expected)
        fail(t("{what} is off by up to {error:.3g} at index {index} (got {got:.6g}, "
               "expected {expected:.6g}; {wrong} of {total} values differ)", what=what, error=error, index=index,
               got=tensor[index].item(), expected=expected[index].item(), wrong=int((~ok).sum()),
               total=tensor.numel()), hint)


def expect_every_gradient(grads, owner: str, missing_hint: str) -> None:
    """``grads`` maps parameter names to |grad| sums (None where no gradient arrived).

    Fails when the model has no parameters, a parameter got no gradient, a
    gradient is NaN/inf, or a parameter's gradient is exactly zero everywhere.
    """
    if not isinstance(grads, dict) or not grads:
        fail(t("{owner} has no parameters to train", owner=owner))
    missing = [name for name, g in grads.items() if g is None]
    if missing:
        fail(t("no gradient reached {names} after loss.backward()", names=", ".join(missing)), missing_hint)
    for name, g in grads.items():
        what = t("the gradient of {name}", name=name)
        expect_finite(expect_tensor(g, what), what)
    dead = [name for name, g in grads.items() if float(g) == 0.0]
    if dead:
        fail(t("the gradients of {names} are all zero", names=", ".join(dead)), t("is a layer's output discarded?"))
