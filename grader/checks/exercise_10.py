"""Hidden checks for exercise 10, "deployment: save, resume, export".

The probes' model is a class shipped with them (``@shipped``) and defined in
their own scope, which no import can reach: a file that pickles the module
object cannot even be written, so only a state_dict or a real export works.
The exported artefact comes back here as bytes that this process never opens;
a second, fresh sandboxed worker loads and runs it. Expected outputs and
trajectories are computed here.
"""

import re

import pytest
import torch

from grader.checks.toolkit import draw_int, value_or_raise
from grader.expect import expect_close, expect_shape, expect_tensor, fail
from grader.i18n import t
from grader.sandbox.inside import probekit
from grader.sandbox.probes import shipped

STATE_HINT = t("save model.state_dict() with torch.save, and read it back with model.load_state_dict(...)")
RESUME_HINT = t("put model.state_dict(), optimizer.state_dict() and the epoch in one dict; on loading, restore both "
                "with load_state_dict and return the epoch")
LR = 0.01


# -- probes (and what they ship): run inside the sandbox ------------------------------
@shipped
class TinyNet(torch.nn.Module):
    """The probes' model; also built here, where expected values are computed."""

    def __init__(self):
        super().__init__()
        self.fc1, self.norm, self.fc2 = torch.nn.Linear(64, 32), torch.nn.BatchNorm1d(32), torch.nn.Linear(32, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.norm(self.fc1(x.flatten(1)))))


@shipped
def tiny_net(state):
    model = TinyNet()
    model.load_state_dict(state)
    return model


@shipped
def train_epoch(model, optimizer, batches, device="cpu") -> list:
    """One epoch of training on ``batches``: each batch's loss."""
    model.train()
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x.to(device)), y.to(device))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def reload_weights(learner, state, inputs, device, seed):
    original = tiny_net(state).to(device).eval()
    learner.deploy.save_weights(original, "weights.pt")
    torch.manual_seed(seed)
    fresh = TinyNet().to(device)
    returned = learner.deploy.load_weights(fresh, "weights.pt")
    fresh.eval()
    with torch.no_grad():
        before = [original(x.to(device)) for x in inputs]
        after = [fresh(x.to(device)) for x in inputs]
    # What the file holds is the finding, not a crash.
    read = probekit.capture(torch.load, "weights.pt", weights_only=True, map_location="cpu")
    saved = read.get("value")
    kind = t("unreadable with weights_only=True ({raised})",
             raised=read['raised']) if "raised" in read else type(saved).__name__
    return {"before": before, "after": after, "returned_model": returned is fresh, "kind": kind,
            "keys": sorted(saved) if isinstance(saved, dict) else None,
            "tensors": isinstance(saved, dict) and all(isinstance(v, torch.Tensor) for v in saved.values())}


def resume_training(learner, state, batches, total, stop, lr, device, seed):
    model = tiny_net(state).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(stop):
        train_epoch(model, optimizer, batches, device)
    learner.deploy.save_checkpoint("checkpoint.pt", model, optimizer, stop)
    del model, optimizer
    torch.manual_seed(seed)  # a different starting point: only the checkpoint can bring it back
    model = TinyNet().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    start = learner.deploy.load_checkpoint("checkpoint.pt", model, optimizer)
    if isinstance(start, torch.Tensor) and start.numel() == 1:
        start = start.item()
    if not isinstance(start, int) or isinstance(start, bool):
        return {"start": f"a {type(start).__name__}", "losses": [], "state": {}}
    losses = [loss for _ in range(min(max(start, 0), total), total)
              for loss in train_epoch(model, optimizer, batches, device)]
    return {"start": start, "losses": losses, "state": dict(model.state_dict())}


def checkpoint_epoch(learner, epoch):
    model = torch.nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    learner.deploy.save_checkpoint("checkpoint.pt", model, optimizer, epoch)
    fresh = torch.nn.Linear(3, 2)
    returned = learner.deploy.load_checkpoint("checkpoint.pt", fresh, torch.optim.SGD(fresh.parameters(), lr=0.1))
    if isinstance(returned, torch.Tensor):
        return returned
    return returned if isinstance(returned, (int, float, str)) and not isinstance(returned, bool) \
        else f"a {type(returned).__name__}"


def load_doctored(learner, which, marker):
    import os

    class Trap:
        def __reduce__(self):
            return (os.mkdir, (marker,))

    model = torch.nn.Linear(2, 2)
    if which == "weights":  # refusing the file (raising) is the right outcome
        torch.save({"fc.weight": Trap(), "fc.bias": torch.zeros(2)}, "doctored.pt")
        probekit.capture(learner.deploy.load_weights, model, "doctored.pt")
    else:
        torch.save({"model": {"weight": Trap()}, "optimizer": {}, "epoch": 0}, "doctored.pt")
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        probekit.capture(learner.deploy.load_checkpoint, "doctored.pt", model, optimizer)
    return {"ran": os.path.isdir(marker)}


