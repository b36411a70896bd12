"""Models chapter: the shape after every operation of the corrected ``Net``, and the seed's beside it.

Both networks are the kit's own files: the reference solution of exercise 04 (the
chapter's ``Net``) and the exercise's starter (the original article's ``Net``, bugs and
all). ``torch.fx`` traces each ``forward`` and propagates a batch of 64 on the ``meta``
device: real shapes from the real code, without computing a single convolution.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.fx import symbolic_trace
from torch.fx.passes.shape_prop import ShapeProp

from . import FIXED_NET, SEED_NET
from .grids import finish
from .style import blank_axes

BATCH = 64


def load_net(path: Path) -> type[nn.Module]:
    spec = importlib.util.spec_from_file_location(f"course_figures_{path.parent.name}_{path.parent.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Net


def describe(node, modules) -> str:
    """The operation of one traced node, written as code."""
    def arg(a):
        return "x" if isinstance(a, torch.fx.Node) else repr(a)

    if node.op == "call_module":
        m = modules[node.target]
        if isinstance(m, nn.Conv2d):
            extra = f"{m.in_channels}, {m.out_channels}, {m.kernel_size[0]}, padding={m.padding[0]}"
        elif isinstance(m, nn.Linear):
            extra = f"{m.in_features}, {m.out_features}"
        else:
            extra = ""
        return f"{node.target}: {type(m).__name__}({extra})"
    if node.op == "call_function":
        return f"F.{node.target.__name__.lstrip('_')}(" + ", ".join(map(arg, node.args)) + ")" \
            if node.target.__name__ != "fn" else f"F.max_pool2d({', '.join(map(arg, node.args))})"
    if node.op == "call_method":
        return f"x.{node.target}(" + ", ".join(map(arg, node.args[1:])) + ")"
    return "x"


@lru_cache
def traced_shapes(path: Path) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``(operation, output shape)`` for every step of ``Net.forward`` on a (64, 1, 28, 28) batch."""
    with torch.device("meta"):
        net = load_net(path)()
    graph = symbolic_trace(net)
    ShapeProp(graph).propagate(torch.empty(BATCH, 1, 28, 28, device="meta"))
    modules = dict(graph.named_modules())
    steps = []
    for node in graph.graph.nodes:
        if node.op == "output":
            continue
        steps.append((describe(node, modules), tuple(node.meta["tensor_meta"].shape)))
    return tuple(steps)


def marked(steps, other) -> list[bool]:
    """Per step, whether the side-by-side figure colours it: its shape differs from the other
    Net's at the same step, or its rows are no longer the batch's samples."""
    return [shape[0] != BATCH or row >= len(other) or other[row][1] != shape for row, (_, shape) in enumerate(steps)]


def call_args(steps, method: str) -> list[int]:
    """The numeric arguments of the first traced call to ``method``, e.g. ``[-1, 4096]`` for ``x.view(-1, 4096)``."""
    op = next(op for op, _ in steps if f".{method}(" in op)
    return [int(a) for a in re.findall(r"-?\d+", op.split("(", 1)[1])]


def shapes_facts() -> dict:
    """The numbers of the net-shapes figure (one bar per traced step), for the pages that state them."""
    steps = traced_shapes(FIXED_NET)
    return {"bars": len(steps), "batch": BATCH, "shapes": [shape for _, shape in steps],
            "poolings": sum("max_pool2d" in op for op, _ in steps), "flatten_args": call_args(steps, "flatten")}


def broken_vs_fixed_facts() -> dict:
    """The numbers of the broken-vs-fixed figure: the shapes it colours in each column."""
    seed, fixed = traced_shapes(SEED_NET), traced_shapes(FIXED_NET)
    return {"columns": 2, "batch": BATCH,
            "seed_marked": [shape for (_, shape), m in zip(seed, marked(seed, fixed)) if m],
            "fixed_marked": [shape for (_, shape), m in zip(fixed, marked(fixed, seed)) if m],
            "view_args": call_args(seed, "view"), "flatten_args": call_args(fixed, "flatten")}


def shape_text(shape) -> str:
    return "×".join(map(str, shape))


def net_shapes(lang: str, theme):
    steps = traced_shapes(FIXED_NET)
    fig = plt.figure(figsize=(7.0, 0.42 * len(steps) + 0.6))
    ax = fig.add_axes((0.47, 0.0, 0.53, 0.9))
    values = [torch.Size(shape[1:]).numel() for _, shape in steps]
    rows = range(len(steps))
    colours = [theme.second if "conv" in op or "fc" in op else theme.accent if "pool" in op else theme.muted
               for op, _ in steps]
    ax.barh(rows, values, color=colours, height=0.65)
    ax.set_xscale("log")
    ax.set_xlim(1, max(values) * 40)
    ax.invert_yaxis()
    ax.set_yticks(list(rows), [op for op, _ in steps], family="monospace", fontsize=9)
    ax.tick_params(axis="y", length=0)
    for row, (value, (_, shape)) in enumerate(zip(values, steps)):
        ax.text(value * 1.3, row, shape_text(shape), va="center", family="monospace", fontsize=9)
    ax.set_xlabel({"en": "values per sample (log scale)", "zh": "每个样本的数值个数（对数刻度）"}[lang])
    ax.spines["left"].set_visible(False)
    return fig


def broken_vs_fixed(lang: str, theme):
    seed, fixed = traced_shapes(SEED_NET), traced_shapes(FIXED_NET)
    titles = {"en": ("the original article's Net", "the corrected Net"), "zh": ("原文的 Net", "修正后的 Net")}[lang]
    fig = plt.figure(figsize=(8.6, 0.46 * max(len(seed), len(fixed)) + 0.9))
    ax = blank_axes(fig)
    ax.set_aspect("auto")
    for column, (steps, title, other) in enumerate(((seed, titles[0], fixed), (fixed, titles[1], seed))):
        left = column * 11.5
        ax.text(left, -1.1, title, fontsize=12, fontweight="bold", va="center")
        for row, ((op, shape), coloured) in enumerate(zip(steps, marked(steps, other))):
            colour = theme.text
            if coloured:
                colour = theme.bad if column == 0 else theme.third
            ax.text(left, row, op, family="monospace", fontsize=9, va="center", color=colour)
            ax.text(left + 10.8, row, shape_text(shape), family="monospace", fontsize=9, va="center",
                    ha="right", color=colour, fontweight="bold" if colour != theme.text else "normal")
    ax.plot([11.0, 11.0], [-1.5, max(len(seed), len(fixed)) - 0.4], color=theme.muted, linewidth=0.8)
    ax.set_xlim(-0.2, 22.6)
    finish(ax, margin=0.2)
    ax.set_xlim(-0.2, 22.6)
    return fig
