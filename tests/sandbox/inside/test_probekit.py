"""probekit's helpers for probes, called directly (inside the sandbox they run the same way)."""

import torch

from grader.sandbox.inside import probekit


class Halves(torch.nn.Module):
    """A model with one parameter that forward never uses, and dropout that only eval() stops."""

    def __init__(self):
        super().__init__()
        self.used, self.unused = torch.nn.Linear(4, 2), torch.nn.Linear(4, 2)
        self.drop = torch.nn.Dropout(0.5)

    def forward(self, x):
        return self.used(self.drop(x))


def test_eval_logits_runs_in_eval_mode_without_a_graph():
    torch.manual_seed(0)
    model, inputs = Halves(), [torch.randn(3, 4), torch.randn(1, 4)]
    result = probekit.eval_logits(model.train(), inputs, "cpu")
    assert not model.training and result["devices"] == ["cpu", "cpu"]
    for x, out in zip(inputs, result["outputs"]):
        assert not out.requires_grad and torch.equal(out, model.used(x).detach())


def test_gradient_sums_name_every_parameter_and_the_ones_no_gradient_reached():
    torch.manual_seed(0)
    model = Halves().eval()
    sums = probekit.gradient_sums(model, torch.randn(5, 4))
    assert model.training
    assert set(sums) == {"used.weight", "used.bias", "unused.weight", "unused.bias"}
    assert sums["unused.weight"] is None and sums["unused.bias"] is None
    assert float(sums["used.weight"]) > 0 and sums["used.bias"].shape == ()


def test_gradient_sums_follow_torchs_global_generator():
    def run():
        torch.manual_seed(3)
        return probekit.gradient_sums(torch.nn.Linear(4, 2), torch.ones(2, 4))

    first, second = run(), run()
    assert all(torch.equal(first[name], second[name]) for name in first)
