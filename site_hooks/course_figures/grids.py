"""Drawing helpers shared by the diagrams: cells, grids of numbers, boxes and arrows.

Diagram axes use data units of one cell, with y growing downwards (rows of a tensor).
"""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle


def cell(ax, col, row, *, face="none", edge, text=None, text_color=None, alpha=1.0,
         dashed=False, weight="normal", size=1.0, fontsize=10, lw=1.0):
    """One square cell with its top-left corner at (col, row), optionally labelled."""
    ax.add_patch(Rectangle((col, row), size, size, facecolor=face, edgecolor=edge, alpha=alpha,
                           linestyle="--" if dashed else "-", linewidth=lw))
    if text is not None:
        ax.text(col + size / 2, row + size / 2, text, ha="center", va="center",
                color=text_color or edge, fontsize=fontsize, fontweight=weight)


def number_grid(ax, values, col, row, theme, *, faces=None, bold=(), fontsize=10, fmt="{:g}"):
    """A 2-D tensor as a grid of numbers; ``faces[(r, c)]`` colours some cells."""
    faces = faces or {}
    for r, line in enumerate(values):
        for c, value in enumerate(line):
            face = faces.get((r, c), theme.fill)
            cell(ax, col + c, row + r, face=face, edge=theme.text, text=fmt.format(float(value)),
                 text_color=theme.text if face == theme.fill else theme.on_colour,
                 weight="bold" if (r, c) in bold else "normal", fontsize=fontsize)


def box(ax, x, y, width, height, text, theme, *, face=None, edge=None, fontsize=10, family=None):
    """A rounded box centred on (x, y) holding ``text``."""
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.15",
                                facecolor=face or theme.fill, edgecolor=edge or theme.text, linewidth=1.2))
    ax.text(x, y, text, ha="center", va="center", color=theme.text, fontsize=fontsize, family=family)


def arrow(ax, start, end, theme, *, color=None, rad=0.0, lw=1.4, style="-|>"):
    """An arrow from ``start`` to ``end`` (data coordinates), optionally curved."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12,
                                 color=color or theme.text, linewidth=lw,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=2, shrinkB=2))


def finish(ax, margin=0.3):
    """Fit the axes to what was drawn, rows growing downwards."""
    ax.autoscale_view()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ax.set_xlim(x0 - margin, x1 + margin)
    ax.set_ylim(y1 + margin, y0 - margin)
