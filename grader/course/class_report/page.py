"""The class report as a folder that opens from disk: index.html and its SVG figures.

No server, no network, no framework: the page is Jinja2's rendering of
``report_page.html`` (autoescaped: messages are the learners' text), its figures
are files beside it, and its one inline script sorts tables. Links to each
student's feedback are relative to the report folder, so course and report can
move together.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from grader.atomic_write import atomic_write_text
from grader.course.class_report.plots import draw_all

TEMPLATE = "report_page.html"


def _num(value) -> str:
    return "–" if value is None else f"{value:g}"


def _percent(value) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def _links(summary: dict, out: Path) -> dict[str, list[dict]]:
    """{student: [{"name", "href"}]}: each feedback file, relative to the report folder."""
    links = {}
    for student in summary["students"]:
        found = []
        for path in map(Path, student["feedback"]):
            relative = Path(os.path.relpath(path, out)).as_posix()
            found.append({"name": path.name, "href": quote(relative)})
        links[student["student"]] = found
    return links


def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=_num, percent=_percent, seconds=_seconds)
    return env


def write(summary: dict, out: Path) -> Path:
    """Write ``out/index.html`` and its figures; returns the page's path."""
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    figures = draw_all(summary, out)
    notebooks = list(summary["scores"]["notebooks"])
    distributions = [("assignment", summary["scores"]["assignment"])]
    distributions += [(name, summary["scores"]["notebooks"][name]) for name in notebooks if name in figures]
    page = environment().get_template(TEMPLATE).render(
        s=summary, figures=figures, distributions=distributions, notebooks=notebooks, links=_links(summary, out))
    for stale in out.glob("scores-*.svg"):  # a notebook's figure from an earlier report with more notebooks
        if stale.name not in {f.file for f in figures.values()}:
            stale.unlink()
    atomic_write_text(out / "index.html", page)
    return out / "index.html"
