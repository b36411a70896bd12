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
SAMPLES, WIDTHS, STEPS_RUN = 512, (2, 32, 2), 150  # two moons, the MLP's layer widths, training steps
PROBE = 20  # the step at which the pages quote the loss


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


def loop_facts() -> dict:
    """The numbers of the training-loop figure: its numbered steps."""
    return {"steps": len(STEPS), "numbers": list(range(1, len(STEPS) + 1))}


@lru_cache
def losses() -> tuple[float, ...]:
    """Per-step loss of a small MLP learning scikit-learn's two moons (full batch, Adam)."""
    from sklearn.datasets import make_moons

    features, labels = make_moons(n_samples=SAMPLES, noise=0.2, random_state=0)
    x = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(labels)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(WIDTHS[0], WIDTHS[1]), nn.ReLU(), nn.Linear(WIDTHS[1], WIDTHS[2]))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    for _ in range(STEPS_RUN):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    return tuple(history)


def ceil_one_digit(value: float) -> float:
    """``value`` rounded up to one significant digit: 0.0994 -> 0.1, 0.12 -> 0.2."""
    unit = 10 ** math.floor(math.log10(value))
    return round(math.ceil(value / unit) * unit, 12)


def loss_curve_facts() -> dict:
    """The numbers of the loss-curve figure: where the loss starts, where it is at step ``PROBE``,
    and the bound it stays below over the second half of the run."""
    history = losses()
    return {"steps": len(history), "classes": WIDTHS[-1], "widths": list(WIDTHS), "samples": SAMPLES,
            "first": history[0], "probe": PROBE, "at_probe": history[PROBE - 1],
            "below": ceil_one_digit(max(history[len(history) // 2:]))}


def loss_curve(lang: str, theme):
    history = losses()
    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    ax.plot(range(1, len(history) + 1), history, color=theme.accent, linewidth=2)
    classes = WIDTHS[-1]  # a blind guess between them scores ln(classes)
    ax.axhline(math.log(classes), color=theme.muted, linestyle="--", linewidth=1)
    ax.text(len(history), math.log(classes) + 0.02, f"ln {classes}", ha="right", va="bottom", color=theme.muted)
    ax.set_ylim(0, max(history) * 1.15)
    ax.set_xlabel({"en": "step (one batch)", "zh": "步数（每步一个批次）"}[lang])
    ax.set_ylabel({"en": "loss", "zh": "损失"}[lang])
    ax.grid(True)
    return fig
