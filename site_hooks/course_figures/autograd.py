"""Activations and autograd chapter: the graph autograd records for a small expression."""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import torch

from .grids import arrow, box, finish
from .style import blank_axes

EXPRESSION = "y = a * b + c.exp()"
VALUES = {"a": 2.0, "b": 3.0, "c": 0.5}


@lru_cache
def recorded_graph():
    """Walk ``y.grad_fn.next_functions``: nodes as (id, label, depth), edges, and the leaves' grads."""
    a, b, c = (torch.tensor(VALUES[name], requires_grad=True) for name in "abc")
    y = a * b + c.exp()
    names = {id(a): "a", id(b): "b", id(c): "c"}
    nodes, edges, leaves = {}, [], []

    def visit(fn, depth):
        if id(fn) in nodes:
            return
        label = type(fn).__name__
        if hasattr(fn, "variable"):  # AccumulateGrad: where a leaf's .grad is written
            name = names[id(fn.variable)]
            label += f"\n{name}"
            leaves.append(name)
        nodes[id(fn)] = (label, depth)
        for child, _ in fn.next_functions:
            if child is not None:
                edges.append((id(fn), id(child)))
                visit(child, depth + 1)

    visit(y.grad_fn, 0)
    y.backward()
    grads = {"a": a.grad.item(), "b": b.grad.item(), "c": c.grad.item()}
    return nodes, edges, leaves, grads, y.item()


def graph_facts() -> dict:
    """The numbers of the autograd-graph figure: the leaves' values and their ``.grad``."""
    nodes, edges, leaves, grads, value = recorded_graph()
    return {**VALUES, "y": value, **{f"{name}_grad": grad for name, grad in grads.items()}}


def graph(lang: str, theme):
    nodes, edges, leaves, grads, value = recorded_graph()
    # leaves spread evenly at the bottom; every other node sits above the mean of its children
    children = {}
    for parent, child in edges:
        children.setdefault(parent, []).append(child)
    x = {}
    next_leaf = 0

    def place(node):
        nonlocal next_leaf
        if node in x:
            return x[node]
        if not children.get(node):
            x[node] = next_leaf * 3.2
            next_leaf += 1
        else:
            x[node] = sum(place(c) for c in children[node]) / len(children[node])
        return x[node]

    root = next(n for n, (_, depth) in nodes.items() if depth == 0)
    place(root)
    depth_of = {n: d for n, (_, d) in nodes.items()}
    # a leaf's AccumulateGrad goes on the bottom row whatever its depth
    bottom = max(depth_of.values())
    for n in nodes:
        if not children.get(n):
            depth_of[n] = bottom
    fig = plt.figure(figsize=(6.4, 1.35 * (bottom + 1) + 0.6))
    ax = blank_axes(fig)
    for parent, child in edges:
        arrow(ax, (x[parent], depth_of[parent] * 1.6 + 0.35), (x[child], depth_of[child] * 1.6 - 0.35), theme,
              color=theme.accent)
    for n, (label, _) in nodes.items():
        leaf = not children.get(n)
        text = label
        if leaf:
            name = label.split("\n")[1]
            text = f"AccumulateGrad\n{name}.grad = {grads[name]:.4g}"
        box(ax, x[n], depth_of[n] * 1.6, 2.9, 0.7 if not leaf else 0.85, text, theme,
            face=theme.fill, edge=theme.second if leaf else theme.text, fontsize=9, family="monospace")
    values = ", ".join(f"{name}={value:g}" for name, value in VALUES.items())
    ax.text(x[root], -0.8, f"{EXPRESSION}    ({values})", ha="center", va="bottom", family="monospace", fontsize=10)
    ax.text(x[root], -0.55, "y.grad_fn", ha="center", va="bottom", family="monospace", fontsize=8, color=theme.muted)
    finish(ax, margin=0.2)
    ax.set_aspect("auto")
    return fig
