"""Tensors chapter: broadcasting a (3, 1) and a (1, 4) tensor to (3, 4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch

from .grids import cell, finish, number_grid
from .style import blank_axes


def operands():
    """A (3, 1) column, a (1, 4) row, and their broadcast sum."""
    a = torch.arange(3.0).view(3, 1) * 10
    b = torch.arange(4.0).view(1, 4)
    return a, b, a + b


def broadcasting_facts() -> dict:
    """The numbers of the broadcasting figure, for the pages that state them."""
    a, b, total = operands()
    return {"a_shape": tuple(a.shape), "a_values": a.flatten().tolist(), "b_shape": tuple(b.shape),
            "b_range": [b.min().item(), b.max().item()], "sum_shape": tuple(total.shape),
            "sum_range": [total.min().item(), total.max().item()],
            "columns": total.shape[1], "rows": total.shape[0]}


def broadcasting(lang: str, theme):
    a, b, total = operands()
    fig = plt.figure(figsize=(7.2, 2.6))
    ax = blank_axes(fig)
    # each operand as stored (solid) and as broadcasting repeats it (dashed, faded)
    for r in range(3):
        for c in range(4):
            if c == 0:
                continue
            cell(ax, c, r, edge=theme.muted, dashed=True, text=f"{float(a[r, 0]):g}", text_color=theme.muted)
    number_grid(ax, a.tolist(), 0, 0, theme, faces={(r, 0): theme.accent for r in range(3)})
    ax.text(4.75, 1.5, "+", fontsize=18, ha="center", va="center")
    for r in range(1, 3):
        for c in range(4):
            cell(ax, 5.5 + c, r, edge=theme.muted, dashed=True, text=f"{float(b[0, c]):g}", text_color=theme.muted)
    number_grid(ax, b.tolist(), 5.5, 0, theme, faces={(0, c): theme.second for c in range(4)})
    ax.text(10.25, 1.5, "=", fontsize=18, ha="center", va="center")
    number_grid(ax, total.tolist(), 11, 0, theme)
    for x, shape in ((2, a.shape), (7.5, b.shape), (13, total.shape)):
        ax.text(x, 3.4, str(tuple(shape)), ha="center", va="top", family="monospace")
    finish(ax)
    return fig
