"""Activations chapter: the common activation functions, as PyTorch computes them."""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import torch
from torch import nn

X_RANGE = (-4, 4)
LEAKY_SLOPE = 0.1


@lru_cache
def curves_data():
    """``x`` and, per function, its label, module and values: what the figure plots."""
    x = torch.linspace(*X_RANGE, 401)
    functions = [("nn.ReLU()", nn.ReLU()), (f"nn.LeakyReLU({LEAKY_SLOPE})", nn.LeakyReLU(LEAKY_SLOPE)),
                 ("nn.GELU()", nn.GELU()), ("nn.Sigmoid()", nn.Sigmoid()), ("nn.Tanh()", nn.Tanh())]
    with torch.no_grad():
        return x, [(label, fn, fn(x)) for label, fn in functions]


def curves_facts() -> dict:
    """The numbers of the activation-curves figure, for the pages that state them."""
    x, functions = curves_data()
    values = {type(fn).__name__: y for _, fn, y in functions}
    return {"x_range": [x[0].item(), x[-1].item()], "leaky_slope": functions[1][1].negative_slope,
            "gelu_min": values["GELU"].min().item(),
            "sigmoid_range": [values["Sigmoid"].min().item(), values["Sigmoid"].max().item()],
            "tanh_range": [values["Tanh"].min().item(), values["Tanh"].max().item()]}


def curves(lang: str, theme):
    x, functions = curves_data()
    colours = (theme.accent, theme.bad, theme.third, theme.second, theme.muted)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for (label, _, y), colour in zip(functions, colours):
        ax.plot(x.tolist(), y.tolist(), label=label, color=colour, linewidth=2)
    ax.set_xlim(*X_RANGE)
    ax.set_ylim(-1.5, 3)
    ax.axhline(0, color=theme.muted, linewidth=0.8)
    ax.axvline(0, color=theme.muted, linewidth=0.8)
    ax.grid(True)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="upper left", prop={"family": "monospace", "size": 9})
    return fig
