"""``grader report``, step by step: read the class, compute its statistics, write one format.

Each step is a module of its own (:mod:`~grader.course.class_report.data`,
:mod:`~grader.course.class_report.stats`, :mod:`~grader.course.class_report.page`,
:mod:`~grader.course.class_report.export`); this one puts them in order. Bad input
raises :class:`~grader.course.CourseError` with a one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from grader.atomic_write import atomic_write_text
from grader.course.class_report import export, page, stats
from grader.course.class_report.data import read_class
from grader.registry import Registry

FORMATS = ("html", "json", "csv")


def default_out(root: Path, assignment: str) -> Path:
    return Path(root) / "reports" / assignment


def write_report(root: Path, assignment: str, *, registry: Registry, fmt: str = "html",
                 out: Path | None = None) -> Path:
    """Write the report into the folder ``out`` (default: ``COURSE/reports/ASSIGNMENT``): index.html and
    its figures, or ``ASSIGNMENT.json`` or ``ASSIGNMENT.csv``; returns the file to open."""
    data = read_class(root, assignment, registry)
    folder = Path(out) if out is not None else default_out(root, assignment)
    if fmt == "html":
        return page.write(stats.summarise(data), folder)
    text = export.to_json(stats.summarise(data)) if fmt == "json" else export.to_csv(data)
    target = folder / f"{assignment}.{fmt}"
    atomic_write_text(target, text)
    return target
