"""Activations chapter: the common activation functions, as PyTorch computes them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from torch import nn


def curves(lang: str, theme):
    x = torch.linspace(-4, 4, 401)
    functions = [("nn.ReLU()", nn.ReLU(), theme.accent), ("nn.LeakyReLU(0.1)", nn.LeakyReLU(0.1), theme.bad),
                 ("nn.GELU()", nn.GELU(), theme.third), ("nn.Sigmoid()", nn.Sigmoid(), theme.second),
                 ("nn.Tanh()", nn.Tanh(), theme.muted)]
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    with torch.no_grad():
        for label, fn, colour in functions:
            ax.plot(x.tolist(), fn(x).tolist(), label=label, color=colour, linewidth=2)
    ax.set_xlim(-4, 4)
    ax.set_ylim(-1.5, 3)
    ax.axhline(0, color=theme.muted, linewidth=0.8)
    ax.axvline(0, color=theme.muted, linewidth=0.8)
    ax.grid(True)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="upper left", prop={"family": "monospace", "size": 9})
    return fig
