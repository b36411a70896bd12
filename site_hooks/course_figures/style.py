"""How every figure looks: one palette per colour scheme, one font stack, SVG settings.

Figures are shown as ``<img>``, so an SVG cannot follow the page's colour scheme by
itself: each figure is drawn twice, for Material's light (``default``) and dark
(``slate``) schemes, on a transparent background. Text becomes paths
(``svg.fonttype: path``), so a reader's browser needs neither DejaVu nor a CJK font.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display at build time

import matplotlib.pyplot as plt  # noqa: E402


@dataclass(frozen=True)
class Theme:
    name: str  # "light" or "dark"
    text: str  # labels, axes, outlines
    muted: str  # secondary text, grid lines, padding cells
    fill: str  # a neutral cell
    accent: str  # what the reader should look at (Material's deep orange)
    second: str  # a second highlighted group (indigo)
    third: str  # a third group (teal)
    bad: str  # what is wrong
    on_colour: str  # text on a cell filled with accent, second, third or muted


LIGHT = Theme("light", text="#1f2328", muted="#8c959f", fill="#eaeef2",
              accent="#e8590c", second="#4c6ef5", third="#0c8599", bad="#e03131", on_colour="#ffffff")
DARK = Theme("dark", text="#e6edf3", muted="#7d8590", fill="#30363d",
             accent="#ff8a4c", second="#91a7ff", third="#3bc9db", bad="#ff6b6b", on_colour="#111418")
THEMES = (LIGHT, DARK)

FONTS = ["DejaVu Sans", "Noto Sans CJK SC"]  # Latin first, Han glyphs fall back to Noto


@contextmanager
def drawing(theme: Theme):
    """rcParams for one figure in one theme; restores the caller's afterwards."""
    params = {
        "svg.fonttype": "path",
        "svg.hashsalt": "course-figures",  # stable ids: an unchanged figure gives the same file
        "font.family": FONTS,
        "font.size": 11,
        "text.color": theme.text,
        "axes.edgecolor": theme.text,
        "axes.labelcolor": theme.text,
        "xtick.color": theme.text,
        "ytick.color": theme.text,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "grid.color": theme.muted,
        "grid.alpha": 0.35,
    }
    with plt.rc_context(params):
        yield


def blank_axes(fig, rect=(0, 0, 1, 1)):
    """Axes for a diagram: no ticks, no spines, data units equal in x and y."""
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def save_svg(fig, path) -> None:
    """Write ``fig`` as a reproducible SVG (no date in its metadata) and close it."""
    fig.savefig(path, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None})
    plt.close(fig)
