"""Hidden checks for exercise 08, "the training loop".

Probes run in the sandbox and return raw material: parameters after training,
the modes a spy model saw, logits for images whose labels never leave this
process. Every expected value and every verdict is computed here.
"""

import functools

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks.toolkit import draw_int, value_or_raise
from grader.expect import expect_close, expect_finite, expect_shape, expect_tensor, fail
from grader.i18n import t
from grader.sandbox.errors import LearnerTimeout
from grader.sandbox.probes import shipped

ORDER_HINT = t("per batch: optimizer.zero_grad(), forward, loss, loss.backward(), optimizer.step(), in that order")
DIGITS_EPOCHS = 5
DIGITS_LR = 2e-3
DIGITS_BATCH = 64
DIGITS_HELD_OUT = 360
TARGET_ACCURACY = 0.95


# -- probes (and what they ship): run inside the sandbox ------------------------------
@shipped
def tiny_model(state=None):
    """The model the probes train; also built here, where the expected training is simulated."""
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 32), torch.nn.Tanh(), torch.nn.Linear(32, 10))
    if state is not None:
        model.load_state_dict(state)
    return model


def train_tiny(learner, state, images, labels, batch_size, epochs, lr, momentum, device):
    from torch.utils.data import DataLoader, TensorDataset

    model = tiny_model(state).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loader = DataLoader(TensorDataset(images, labels), batch_size=batch_size, shuffle=False)
    losses = learner.train.train(model, loader, epochs, optimizer, device)
    if isinstance(losses, (list, tuple)):
        losses = [float(v) for v in losses]
    else:
        losses = f"a {type(losses).__name__}"
    return {"losses": losses, "state": dict(model.state_dict())}


def spy_modes(learner, images, labels, phase, device):
    from torch.utils.data import DataLoader, TensorDataset

    class Spy(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.norm, self.drop, self.fc = torch.nn.BatchNorm1d(64), torch.nn.Dropout(0.5), torch.nn.Linear(64, 10)
            self.seen = []

        def forward(self, x):
            self.seen.append({"training": self.training, "dropout": self.drop.training,
                              "norm": self.norm.training, "grad": torch.is_grad_enabled(),
                              "inference": torch.is_inference_mode_enabled()})
            return self.fc(self.drop(self.norm(x.flatten(1))))

    torch.manual_seed(0)
    model = Spy().to(device)
    if phase == "train":
        model.eval()  # as evaluate() would leave it
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        learner.train.train(model, DataLoader(TensorDataset(images, labels), batch_size=16), 1, optimizer, device)
        return {"seen": model.seen}
    model.train()  # as train() would leave it
    before = model.norm.running_mean.detach().clone()
    out = learner.train.evaluate(model, images, 16, device)
    return {"seen": model.seen,
            "requires_grad": bool(getattr(out, "requires_grad", False)),
            "has_graph": getattr(out, "grad_fn", None) is not None,
            "stats_moved": not torch.equal(before, model.norm.running_mean.detach())}


def evaluate_linear(learner, state, images, batch_size, device):
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 10))
    model.load_state_dict(state)
    model.to(device)
    return learner.train.evaluate(model, images, batch_size, device)


def train_on_digits(learner, train_images, train_labels, test_images, epochs, lr, batch_size, device, seed):
    from torch.utils.data import DataLoader, TensorDataset

    # One thread: on a busy 2-core machine, OpenMP threads spinning against other
    # processes made an epoch 7x slower (14 s instead of 2 s) in our measurements.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(seed)
        model = learner.train.build_model().to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        loader = DataLoader(TensorDataset(train_images, train_labels), batch_size=batch_size, shuffle=True,
                            generator=torch.Generator().manual_seed(seed))
        losses = learner.train.train(model, loader, epochs, optimizer, device)
        logits = learner.train.evaluate(model, test_images, 256, device)
    finally:
        torch.set_num_threads(threads)
    losses = [float(v) for v in losses] if isinstance(losses, (list, tuple)) else None
    return {"losses": losses, "logits": logits}


# -- trusted helpers ----------------------------------------------------------------
def initial_state(seed: int) -> dict:
    """The tiny model's weights as ``torch.manual_seed(seed)`` initialises them."""
    torch.manual_seed(seed)
    return {k: v.detach().clone() for k, v in tiny_model().state_dict().items()}


def simulate(state, images, labels, batch_size, epochs, lr, momentum, *, clear=True):
    """Train the tiny model here, correctly or without clearing the gradients.

    (Stepping before backward needs no simulation: with zero_grad() nothing
    ever moves, and without it autograd refuses the in-place change.)
    """
    model = tiny_model(state)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    history = []
    for _ in range(epochs):
        losses = []
        for start in range(0, len(images), batch_size):
            x, y = images[start:start + batch_size], labels[start:start + batch_size]
            if clear:
                optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return {k: v.detach().clone() for k, v in model.state_dict().items()}, history


