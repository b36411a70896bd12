"""Convolution chapter: a kernel sliding with padding, stride and dilation; cross-correlation; max pooling."""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

from .grids import arrow, cell, finish, number_grid
from .style import blank_axes

SIZE = 5  # the input's height and width in the sliding figure
CASES = (  # (label, Conv2d keyword arguments), each drawn as one row of the figure
    dict(kernel_size=3, padding=1),
    dict(kernel_size=3, padding=1, stride=2),
    dict(kernel_size=3, padding=2, dilation=2),
)
HIGHLIGHTED = (0, 1)  # the output columns whose input cells are coloured


@lru_cache
def output_sizes() -> tuple[int, ...]:
    """The output width of each case, from a real ``nn.Conv2d``."""
    x = torch.zeros(1, 1, SIZE, SIZE)
    return tuple(nn.Conv2d(1, 1, **case)(x).shape[-1] for case in CASES)


def sliding_facts() -> dict:
    """The numbers of the conv-sliding figure (one row per case), for the pages that state them."""
    def get(key, default):
        return [case.get(key, default) for case in CASES]

    kernels, dilations = get("kernel_size", None), get("dilation", 1)
    spans = [d * (k - 1) + 1 for k, d in zip(kernels, dilations)]  # the input width one window covers
    return {"rows": len(CASES), "size": SIZE, "input": (SIZE, SIZE), "highlighted": len(HIGHLIGHTED),
            "kernel_size": kernels, "window": [(k, k) for k in kernels], "taps": [k * k for k in kernels],
            "padding": get("padding", 0), "stride": get("stride", 1), "dilation": dilations,
            "spans": [(w, w) for w in spans], "outputs": [(o, o) for o in output_sizes()]}


def taps(case: dict, out_col: int) -> list[tuple[int, int]]:
    """Padded-input cells that the kernel reads for output (0, out_col)."""
    k, s, d = case["kernel_size"], case.get("stride", 1), case.get("dilation", 1)
    return [(i * d, out_col * s + j * d) for i in range(k) for j in range(k)]


def sliding(lang: str, theme):
    fig = plt.figure(figsize=(6.4, 7.8))
    height = 1 / len(CASES)
    for index, (case, out) in enumerate(zip(CASES, output_sizes())):
        ax = blank_axes(fig, (0, 1 - (index + 1) * height, 1, height * 0.92))
        p = case["padding"]
        padded = SIZE + 2 * p
        for r in range(padded):
            for c in range(padded):
                inside = p <= r < p + SIZE and p <= c < p + SIZE
                cell(ax, c, r, face=theme.fill if inside else "none", edge=theme.muted if not inside else theme.text,
                     dashed=not inside, text=None if inside else "0", text_color=theme.muted, fontsize=8, lw=0.8)
        for out_col, colour in zip(HIGHLIGHTED, (theme.accent, theme.second)):
            for r, c in taps(case, out_col):
                cell(ax, c + 0.08, r + 0.08, size=0.84, face=colour, edge=colour, alpha=0.55)
        left = padded + 2.2
        top = (padded - out) / 2
        for r in range(out):
            for c in range(out):
                face = {(0, 0): theme.accent, (0, 1): theme.second}.get((r, c), theme.fill)
                cell(ax, left + c, top + r, face=face, edge=theme.text, lw=0.8)
        arrow(ax, (padded + 0.3, padded / 2), (left - 0.3, padded / 2), theme)
        args = ", ".join(f"{key}={value}" for key, value in case.items())
        ax.text(0, -0.6, f"nn.Conv2d(1, 1, {args})", family="monospace", fontsize=10.5, va="bottom")
        ax.text(left + out / 2, top + out + 0.5, f"{SIZE}×{SIZE} → {out}×{out}", ha="center", va="top", fontsize=11)
        finish(ax)
    return fig


@lru_cache
def correlation_example():
    """A 4x4 input, an asymmetric 2x2 kernel, and what ``F.conv2d`` makes of them."""
    x = torch.arange(16.0).view(4, 4)
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = F.conv2d(x.view(1, 1, 4, 4), w.view(1, 1, 2, 2)).view(3, 3)
    return x, w, out


def top_left():
    """The top-left output as F.conv2d computes it (kernel as is) and as the textbook would (flipped)."""
    x, w, out = correlation_example()
    patch = x[:2, :2]
    as_used = float((patch * w).sum())
    flipped = float((patch * w.flip(0, 1)).sum())
    assert as_used == float(out[0, 0]), "F.conv2d no longer computes a cross-correlation"
    return patch, as_used, flipped


