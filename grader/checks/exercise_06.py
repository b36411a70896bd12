"""Hidden checks for exercise 06, "a cross-entropy loss of your own".

Expected values and gradients come from ``F.cross_entropy`` in this trusted
process. The ban on ``cross_entropy``/``nll_loss`` is enforced twice: by
reading the learner's source with ``ast`` here (never importing it), and by
recording, inside the sandbox, which torch functions (``torch.ops`` included)
``custom_loss`` actually calls at run time.
"""

import ast

import pytest
import torch
import torch.nn.functional as F

from grader.checks.toolkit import draw_int, on_device
from grader.expect import expect_close, expect_finite, expect_shape, expect_tensor, fail
from grader.i18n import t

FILE = "loss.py"
BANNED = frozenset({"cross_entropy", "cross_entropy_loss", "nll_loss", "nll_loss2d", "nll_loss_nd",
                    "CrossEntropyLoss", "NLLLoss", "NLLLoss2d"})
FORMULA_HINT = t("per sample: -log_softmax(x, dim=1)[target]; with smoothing e: (1 - e) * that + e * "
                 "(-log_softmax(x, dim=1)).mean(dim=1); then .mean() over the batch")
STABLE_HINT = t("log(softmax(x)) rounds small probabilities to 0 and log(0) = -inf: compute x - x.logsumexp(dim=1, "
                "keepdim=True) (or torch.log_softmax) instead")
BAN_HINT = t("compute the log-probabilities with logsumexp or log_softmax and pick the target's with gather")


# -- probes: run inside the sandbox -------------------------------------------------
def loss_and_grad(learner, cases, device):
    results = []
    for output, target, eps in cases:
        x = output.to(device).requires_grad_(True)
        t = target.to(device)
        loss = (learner.loss.custom_loss(x, t) if eps is None
                else learner.loss.custom_loss(x, t, label_smoothing=eps))
        grad = None
        if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
            (grad,) = torch.autograd.grad(loss.reshape(()), x, allow_unused=True)
        is_tensor = isinstance(loss, torch.Tensor)
        results.append({"loss": loss if is_tensor or isinstance(loss, (int, float)) else repr(loss)[:60],
                        "device": str(loss.device) if is_tensor else "",
                        "requires_grad": bool(is_tensor and loss.requires_grad), "grad": grad})
    return results


