"""Multi-GPU chapter: how a DistributedSampler shards a dataset, and DDP's gradient all-reduce.

Both are computed, not drawn by hand: the shards come from real ``DistributedSampler``
objects for ranks 0 and 1, and the averaged gradient from real backward passes (checked
against the gradient of the whole batch, which is what DDP's all-reduce reproduces).
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from .grids import arrow, cell, finish
from .style import blank_axes

DATASET_SIZE = 11  # odd on purpose: two ranks need 12 samples, so the sampler repeats one
WORLD_SIZE = 2
BATCH_SIZE = 2
GRAD_BATCH = 8  # the all-reduce figure: one batch of 8, half on each rank
WEIGHTS = 3


@lru_cache
def shards() -> tuple[tuple[tuple[int, ...], ...], ...]:
    """Per rank, the batches of dataset indices its DataLoader yields in epoch 0."""
    dataset = TensorDataset(torch.arange(DATASET_SIZE))
    per_rank = []
    for rank in range(WORLD_SIZE):
        sampler = DistributedSampler(dataset, num_replicas=WORLD_SIZE, rank=rank, shuffle=True, seed=0)
        sampler.set_epoch(0)
        loader = DataLoader(dataset, batch_size=BATCH_SIZE, sampler=sampler)
        per_rank.append(tuple(tuple(batch.tolist()) for (batch,) in loader))
    return tuple(per_rank)


def repeated_indices() -> dict[int, int]:
    """``{index: how many times the ranks receive it}`` for the indices handed out more than once."""
    seen = [i for rank in shards() for batch in rank for i in batch]
    return {i: seen.count(i) for i in sorted(set(seen)) if seen.count(i) > 1}


def shards_facts() -> dict:
    """The numbers of the sampler-shards figure, for the pages that state them."""
    per_rank = shards()
    sizes = {sum(len(batch) for batch in rank) for rank in per_rank}
    batches = {len(rank) for rank in per_rank}
    assert len(sizes) == len(batches) == 1, "the figure's text assumes every rank gets the same share"
    repeated = repeated_indices()
    return {"dataset_size": DATASET_SIZE, "index_range": [0, DATASET_SIZE - 1], "world_size": WORLD_SIZE,
            "ranks": list(range(WORLD_SIZE)), "batch_size": BATCH_SIZE, "per_rank": sizes.pop(),
            "batches": batches.pop(), "total": sum(len(b) for rank in per_rank for b in rank),
            "repeated": list(repeated), "repeats": list(repeated.values())}


def sampler_shards(lang: str, theme):
    per_rank = shards()
    repeated = set(repeated_indices())
    colours = (theme.accent, theme.second)
    words = {"en": ("dataset", "padding: repeated sample"), "zh": ("数据集", "补齐：重复的样本")}[lang]
    fig = plt.figure(figsize=(7.4, 3.4))
    ax = blank_axes(fig)
    ax.text(-0.3, 0.5, words[0], ha="right", va="center")
    for i in range(DATASET_SIZE):
        owner = [r for r, rank in enumerate(per_rank) if any(i in b for b in rank)]
        cell(ax, i * 1.1, 0, face=colours[owner[0]] if len(owner) == 1 else theme.bad, edge=theme.text,
             text=str(i), text_color=theme.on_colour, alpha=0.9)
    for r, rank in enumerate(per_rank):
        row = 2.2 + r * 1.6
        ax.text(-0.3, row + 0.5, f"rank {r}", ha="right", va="center", family="monospace", color=colours[r])
        col = 0.0
        for b, batch in enumerate(rank):
            for i in batch:
                cell(ax, col, row, face=colours[r], edge=theme.bad if i in repeated else theme.text,
                     lw=2.5 if i in repeated else 1.0, text=str(i), text_color=theme.on_colour, alpha=0.9)
                col += 1.0
            ax.text(col - len(batch) / 2, row + 1.15, {"en": f"batch {b}", "zh": f"批量 {b}"}[lang], ha="center",
                    va="top", fontsize=8, family="monospace" if lang == "en" else None, color=theme.muted)
            col += 0.45
    ax.text(0, 5.9, f"DistributedSampler(num_replicas={WORLD_SIZE}, shuffle=True, seed=0), "
            f"DataLoader(batch_size={BATCH_SIZE})", family="monospace", fontsize=8.5, va="top")
    if repeated:
        ax.add_patch(plt.Rectangle((0, 6.6), 0.5, 0.5, facecolor="none", edgecolor=theme.bad, linewidth=2.5))
        ax.text(0.8, 6.85, words[1], va="center", fontsize=9)
    finish(ax)
    return fig


@lru_cache
def gradients():
    """Two replicas of one linear model, two halves of one batch: local and averaged gradients."""
    torch.manual_seed(0)
    model = nn.Linear(WEIGHTS, 1, bias=False)
    x, y = torch.randn(GRAD_BATCH, WEIGHTS), torch.randn(GRAD_BATCH, 1)
    half = GRAD_BATCH // WORLD_SIZE
    loss_fn = nn.MSELoss()

    def grad(xs, ys):
        model.zero_grad()
        loss_fn(model(xs), ys).backward()
        return model.weight.grad.flatten().clone()

    local = [grad(x[:half], y[:half]), grad(x[half:], y[half:])]
    average = (local[0] + local[1]) / WORLD_SIZE
    assert torch.allclose(average, grad(x, y), atol=1e-6), "averaged halves must equal the whole batch's gradient"
    return [g.tolist() for g in local], average.tolist()


def allreduce_facts() -> dict:
    """The numbers of the ddp-allreduce figure, for the pages that state them."""
    local, average = gradients()
    return {"world_size": WORLD_SIZE, "ranks": list(range(WORLD_SIZE)), "weights": WEIGHTS, "batch": GRAD_BATCH,
            "local": local, "average": average}


def allreduce(lang: str, theme):
    local, average = gradients()
    words = {"en": ("local gradient", f"all-reduce: sum, then ÷ {WORLD_SIZE}", "same update on both ranks"),
             "zh": ("本地梯度", f"all-reduce：求和，再 ÷ {WORLD_SIZE}", "两个 rank 做相同的更新")}[lang]
    colours = (theme.accent, theme.second)
    fig = plt.figure(figsize=(7.0, 4.4))
    ax = blank_axes(fig)
    for r in range(WORLD_SIZE):
        left = r * 6.5
        ax.text(left + 1.5, -0.6, f"rank {r}", ha="center", family="monospace", fontweight="bold", color=colours[r])
        ax.text(left + 1.5, -0.1, words[0], ha="center", va="top", fontsize=9, color=theme.muted)
        for i, value in enumerate(local[r]):
            cell(ax, left + i, 0.5, face=colours[r], edge=theme.text, text=f"{value:.2f}", text_color=theme.on_colour,
                 fontsize=8, alpha=0.85)
        arrow(ax, (left + 1.5, 1.6), (left + 1.5 + (3.25 - left - 1.5) * 0.35, 2.55), theme)
    from matplotlib.patches import FancyBboxPatch
    ax.add_patch(FancyBboxPatch((1.0, 2.6), 7.0, 0.8, boxstyle="round,pad=0.02,rounding_size=0.2",
                                facecolor="none", edgecolor=theme.third, linewidth=1.6))
    ax.text(4.5, 3.0, words[1], ha="center", va="center", color=theme.text)
    for r in range(WORLD_SIZE):
        left = r * 6.5
        arrow(ax, (4.5 + (left + 1.5 - 4.5) * 0.45, 3.45), (left + 1.5, 4.35), theme)
        for i, value in enumerate(average):
            cell(ax, left + i, 4.4, face=theme.third, edge=theme.text, text=f"{value:.2f}", text_color=theme.on_colour,
                 fontsize=8, alpha=0.85)
        ax.text(left + 1.5, 5.7, "optimizer.step()", ha="center", va="top", family="monospace", fontsize=9)
    ax.text(4.5, 6.4, words[2], ha="center", va="top", fontsize=9, color=theme.muted)
    finish(ax)
    return fig