def correlation_facts() -> dict:
    """The numbers of the cross-correlation figure, for the pages that state them."""
    x, w, out = correlation_example()
    patch, as_used, flipped = top_left()
    terms = [v for pair in zip(patch.flatten().tolist(), w.flatten().tolist()) for v in pair]
    return {"input": tuple(x.shape), "input_range": [x.min().item(), x.max().item()],
            "kernel": tuple(map(tuple, w.tolist())), "kernel_shape": tuple(w.shape), "output": tuple(out.shape),
            "terms": terms, "top_left": as_used, "flipped": flipped}


def cross_correlation(lang: str, theme):
    x, w, out = correlation_example()
    patch, as_used, flipped = top_left()
    fig = plt.figure(figsize=(6.4, 3.3))
    ax = blank_axes(fig)
    number_grid(ax, x.tolist(), 0, 0, theme, faces={(r, c): theme.accent for r in range(2) for c in range(2)})
    ax.text(4.7, 2, "⋆", fontsize=20, ha="center", va="center")
    number_grid(ax, w.tolist(), 5.4, 1, theme, faces={(r, c): theme.second for r in range(2) for c in range(2)})
    ax.text(8.1, 2, "=", fontsize=18, ha="center", va="center")
    number_grid(ax, out.tolist(), 8.8, 0.5, theme, faces={(0, 0): theme.accent}, bold={(0, 0)})
    terms = " + ".join(f"{a:g}·{b:g}" for a, b in zip(patch.flatten().tolist(), w.flatten().tolist()))
    flip_terms = " + ".join(f"{a:g}·{b:g}" for a, b in zip(patch.flatten().tolist(), w.flip(0, 1).flatten().tolist()))
    ax.text(0, 4.7, f"F.conv2d:  {terms} = {as_used:g}", family="monospace", fontsize=10, va="top")
    label = {"en": "flipped kernel (textbook convolution):", "zh": "翻转卷积核（数学教科书中的卷积）："}[lang]
    ax.text(0, 5.5, label, fontsize=10, va="top", color=theme.muted)
    ax.text(0, 6.3, f"{flip_terms} = {flipped:g}", family="monospace", fontsize=10, va="top", color=theme.muted)
    finish(ax)
    return fig


POOL = nn.MaxPool2d(2)


@lru_cache
def pooling_example():
    x = torch.tensor([[1.0, 5.0, 2.0, 0.0], [3.0, 2.0, 7.0, 4.0], [8.0, 1.0, 3.0, 6.0], [0.0, 4.0, 9.0, 2.0]])
    out = POOL(x.view(1, 1, 4, 4)).view(2, 2)
    return x, out


def pooling_facts() -> dict:
    """The numbers of the max-pooling figure, for the pages that state them."""
    x, out = pooling_example()
    block = (POOL.kernel_size, POOL.kernel_size)
    return {"input": tuple(x.shape), "blocks": out.numel(), "block": block, "kernel_size": POOL.kernel_size,
            "stride": POOL.stride, "maxima": out.flatten().tolist(), "output": tuple(out.shape)}


def max_pooling(lang: str, theme):
    x, out = pooling_example()
    colours = {(0, 0): theme.accent, (0, 1): theme.second, (1, 0): theme.third, (1, 1): theme.muted}
    faces, bold = {}, set()
    for (br, bc), colour in colours.items():
        block = x[2 * br:2 * br + 2, 2 * bc:2 * bc + 2]
        for r in range(2):
            for c in range(2):
                faces[(2 * br + r, 2 * bc + c)] = colour
        flat = int(block.argmax())
        bold.add((2 * br + flat // 2, 2 * bc + flat % 2))
    fig = plt.figure(figsize=(5.6, 2.9))
    ax = blank_axes(fig)
    number_grid(ax, x.tolist(), 0, 0, theme, faces=faces, bold=bold, fontsize=11)
    arrow(ax, (4.3, 2), (6.2, 2), theme)
    ax.text(5.25, 1.6, f"nn.MaxPool2d({POOL.kernel_size})", ha="center", va="bottom", family="monospace", fontsize=9)
    ax.text(5.25, 2.4, f"stride = {POOL.stride}", ha="center", va="top", family="monospace", fontsize=9,
            color=theme.muted)
    number_grid(ax, out.tolist(), 6.5, 1, theme, faces=colours, bold=set(colours), fontsize=11)
    ax.text(2, 4.3, "4×4", ha="center", va="top")
    ax.text(7.5, 4.3, "2×2", ha="center", va="top")
    finish(ax)
    return fig
