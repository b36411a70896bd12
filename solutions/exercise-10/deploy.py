"""Reference solution for exercise 10: save, resume and export a model.

* Weights are saved as ``model.state_dict()``: tensors keyed by name,
  buffers such as batch-norm's running statistics included. Loading them
  needs the model's class, which the code that loads them already has.
* A checkpoint adds what resuming needs: the optimizer's state (Adam's
  running averages and step count) and the epoch to carry on from.
* ``torch.load(..., weights_only=True)`` unpickles only tensors and plain
  containers, so a doctored file cannot run code while it is being read.
* An exported program carries its own graph and weights and runs without the
  Python class that produced it, which is what deploying it elsewhere needs.
"""

import torch


def save_weights(model, path):
    """Write the model's parameters and buffers (its state_dict) to ``path``."""
    torch.save(model.state_dict(), path)


def load_weights(model, path):
    """Load weights written by :func:`save_weights` into ``model``; return the model."""
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model


def save_checkpoint(path, model, optimizer, epoch):
    """Everything needed to resume: weights, optimizer state, and the epoch to resume at."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    """Restore ``model`` and ``optimizer`` from ``path``; return the epoch to resume at."""
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])  # moves the state to the parameters' device
    return checkpoint["epoch"]


def export_model(model, example_input, path):
    """Export ``model`` (in eval mode) for inputs shaped like ``example_input``, to ``path``."""
    model.eval()
    program = torch.export.export(model, (example_input,))
    torch.export.save(program, path)


def load_exported(path):
    """Load what :func:`export_model` wrote, as a callable; no model class needed."""
    return torch.export.load(path).module()
