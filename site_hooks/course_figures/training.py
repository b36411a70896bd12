"""Training chapter: the five steps of the loop, and a loss curve from a real (small) training run."""

from __future__ import annotations

import math
from functools import lru_cache

import matplotlib.pyplot as plt
import torch
from torch import nn

from .grids import arrow, box, finish
from .style import blank_axes

STEPS = (  # (code, what it does in each language), in the order of the chapter's loop
    ("optimizer.zero_grad()", {"en": "forget old gradients", "zh": "清空上一批的梯度"}),
    ("logits = model(x)", {"en": "forward", "zh": "前向传播"}),
    ("loss = loss_fn(logits, y)", {"en": "how wrong", "zh": "计算误差"}),
    ("loss.backward()", {"en": "gradients", "zh": "反向传播求梯度"}),
    ("optimizer.step()", {"en": "update the weights", "zh": "更新权重"}),
)


def loop(lang: str, theme):
    fig = plt.figure(figsize=(7.6, 5.4))
    ax = blank_axes(fig)
    points = []
    for i, (code, note) in enumerate(STEPS):
        angle = math.pi / 2 - 2 * math.pi * i / len(STEPS)
        x, y = 5.4 * math.cos(angle), -3.1 * math.sin(angle)
        points.append((x, y))
        box(ax, x, y, 5.0, 0.8, f"{i + 1}. {code}", theme, fontsize=8, family="monospace",
            face=theme.fill, edge=theme.accent if i in (1, 3) else theme.text)
        ax.text(x, y + 0.55, note[lang], ha="center", va="top", fontsize=9, color=theme.muted)
    for i in range(len(STEPS)):
        (x0, y0), (x1, y1) = points[i], points[(i + 1) % len(STEPS)]
        if abs(y1 - y0) < 1:  # side by side: from one box's edge to the other's
            side = 2.6 if x1 > x0 else -2.6
            arrow(ax, (x0 + side, y0), (x1 - side, y1), theme)
        else:
            arrow(ax, (x0 + (x1 - x0) * 0.3, y0 + (y1 - y0) * 0.3), (x0 + (x1 - x0) * 0.7, y0 + (y1 - y0) * 0.7),
                  theme, rad=-0.15)
    box(ax, 0, 0, 4.6, 0.9, "for x, y in loader:", theme, family="monospace", fontsize=10, face="none",
        edge=theme.second)
    finish(ax)
    return fig


@lru_cache
def losses() -> tuple[float, ...]:
    """Per-step loss of a small MLP learning scikit-learn's two moons (full batch, Adam)."""
    from sklearn.datasets import make_moons

    features, labels = make_moons(n_samples=512, noise=0.2, random_state=0)
    x = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(labels)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    for _ in range(150):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    return tuple(history)


def loss_curve(lang: str, theme):
    history = losses()
    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    ax.plot(range(1, len(history) + 1), history, color=theme.accent, linewidth=2)
    ax.axhline(math.log(2), color=theme.muted, linestyle="--", linewidth=1)
    ax.text(len(history), math.log(2) + 0.02, "ln 2", ha="right", va="bottom", color=theme.muted)
    ax.set_ylim(0, max(history) * 1.15)
    ax.set_xlabel({"en": "step (one batch)", "zh": "步数（每步一个批次）"}[lang])
    ax.set_ylabel("loss")
    ax.grid(True)
    return fig
