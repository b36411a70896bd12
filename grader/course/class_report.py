"""``grader report``, step by step: read the class, compute its statistics, write one format.

Each step is a module of its own (:mod:`~grader.course.class_data`,
:mod:`~grader.course.class_stats`, :mod:`~grader.course.report_html`,
:mod:`~grader.course.report_export`); this one puts them in order. Bad input
raises :class:`~grader.course.CourseError` with a one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from grader.course import class_stats, report_export, report_html
from grader.course.class_data import read_class
from grader.files import atomic_write_text
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
        return report_html.write(class_stats.summarise(data), folder)
    text = report_export.to_json(class_stats.summarise(data)) if fmt == "json" else report_export.to_csv(data)
    target = folder / f"{assignment}.{fmt}"
    atomic_write_text(target, text)
    return target
