"""Exercise 02 — activations, autograd and the dynamic graph.

The article adds "a ReLU activation" by calling ``torch.relu`` on the input
data, and later puts another one on the output layer. Both are mistakes: ReLU
goes between layers, and the last layer returns raw logits. It also praises
PyTorch's dynamic graph without showing one. Here you write both.

Write the four functions below. They are called with random inputs, on the CPU
and (where there is one) on a CUDA device; values and gradients are compared
with a reference, and ``torch.autograd.gradcheck`` checks your gradients in
float64.

- ``mlp_logits(x, w1, b1, w2, b2)``: a two-layer network written with plain
  tensor operations. ``x`` is (N, D), ``w1`` (H, D), ``b1`` (H,), ``w2`` (C, H),
  ``b2`` (C,). A hidden layer ``x @ w1.T + b1`` followed by ReLU, then an
  output layer that returns logits of shape (N, C). Gradients must reach every
  argument: do not cut the graph (no ``.detach()``, ``.item()``, ``.numpy()``
  or ``torch.no_grad()`` on the way).
- ``probabilities(logits, multilabel=False)``: class probabilities. For
  single-label problems, a softmax over the *last* dimension (the classes) that
  stays finite for logits in the thousands; with ``multilabel=True`` each entry
  is its own yes/no probability (a sigmoid).
- ``gradient(fn, x)``: the gradient of the scalar ``fn(x)`` with respect to
  ``x``, computed with autograd. Leave the caller's ``x`` untouched (no
  ``requires_grad`` switched on, no ``.grad`` left behind), and return the same
  answer every time you are called with the same arguments.
- ``dynamic_depth(x, weight, tol, max_steps)``: the dynamic graph. Starting
  from ``h = x`` (a vector of shape (D,)), apply ``h = tanh(weight @ h)`` while
  ``h``'s Euclidean norm is larger than ``tol``, at most ``max_steps`` times,
  and return ``(h, steps)`` with ``steps`` the int number of steps taken. How
  deep the graph is depends on the data; gradients must still flow to ``x`` and
  ``weight``.

Check your work with:  grader check exercise-02
"""

import torch


def mlp_logits(x, w1, b1, w2, b2):
    """Logits (N, C) of a ReLU hidden layer followed by a linear output layer."""
    # TODO: this follows the article. Where does a ReLU belong, and where not?
    x = torch.relu(x)
    hidden = torch.relu(x @ w1.T + b1)
    return torch.relu(hidden @ w2.T + b2)


def probabilities(logits, multilabel=False):
    """Softmax over the last dimension, or an element-wise sigmoid when ``multilabel``."""
    # TODO
    raise NotImplementedError("probabilities is not written yet")


def gradient(fn, x):
    """d fn(x) / dx for a scalar-valued ``fn``, leaving ``x`` as it was."""
    # TODO
    raise NotImplementedError("gradient is not written yet")


def dynamic_depth(x, weight, tol, max_steps):
    """Apply h = tanh(weight @ h) until ||h|| <= tol (at most max_steps times); return (h, steps)."""
    # TODO
    raise NotImplementedError("dynamic_depth is not written yet")