def export_to_bytes(learner, state, example, device):
    learner.deploy.export_model(tiny_net(state).to(device).eval(), example.to(device), "model.pt2")
    with open("model.pt2", "rb") as handle:
        return handle.read()


def run_exported(learner, blob, inputs, device):
    with open("model.pt2", "wb") as handle:
        handle.write(blob)
    loaded = learner.deploy.load_exported("model.pt2")
    if not callable(loaded):
        return f"load_exported() returned a {type(loaded).__name__}, which cannot be called"
    with torch.no_grad():
        return [loaded(x.to(device)) for x in inputs]


# -- trusted helpers ----------------------------------------------------------------
def random_state(rng) -> dict:
    """Weights and batch-norm statistics drawn from ``rng``: nothing a learner could predict."""
    state = {}
    for name, value in TinyNet().state_dict().items():
        if name.endswith("running_var"):
            state[name] = torch.rand(value.shape, generator=rng) + 0.5
        elif name.endswith("num_batches_tracked"):
            state[name] = torch.randint(1, 100, (), generator=rng)
        else:
            state[name] = torch.randn(value.shape, generator=rng) * 0.3
    return state


def eager(state, inputs) -> list[torch.Tensor]:
    model = tiny_net(state).eval()
    with torch.no_grad():
        return [model(x) for x in inputs]


def train_here(state, batches, epochs_before, epochs_after, *, fresh_optimizer=False):
    """The uninterrupted run (or one whose optimizer restarts): the losses after ``epochs_before``."""
    model = tiny_net(state)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    for _ in range(epochs_before):
        train_epoch(model, optimizer, batches)
    if fresh_optimizer:
        optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    losses = [loss for _ in range(epochs_after) for loss in train_epoch(model, optimizer, batches)]
    return losses, {k: v.detach().clone() for k, v in model.state_dict().items()}


def close_lists(got, expected, tol=1e-4) -> int | None:
    """Index of the first value that differs, or None when all agree."""
    for i, (g, e) in enumerate(zip(got, expected)):
        if abs(g - e) > tol * max(1.0, abs(e)):
            return i
    return None if len(got) == len(expected) else min(len(got), len(expected))


def run_saving(learner, probe, *args, what: str):
    """``learner.run``, with the usual reason a save fails explained."""
    attempt = learner.attempt(probe, *args)
    if "pickle" in attempt.error.lower() or "local object" in attempt.error:
        fail(t("your code: {what} tried to pickle the model object itself, and its class cannot be found by name "
               "({error})", what=what, error=attempt.error[:120]),
             t("save model.state_dict() (tensors), or export a program; a pickled module needs its class to load"))
    return value_or_raise(attempt)


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(2)
def test_reloaded_weights_give_identical_outputs(learner, rng, device, check_seed):
    state = random_state(rng)
    inputs = [torch.randn(n, 1, 8, 8, generator=rng) for n in (1, 7)]
    result = run_saving(learner, reload_weights, state, inputs, device, check_seed, what="save_weights()")
    expected = eager(state, inputs)
    for x, before, after, want in zip(inputs, result["before"], result["after"], expected):
        what = t("the reloaded model's logits for x of shape {shape}", shape=tuple(x.shape))
        expect_shape(after, want.shape, what)
        if not torch.equal(after, expect_tensor(before, t("the original model's logits"))):
            expect_close(after, before, t("{what} (against the original model's)", what=what), rtol=0, atol=0,
                         hint=t("load every entry of the state_dict, buffers included, into the fresh model"))
        expect_close(after, want, what, rtol=1e-4, atol=1e-5, hint=STATE_HINT)
    if not result["returned_model"]:
        fail(t("load_weights(model, path) should return the model it loaded into"),
             t("end with `return model` after model.load_state_dict(...)"))


@pytest.mark.points(1)
def test_weights_file_holds_a_state_dict(learner, rng, check_seed):
    state = random_state(rng)
    result = run_saving(learner, reload_weights, state, [torch.randn(2, 1, 8, 8, generator=rng)], "cpu",
                        check_seed, what="save_weights()")
    if result["keys"] is None:
        fail(t("the file save_weights() wrote holds a {kind}, not a dict of tensors", kind=result['kind']), STATE_HINT)
    missing = sorted(set(state) - set(result["keys"]))
    if missing:
        fail(t("the saved weights lack {names}", names=', '.join(missing)),
             t("model.state_dict() includes the buffers (batch-norm statistics); named_parameters() does not"))
    extra = sorted(set(result["keys"]) - set(state))
    if extra or not result["tensors"]:
        fail(t("the saved file should be exactly model.state_dict(); it also holds {names}", names=", ".join(extra))
             if extra else t("the saved file should be exactly model.state_dict(); it also holds non-tensors"),
             STATE_HINT)


