"""Exercise 10 — deployment: save, resume, export.

"Build, train and deploy" needs three kinds of file, and each has its trap.

Goal:

* ``save_weights(model, path)`` / ``load_weights(model, path)``: write the
  model's weights and read them back into a fresh instance of the same class
  (``load_weights`` returns the model). The reloaded model must give exactly
  the outputs of the original, batch-norm statistics included.
* ``save_checkpoint(path, model, optimizer, epoch)`` /
  ``load_checkpoint(path, model, optimizer)``: ``epoch`` is the number of
  epochs already finished; ``load_checkpoint`` restores model and optimizer
  and returns it. Training resumed from a checkpoint must match training that
  was never interrupted, step for step.
* Loading must not run code hidden in a file: a checkpoint downloaded from
  somewhere is data, and must be read as data only.
* ``export_model(model, example_input, path)`` / ``load_exported(path)``:
  write a self-contained artefact that a *different* process can load and
  call on inputs shaped like ``example_input``, without the model's Python
  class. ``load_exported`` returns something callable.

Check your work with:  grader check exercise-10
"""

import torch


def save_weights(model, path):
    """Write the model's weights to ``path``."""
    # TODO: this pickles the whole object, class reference and all.
    torch.save(model, path)


def load_weights(model, path):
    """Load weights written by save_weights into ``model``; return the model."""
    # TODO: weights_only=False lets the file run any code it likes while loading.
    return torch.load(path, weights_only=False)


def save_checkpoint(path, model, optimizer, epoch):
    """Save what resuming training needs; ``epoch`` is the number of epochs finished."""
    # TODO: is the model's state all that training depends on?
    torch.save({"model": model.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    """Restore ``model`` and ``optimizer`` from ``path``; return the epoch to resume at."""
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"])
    # TODO: the optimizer starts from scratch here.
    return checkpoint["epoch"]


def export_model(model, example_input, path):
    """Export ``model`` for inputs shaped like ``example_input`` to ``path``."""
    raise NotImplementedError("TODO: export the model (torch.export or TorchScript) and save it to path")


def load_exported(path):
    """Load what export_model wrote and return something callable."""
    raise NotImplementedError("TODO: load the exported artefact from path")