def run_training(learner, probe, *args):
    """``learner.run``, with PyTorch's complaint about step-before-backward explained."""
    attempt = learner.attempt(probe, *args)
    if "modified by an inplace operation" in attempt.error:
        fail(t("your code: loss.backward() failed because optimizer.step() had already changed, in place, the "
               "weights the forward pass used ({where})", where=attempt.where or "train()"), ORDER_HINT)
    return value_or_raise(attempt)


def same_state(got: dict, expected: dict, tol: float = 1e-4) -> bool:
    return all(isinstance(got.get(k), torch.Tensor) and got[k].shape == v.shape
               and torch.allclose(got[k].double(), v.double(), rtol=tol, atol=tol) for k, v in expected.items())


def tiny_problem(rng, n):
    """Inputs with labels a linear teacher can predict: the loss has somewhere to go."""
    images = torch.randn(n, 1, 8, 8, generator=rng)
    teacher = torch.randn(64, 10, generator=rng)
    return images, (images.flatten(1) @ teacher).argmax(1)


@functools.cache
def digits():
    """scikit-learn's 1797 bundled 8x8 digits, upsampled to 28x28 and standardised."""
    from sklearn.datasets import load_digits

    data = load_digits()
    images = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0
    images = F.interpolate(images, size=(28, 28), mode="bilinear", align_corners=False)
    images = (images - images.mean()) / images.std()
    return images, torch.tensor(data.target, dtype=torch.long)


def spied_evaluation(learner, rng, device) -> dict:
    """What the spy model saw while evaluate() ran on random images; it must have been called."""
    result = learner.run(spy_modes, torch.randn(40, 1, 8, 8, generator=rng), None, "evaluate", device)
    if not result["seen"]:
        fail(t("evaluate() never called the model"))
    return result


def check_losses(losses, epochs: int, what: str) -> list[float]:
    if not isinstance(losses, list):
        fail(t("{what} returned {losses}, expected a list of {epochs} numbers", what=what, losses=losses,
               epochs=epochs),
             t("append each epoch's mean loss (a float, e.g. loss.item()) to a list and return it"))
    if len(losses) != epochs:
        fail(t("{what} returned {count} losses for {epochs} epochs", what=what, count=len(losses), epochs=epochs),
             t("return one value per epoch: the mean of that epoch's batch losses"))
    bad = [v for v in losses if v != v or v in (float("inf"), float("-inf"))]
    if bad:
        fail(t("{what} returned non-finite losses {losses}",
               what=what, losses=losses), t("is the learning rate applied to the right gradients?"))
    return losses


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(3)
def test_one_epoch_matches_reference_step_for_step(learner, rng, device, check_seed):
    batch_size, batches, epochs = 16, draw_int(rng, 3, 5), 2
    images, labels = tiny_problem(rng, batch_size * batches)
    state = initial_state(check_seed)
    lr, momentum = 0.1, 0.5
    result = run_training(learner, train_tiny, state, images, labels, batch_size, epochs, lr, momentum, device)
    got = result["state"]
    expected, _ = simulate(state, images, labels, batch_size, epochs, lr, momentum)
    if same_state(got, expected):
        return
    if same_state(got, state, tol=0.0):
        fail(t("after {epochs} epochs of {batches} batches the parameters have not changed: optimizer.step() never "
               "saw a gradient", epochs=epochs,
               batches=batches), t("call optimizer.step() after loss.backward(), once per batch"))
    piled_up, _ = simulate(state, images, labels, batch_size, epochs, lr, momentum, clear=False)
    if same_state(got, piled_up):
        fail(t("the parameters after training match a loop that never clears the gradients: every step used the sum "
               "of all the gradients so far"), t("call optimizer.zero_grad() once per batch, before "
                                                      "loss.backward()"))
    for name, tensor in expected.items():
        expect_close(got.get(name), tensor, t("{name} after {epochs} epochs of SGD", name=name,
                                              epochs=epochs), rtol=1e-4, atol=1e-4,
                     hint=ORDER_HINT)


@pytest.mark.points(1)
def test_loss_decreases(learner, rng, device, check_seed):
    epochs, batch_size = 5, 16
    images, labels = tiny_problem(rng, batch_size * 4)
    state = initial_state(check_seed)
    result = run_training(learner, train_tiny, state, images, labels, batch_size, epochs, 0.1, 0.0, device)
    losses = check_losses(result["losses"], epochs, f"train(model, loader, {epochs}, optimizer)")
    if not losses[-1] < 0.9 * losses[0]:
        fail(t("on an easy problem the epoch losses went {losses}: they should fall",
               losses=", ".join(f"{v:.3f}" for v in losses)),
             ORDER_HINT)
    _, expected = simulate(state, images, labels, batch_size, epochs, 0.1, 0.0)
    if abs(losses[0] - expected[0]) > 1e-3 * max(1.0, abs(expected[0])):
        fail(t("the first epoch's loss is reported as {reported:.4f}, but its batches' mean loss was {expected:.4f}",
               reported=losses[0], expected=expected[0]),
             t("add up loss.item() over the epoch's batches and divide by their number"))


