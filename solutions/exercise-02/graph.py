"""Reference solution for exercise 02: activations, autograd and a data-dependent graph.

ReLU belongs between layers, never on the input data or on the logits;
softmax runs over the class dimension; autograd records only the operations
that actually ran, so a Python loop whose length depends on the data is
differentiated exactly as it executed.
"""

import torch


def mlp_logits(x, w1, b1, w2, b2):
    hidden = torch.relu(x @ w1.T + b1)
    return hidden @ w2.T + b2  # raw logits: the loss applies (log-)softmax itself


def probabilities(logits, multilabel=False):
    if multilabel:
        return torch.sigmoid(logits)
    return torch.softmax(logits, dim=-1)  # subtracts the row maximum, so it never overflows


def gradient(fn, x):
    # A fresh leaf: the caller's tensor keeps requires_grad=False and no .grad,
    # and autograd.grad returns the gradient instead of accumulating it.
    leaf = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(leaf), leaf)
    return grad


def dynamic_depth(x, weight, tol, max_steps):
    h, steps = x, 0
    while steps < max_steps and h.norm() > tol:
        h = torch.tanh(weight @ h)
        steps += 1
    return h, steps