def banned_calls(learner, output, target, eps):
    # A TorchFunctionMode sees every torch function, Tensor method and torch.ops call made
    # while it is active (F.cross_entropy, nn.CrossEntropyLoss, torch._C._nn.nll_loss,
    # torch.ops.aten.nll_loss_nd, ...). A TorchDispatchMode would see the aten kernels too,
    # but entering one imports torch._dynamo: about 7 s per run.
    from torch.overrides import TorchFunctionMode

    banned = {"cross_entropy", "cross_entropy_loss", "nll_loss", "nll_loss2d", "nll_loss_nd",
              "nll_loss_forward", "nll_loss2d_forward"}
    seen = []

    class Recorder(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            name = str(getattr(func, "__name__", ""))
            if name.split(".")[0] in banned:
                module = getattr(func, "__module__", None)
                seen.append(f"{module}.{name}" if module else name)
            return func(*args, **(kwargs or {}))

    x = output.requires_grad_(True)
    with Recorder():
        loss = learner.loss.custom_loss(x, target, label_smoothing=eps)
        if isinstance(loss, torch.Tensor) and loss.requires_grad:
            loss.sum().backward()
    return sorted(set(seen))


# -- helpers (trusted side) ---------------------------------------------------------
def random_case(rng, *, scale=None, smoothing=True):
    n, c = draw_int(rng, 1, 64), draw_int(rng, 2, 20)
    if scale is None:
        scale = 0.5 + 4.5 * float(torch.rand((), generator=rng))
    output = torch.randn(n, c, generator=rng) * scale
    target = torch.randint(0, c, (n,), generator=rng)
    eps = round(0.05 + 0.45 * float(torch.rand((), generator=rng)), 3) if smoothing else None
    return output, target, eps


def expected(output, target, eps):
    x = output.detach().clone().requires_grad_(True)
    loss = F.cross_entropy(x, target, label_smoothing=eps or 0.0)
    loss.backward()
    return loss.detach(), x.grad


def call_text(output, eps) -> str:
    shape = tuple(output.shape)
    if eps is None:
        return t("custom_loss(logits of shape {shape})", shape=shape)
    return t("custom_loss(logits of shape {shape}, label_smoothing={eps:g})", shape=shape, eps=eps)


def expect_scalar(result, what) -> torch.Tensor:
    loss = expect_tensor(result["loss"], what, t("return a tensor (not .item()), so that backward() works"))
    if loss.dim() == 1 and loss.numel() > 1:
        fail(t("{what} has shape {shape}: one loss per sample, not their mean", what=what, shape=tuple(loss.shape)),
             t("average the per-sample losses over the batch with .mean()"))
    return expect_shape(loss, (), what, t("return a 0-dimensional tensor: the mean over the batch"))


def cases_for(rng):
    return [random_case(rng, smoothing=False), random_case(rng), random_case(rng), random_case(rng)]


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(2)
def test_value_matches_cross_entropy(learner, rng, device):
    cases = cases_for(rng)
    for (output, target, eps), result in zip(cases, learner.run(loss_and_grad, cases, device)):
        what = call_text(output, eps)
        got = expect_finite(expect_scalar(result, what), what, STABLE_HINT).double()
        want = expected(output, target, eps)[0].double()
        n, c = output.shape

        def near(a, b):
            return abs(float(a) - float(b)) <= 1e-4 * abs(float(b)) + 1e-5

        if not near(got, want):
            if c > 2 and near(got * c, want):
                fail(t("{what} is {got:.6g}, {c} times smaller than expected {want:.6g}: it averages over the "
                       "classes as well as the batch", what=what, got=float(got), c=c, want=float(want)),
                     t("take one value per sample (the target's -log p), then average over the batch only"))
            if n > 1 and near(got, want * n):
                fail(t("{what} is {got:.6g}, {n} times the expected {want:.6g}: it sums over the batch instead of "
                       "averaging", what=what, got=float(got), n=n, want=float(want)), t("use .mean() over the batch"))
            if eps and near(got, F.cross_entropy(output, target).double()):
                fail(t("{what} ignores label_smoothing: it matches the unsmoothed loss", what=what), FORMULA_HINT)
        expect_close(got, want, what, rtol=1e-4, atol=1e-5, hint=FORMULA_HINT)


@pytest.mark.points(2)
def test_gradient_matches_cross_entropy(learner, rng, device):
    cases = cases_for(rng)
    for (output, target, eps), result in zip(cases, learner.run(loss_and_grad, cases, device)):
        what = call_text(output, eps)
        expect_scalar(result, what)
        if not result["requires_grad"] or result["grad"] is None:
            fail(t("{what} is not connected to the logits' autograd graph: no gradient reaches them", what=what),
                 t("keep to tensor operations; no .item(), .detach(), .numpy() or torch.tensor(...) on the way"))
        expect_close(result["grad"], expected(output, target, eps)[1], t("the gradient of {what}", what=what),
                     rtol=1e-4, atol=1e-6, hint=FORMULA_HINT)


@pytest.mark.points(2)
def test_finite_for_large_logits(learner, rng, device):
    cases = []
    for smoothing in (False, True):
        output, target, eps = random_case(rng, smoothing=smoothing)
        cases.append(((torch.rand(output.shape, generator=rng) * 2 - 1) * 1e4, target, eps))
    for (output, target, eps), result in zip(cases, learner.run(loss_and_grad, cases, device)):
        what = t("{call} with logits up to ±1e4", call=call_text(output, eps))
        got = expect_finite(expect_scalar(result, what), what, STABLE_HINT)
        want, want_grad = expected(output, target, eps)
        expect_close(got.double(), want.double(), what, rtol=1e-4, atol=1e-3, hint=STABLE_HINT)
        if result["grad"] is not None:
            expect_finite(result["grad"], t("the gradient of {what}", what=what), STABLE_HINT)
            expect_close(result["grad"], want_grad, t("the gradient of {what}", what=what), rtol=1e-4, atol=1e-5,
                         hint=STABLE_HINT)


@pytest.mark.points(1)
def test_returns_a_scalar(learner, rng, device):
    single, double = random_case(rng), random_case(rng)
    cases = [single, (double[0].double(), double[1], double[2])]
    for (output, _target, eps), result in zip(cases, learner.run(loss_and_grad, cases, device)):
        what = t("{call} for {dtype} logits", call=call_text(output, eps), dtype=output.dtype)
        loss = expect_scalar(result, what)
        if loss.dtype != output.dtype:
            fail(t("{what} has dtype {got}, expected {expected}", what=what, got=loss.dtype, expected=output.dtype),
                 t("compute in the logits' own dtype; don't build new tensors with a fixed dtype"))
        if not on_device(result["device"], device):
            fail(t("{what} is on {where}, but the logits were on {device}", what=what, where=result["device"],
                   device=device))
        if not result["requires_grad"]:
            fail(t("{what} has requires_grad=False: loss.backward() would fail", what=what),
                 t("keep to tensor operations on the logits"))


def is_main_block(node) -> bool:
    """``if __name__ == "__main__":`` — the learner's own self-test, never run by the grader."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def banned_uses(source: str) -> list[tuple[int, str]]:
    """(line, description) of every use of a banned name in the learner's source.

    A top-level ``if __name__ == "__main__":`` block is exempt: comparing one's own
    loss with F.cross_entropy there is a good habit, and the grader never runs it.
    """
    tree = ast.parse(source, FILE)
    tree.body = [node for node in tree.body if not is_main_block(node)]
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in BANNED:
            verb = "calls" if id(node) in called else "uses"
            found.append((node.lineno, f"{verb} {ast.unparse(node)}"))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in BANNED:
                    found.append((node.lineno, t("imports {name} from {module}", name=alias.name,
                                                 module=node.module or ".")))
        elif isinstance(node, ast.Constant) and node.value in BANNED:
            found.append((node.lineno, t("names {name!r} in a string", name=node.value)))
    return sorted(found)


@pytest.mark.points(2)
@pytest.mark.requires("returns_a_scalar")
def test_source_does_not_use_banned_losses(learner):
    path = learner.learner_dir / FILE
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        fail(t("{file} could not be read: {error}", file=FILE, error=exc.strerror))
    try:
        found = banned_uses(source)
    except SyntaxError as exc:
        fail(t("{file} does not parse: {error} (line {line})", file=FILE, error=exc.msg, line=exc.lineno))
    except (ValueError, RecursionError) as exc:
        fail(t("{file} could not be analysed: {error}", file=FILE, error=exc))
    if found:
        line, what = found[0]
        if len(found) == 1:
            fail(t("{file} line {line} {what}, which this exercise bans", file=FILE, line=line, what=what), BAN_HINT)
        more = len(found) - 1
        fail(t("{file} line {line} {what} (and {more} more banned use), which this exercise bans", file=FILE,
               line=line, what=what, more=more) if more == 1 else
             t("{file} line {line} {what} (and {more} more banned uses), which this exercise bans", file=FILE,
               line=line, what=what, more=more), BAN_HINT)


@pytest.mark.points(1)
@pytest.mark.requires("returns_a_scalar")
def test_no_banned_loss_runs(learner, rng):
    output, target, eps = random_case(rng)
    seen = learner.run(banned_calls, output, target, eps)
    if seen:
        fail(t("custom_loss reached {names} at run time, which this exercise bans", names=', '.join(seen)), BAN_HINT)
