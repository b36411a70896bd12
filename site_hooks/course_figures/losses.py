"""Loss chapters: logits, their softmax, and the target of cross-entropy with label smoothing."""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

LOGITS = torch.tensor([2.0, 1.0, 0.1, -1.0])
TARGET = 0
EPSILON = 0.1
PANELS = 3  # logits, softmax, targets


@lru_cache
def label_smoothing():
    """The softmax, both targets and both losses the figure plots, as PyTorch computes them."""
    probs = LOGITS.softmax(dim=0)
    classes = len(LOGITS)
    one_hot = F.one_hot(torch.tensor(TARGET), classes).float()
    smoothed = one_hot * (1 - EPSILON) + EPSILON / classes
    target = torch.tensor([TARGET])
    plain = F.cross_entropy(LOGITS[None], target)
    soft = F.cross_entropy(LOGITS[None], target, label_smoothing=EPSILON)
    # the smoothed target above is exactly what PyTorch trains against
    assert torch.isclose(soft, -(smoothed * LOGITS.log_softmax(0)).sum())
    return probs, one_hot, smoothed, plain, soft


def smoothing_facts() -> dict:
    """The numbers of the label-smoothing figure, for the pages that state them."""
    probs, one_hot, smoothed, plain, soft = label_smoothing()
    return {"panels": PANELS, "classes": len(LOGITS), "target": TARGET, "logits": LOGITS.tolist(),
            "softmax": probs.tolist(), "one_hot": tuple(one_hot.tolist()), "epsilon": EPSILON,
            "smoothed": tuple(smoothed.tolist()), "plain_loss": plain.item(), "smoothed_loss": soft.item()}


def softmax_label_smoothing(lang: str, theme):
    probs, one_hot, smoothed, plain, soft = label_smoothing()
    classes = len(LOGITS)
    fig, axes = plt.subplots(1, PANELS, figsize=(8.4, 3.0), gridspec_kw={"wspace": 0.45})
    ticks = list(range(classes))
    class_label = {"en": "class", "zh": "类别"}[lang]
    axes[0].bar(ticks, LOGITS.tolist(), color=theme.second)
    axes[0].axhline(0, color=theme.muted, linewidth=0.8)
    axes[0].set_title("logits", family="monospace", fontsize=10)
    axes[1].bar(ticks, probs.tolist(), color=theme.accent)
    axes[1].set_title("logits.softmax(0)", family="monospace", fontsize=10)
    axes[1].set_ylim(0, 1)
    width = 0.4
    axes[2].bar([t - width / 2 for t in ticks], one_hot.tolist(), width, color=theme.muted,
                label=f"one-hot: {plain.item():.3f}")
    axes[2].bar([t + width / 2 for t in ticks], smoothed.tolist(), width, color=theme.third,
                label=f"ε={EPSILON}: {soft.item():.3f}")
    # English shows code-like labels in monospace; Chinese words need the CJK fallback of the default font
    code_font = "monospace" if lang == "en" else None
    axes[2].set_title({"en": f"target = {TARGET}", "zh": f"目标类别 = {TARGET}"}[lang], family=code_font, fontsize=10)
    axes[2].set_ylim(0, 1.35)
    axes[2].legend(loc="upper right", prop={"family": "monospace", "size": 8}, title={"en": "loss", "zh": "损失"}[lang],
                   title_fontproperties={"family": code_font, "size": 8})
    for ax in axes:
        ax.set_xticks(ticks)
        ax.set_xlabel(class_label)
    return fig
