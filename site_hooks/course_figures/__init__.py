"""The course's figures, drawn by code at build time (site_hooks/figures.py runs them).

Each figure is a function ``draw(lang, theme) -> matplotlib Figure``; where a figure
shows what PyTorch computes (shapes, gradients, shards), the function computes it with
PyTorch when the site is built, so the picture cannot drift from the code it explains.
Every figure is written once per edition (``en``, ``zh``) and per colour scheme
(``light``, ``dark``): ``<out>/<lang>/<name>.svg`` and ``<out>/<lang>/<name>-dark.svg``.
A figure's words (titles, axis labels, legends, annotations) come in both languages;
code, symbols and numbers are the same in both. Chinese text is never set in monospace,
whose fonts have no Han glyphs. tests/docs/test_figures.py fails when a figure on a
Chinese page draws an English word.
"""

from __future__ import annotations

import os
from pathlib import Path

LANGS = ("en", "zh")
ROOT = Path(__file__).resolve().parents[2]
FIXED_NET = ROOT / "solutions" / "exercise-04" / "net.py"  # the chapter's Net (exercise 04's solution)
SEED_NET = ROOT / "exercises" / "exercise-04" / "net.py"  # the original article's Net, bugs and all
INPUTS = (FIXED_NET, SEED_NET)
"""Files outside this package that figures run: a change to one redraws the figures."""


def registry() -> dict:
    """``{name: draw}`` for every figure; importing torch and matplotlib only when asked."""
    from . import activations, autograd, conv, distributed, losses, models, tensors, training

    return {
        "conv-sliding": conv.sliding,
        "cross-correlation": conv.cross_correlation,
        "max-pooling": conv.max_pooling,
        "broadcasting": tensors.broadcasting,
        "activation-curves": activations.curves,
        "autograd-graph": autograd.graph,
        "softmax-label-smoothing": losses.softmax_label_smoothing,
        "net-shapes": models.net_shapes,
        "broken-vs-fixed": models.broken_vs_fixed,
        "training-loop": training.loop,
        "loss-curve": training.loss_curve,
        "sampler-shards": distributed.sampler_shards,
        "ddp-allreduce": distributed.allreduce,
    }


def facts() -> dict[str, dict]:
    """``{figure name: {fact: value}}``: the numbers each figure computes, from the same code that draws it.

    The pages state these numbers in prose and alt text; tests/docs/test_page_numbers.py
    checks every one of them against this table, so a page cannot drift from its figure.
    """
    from . import activations, autograd, conv, distributed, losses, models, tensors, training

    makers = {
        "conv-sliding": conv.sliding_facts,
        "cross-correlation": conv.correlation_facts,
        "max-pooling": conv.pooling_facts,
        "broadcasting": tensors.broadcasting_facts,
        "activation-curves": activations.curves_facts,
        "autograd-graph": autograd.graph_facts,
        "softmax-label-smoothing": losses.smoothing_facts,
        "net-shapes": models.shapes_facts,
        "broken-vs-fixed": models.broken_vs_fixed_facts,
        "training-loop": training.loop_facts,
        "loss-curve": training.loss_curve_facts,
        "sampler-shards": distributed.shards_facts,
        "ddp-allreduce": distributed.allreduce_facts,
    }
    assert makers.keys() == registry().keys(), "every figure states its facts"
    return {name: make() for name, make in makers.items()}


def file_name(name: str, theme_name: str) -> str:
    return f"{name}.svg" if theme_name == "light" else f"{name}-{theme_name}.svg"


def generate(out_dir: Path, names=None) -> list[Path]:
    """Draw every figure (or those in ``names``) into ``out_dir``; returns the files written."""
    from .style import THEMES, drawing, save_svg

    written = []
    for name, draw in registry().items():
        if names is not None and name not in names:
            continue
        for lang in LANGS:
            folder = out_dir / lang
            folder.mkdir(parents=True, exist_ok=True)
            for theme in THEMES:
                with drawing(theme):
                    fig = draw(lang, theme)
                    target = folder / file_name(name, theme.name)
                    partial = target.with_suffix(f".{os.getpid()}.tmp")
                    save_svg(fig, partial)
                os.replace(partial, target)  # atomic: a concurrent build never reads half a file
                written.append(target)
    return written
