"""The class report's figures: matplotlib SVGs drawn from :func:`grader.course.class_report.stats.summarise`.

Each figure is written next to index.html with its alt text (what a reader who
cannot see it needs: the numbers the picture shows). SVGs are deterministic (no
date, a fixed hash salt), so a report of the same grades is byte-identical.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from grader.atomic_write import atomic_write_text

MAX_CHECKS_SHOWN = 15


@dataclass
class Figure:
    file: str  # relative to the report folder
    alt: str
    title: str


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "grader-report", "font.size": 10})
    return plt


def _save(fig, path: Path) -> None:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    atomic_write_text(path, buffer.getvalue())


def _fmt(value) -> str:
    return "–" if value is None else f"{value:g}"


def score_histogram(distribution: dict, title: str, folder: Path, file: str) -> Figure:
    plt = _pyplot()
    edges, counts = distribution["histogram"]["edges"], distribution["histogram"]["counts"]
    fig, ax = plt.subplots(figsize=(6, 2.8))
    try:
        widths = [b - a for a, b in zip(edges, edges[1:])]
        if all(w == 1 for w in widths):  # a bar per whole point, centred on it
            ax.bar(edges[:-1], counts, width=0.9, color="#4878a8")
        else:
            ax.bar(edges[:-1], counts, width=widths, align="edge", color="#4878a8", edgecolor="white")
        ax.set_xlabel(f"score (out of {_fmt(distribution['max_score'])})")
        ax.set_ylabel("students")
        ax.set_title(title)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if distribution["median"] is not None:
            ax.axvline(distribution["median"], color="#c44e52", linestyle="--", label="median")
            ax.legend(loc="upper left", frameon=False)
        _save(fig, folder / file)
    finally:
        plt.close(fig)
    bars = ", ".join(f"{count} scored {_fmt(a)}" + ("" if b - a == 1 else f" to {_fmt(b)}")
                     for a, b, count in zip(edges, edges[1:], counts) if count)
    alt = (f"Histogram of {title}: {distribution['count']} students; median {_fmt(distribution['median'])}, "
           f"mean {_fmt(distribution['mean'])} of {_fmt(distribution['max_score'])}. {bars or 'No scores.'}")
    return Figure(file, alt, title)


def failing_checks(checks: list[dict], folder: Path, file: str) -> Figure | None:
    """A bar per check (the most failed first): the share of graded students failing it."""
    shown = [c for c in checks if c["share"] is not None][:MAX_CHECKS_SHOWN]
    if not shown:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(shown) + 1.0))
    try:
        labels = [f"{c['notebook']}: {c['check']}" for c in shown]
        ax.barh(range(len(shown)), [100 * c["share"] for c in shown], color="#c44e52")
        ax.set_yticks(range(len(shown)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("students failing (%)")
        ax.set_title("Checks by share of students failing")
        _save(fig, folder / file)
    finally:
        plt.close(fig)
    alt = "Share of students failing each check: " + "; ".join(
        f"{c['check']} {round(100 * c['share'])}% ({c['failed']} of {c['graded']})" for c in shown) + "."
    return Figure(file, alt, "Checks by share of students failing")


def draw_all(summary: dict, folder: Path) -> dict[str, Figure]:
    """{"assignment" | notebook name | "checks": Figure}, written under ``folder``; a notebook
    gets its own histogram only when there are several (with one, it is the assignment's)."""
    figures = {"assignment": score_histogram(summary["scores"]["assignment"],
                                             f"total scores, {summary['assignment']}", folder, "scores.svg")}
    notebooks = summary["scores"]["notebooks"]
    for index, (name, dist) in enumerate(notebooks.items() if len(notebooks) > 1 else (), start=1):
        figures[name] = score_histogram(dist, f"scores, {name}", folder, f"scores-{index:02d}.svg")
    checks = failing_checks(summary["checks"], folder, "checks.svg")
    if checks is not None:
        figures["checks"] = checks
    return figures