@pytest.mark.points(1)
def test_train_puts_the_model_in_training_mode(learner, rng, device):
    images, labels = torch.randn(32, 1, 8, 8, generator=rng), torch.randint(0, 10, (32,), generator=rng)
    seen = run_training(learner, spy_modes, images, labels, "train", device)["seen"]
    if not seen:
        fail(t("train() never called the model"))
    off = [s for s in seen if not (s["training"] and s["dropout"] and s["norm"])]
    if off:
        fail(t("{count} of {total} forward passes in train() ran in eval mode (the model arrived in eval mode, as "
               "evaluate() leaves it): dropout and batch-norm were not training", count=len(off), total=len(seen)),
             t("call model.train() at the start of each epoch"))
    if not all(s["grad"] and not s["inference"] for s in seen):
        fail(t("train() ran the forward pass with gradient tracking off"), t("no torch.no_grad() around training"))


@pytest.mark.points(1)
def test_evaluate_uses_eval_mode(learner, rng, device):
    result = spied_evaluation(learner, rng, device)
    seen = result["seen"]
    on = [s for s in seen if s["training"] or s["dropout"] or s["norm"]]
    if on or result["stats_moved"]:
        fail(t("evaluate() ran {count} of {total} forward passes in training mode: dropout zeroed random features "
               "and batch-norm updated its running statistics", count=len(on), total=len(seen)),
             t("call model.eval() before evaluating (train() switches back with model.train())"))


@pytest.mark.points(1)
def test_evaluate_builds_no_graph(learner, rng, device):
    result = spied_evaluation(learner, rng, device)
    seen = result["seen"]
    tracked = [s for s in seen if s["grad"] and not s["inference"]]
    if tracked or result["requires_grad"] or result["has_graph"]:
        fail(t("evaluate() recorded an autograd graph ({count} of {total} forward passes with gradient tracking on; "
               "the logits have requires_grad=True): memory and time spent on a backward that never comes",
               count=len(tracked), total=len(seen)),
             t("wrap the evaluation loop in torch.no_grad() (or torch.inference_mode())"))


@pytest.mark.points(1)
@pytest.mark.requires("evaluate_uses_eval_mode")
def test_evaluate_returns_one_row_per_image(learner, rng, device):
    batch_size = draw_int(rng, 5, 11)
    n = batch_size * 3 + draw_int(rng, 1, batch_size - 1)  # a partial last batch
    images = torch.randn(n, 1, 8, 8, generator=rng)
    layer = nn.Linear(64, 10)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(10, 64, generator=rng) * 0.2)
        layer.bias.copy_(torch.randn(10, generator=rng))
        expected = layer(images.flatten(1))
    state = {"1.weight": layer.weight.detach().clone(), "1.bias": layer.bias.detach().clone()}
    out = learner.run(evaluate_linear, state, images, batch_size, device)
    what = t("evaluate(model, images, batch_size={batch_size}) for {n} images", batch_size=batch_size, n=n)
    expect_shape(out, (n, 10), what, t("keep the last, smaller batch, and torch.cat the batches along dim 0"))
    expect_close(out, expected, what, rtol=1e-4, atol=1e-4,
                 hint=t("return the logits of every image in the order given, each computed once"))


@pytest.mark.points(2)
def test_reaches_95_percent_on_held_out_digits(learner, rng, device, check_seed):
    images, labels = digits()
    order = torch.randperm(len(labels), generator=rng)
    test, train = order[:DIGITS_HELD_OUT], order[DIGITS_HELD_OUT:]
    try:
        result = run_training(learner, train_on_digits, images[train], labels[train], images[test],
                              DIGITS_EPOCHS, DIGITS_LR, DIGITS_BATCH, device, check_seed)
    except LearnerTimeout as exc:
        fail(t("your code: {error}", error=exc.message),
             t("{epochs} epochs over {count} images must fit the time limit; the starter's build_model() needs a few "
               "seconds on a CPU", epochs=DIGITS_EPOCHS, count=len(train)))
    what = t("evaluate() on the {count} held-out digits", count=DIGITS_HELD_OUT)
    logits = expect_shape(result["logits"], (DIGITS_HELD_OUT, 10), what, t("one row of logits per image, in order"))
    expect_finite(expect_tensor(logits, what), what, t("did the training loss blow up?"))
    accuracy = float((logits.argmax(1) == labels[test]).float().mean())
    if accuracy < TARGET_ACCURACY:
        trend = result["losses"]
        losses = ", ".join(f"{v:.3f}" for v in trend) if trend else t("not a list")
        fail(t("after {epochs} epochs of Adam (lr {lr}) the model labels {accuracy:.1%} of the "
               "held-out digits correctly; at least {target:.0%} is needed (epoch losses: {losses})",
               epochs=DIGITS_EPOCHS, lr=DIGITS_LR, accuracy=accuracy, target=TARGET_ACCURACY, losses=losses),
             ORDER_HINT)