@pytest.mark.points(3)
def test_resume_matches_uninterrupted_training(learner, rng, device, check_seed):
    state = random_state(rng)
    batches = [(torch.randn(16, 1, 8, 8, generator=rng), torch.randint(0, 10, (16,), generator=rng))
               for _ in range(3)]
    total = 4
    stop = draw_int(rng, 1, total - 1)
    result = run_saving(learner, resume_training, state, batches, total, stop, LR, device, check_seed,
                        what="save_checkpoint()")
    if result["start"] != stop:
        fail(t("load_checkpoint() returned {start!r}, but the checkpoint was saved after {stop} finished epoch(s)",
               start=result['start'],
               stop=stop), t("store the epoch in the checkpoint and return it from load_checkpoint()"))
    expected, final = train_here(state, batches, stop, total - stop)
    steps = len(batches)
    first = close_lists(result["losses"], expected)
    if first is not None:
        restarted, _ = train_here(state, batches, stop, total - stop, fresh_optimizer=True)
        if close_lists(result["losses"], restarted) is None:
            fail(t("after resuming at epoch {stop}, training matches a run whose Adam optimizer started afresh (step "
                   "{step}: loss {loss:.5f}, uninterrupted training had {expected:.5f}): its running averages and "
                   "step count were not restored", stop=stop, step=first + 1,
                   loss=result["losses"][first], expected=expected[first]), RESUME_HINT)
        got = f"{result['losses'][first]:.5f}" if first < len(result["losses"]) else "nothing"
        fail(t("training resumed at epoch {stop} departs from uninterrupted training at step {step} of {steps}: "
               "loss {got}, expected {expected:.5f}", stop=stop, step=first + 1,
               steps=steps * (total - stop), got=got, expected=expected[first]), RESUME_HINT)
    for name, tensor in final.items():
        if tensor.is_floating_point():
            expect_close(result["state"].get(name), tensor, t("{name} after resumed training", name=name), rtol=1e-4,
                         atol=1e-5, hint=RESUME_HINT)


@pytest.mark.points(1)
@pytest.mark.requires("reloaded_weights_give_identical_outputs")  # the stub already returns it
def test_checkpoint_returns_its_epoch(learner, rng):
    epoch = draw_int(rng, 2, 499)
    returned = run_saving(learner, checkpoint_epoch, epoch, what="save_checkpoint()")
    if isinstance(returned, torch.Tensor) and returned.numel() == 1:
        returned = returned.item()
    if returned != epoch:
        fail(t("a checkpoint saved with epoch={epoch} gave back {returned!r} from load_checkpoint()", epoch=epoch,
               returned=returned),
             t("store the epoch in the checkpoint dict and return it unchanged"))


@pytest.mark.points(1)
@pytest.mark.requires("reloaded_weights_give_identical_outputs")
def test_loading_refuses_pickled_code(learner, rng):
    tag = draw_int(rng, 0, 2**31 - 2)
    for which, function in (("weights", "load_weights()"), ("checkpoint", "load_checkpoint()")):
        result = learner.run(load_doctored, which, f"grader-trap-{which}-{tag}")
        if result["ran"]:
            fail(t("{function} ran code hidden in a doctored file (a pickled call to os.mkdir executed while "
                   "loading): a checkpoint from elsewhere could do anything", function=function),
                 t("load with torch.load(path, weights_only=True), which unpickles only tensors and plain containers"))


@pytest.mark.points(2)
def test_exported_model_runs_in_a_fresh_worker(learner, rng, device):
    state = random_state(rng)
    n = draw_int(rng, 2, 8)
    example, other = torch.randn(n, 1, 8, 8, generator=rng), torch.randn(n, 1, 8, 8, generator=rng)
    blob = run_saving(learner, export_to_bytes, state, example, device, what="export_model()")
    if not isinstance(blob, bytes) or not blob:
        fail(t("export_model() wrote an empty file"), t("save the exported program to the path it is given"))
    fresh = learner.fresh()  # a new sandboxed process: nothing of the first one survives there
    try:
        outputs = fresh.run(run_exported, blob, [example, other], device)
    finally:
        fresh.close()
    if isinstance(outputs, str):
        uncallable = re.fullmatch(r"load_exported\(\) returned a (\w+), which cannot be called", outputs)
        if uncallable:  # the probe's own sentence (it runs in the sandbox, without the catalog)
            outputs = t("load_exported() returned a {type}, which cannot be called", type=uncallable[1])
        fail(outputs, t("return program.module() for torch.export, or the torch.jit.load(...) result"))
    for x, out, want in zip((example, other), outputs, eager(state, [example, other])):
        what = t("the exported model's logits, loaded in a fresh process, for x of shape {shape}", shape=tuple(x.shape))
        expect_close(out, want, what, rtol=1e-4, atol=1e-5,
                     hint=t("export the model in eval mode (model.eval() first) with its trained weights"))
