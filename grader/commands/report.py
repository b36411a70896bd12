"""``grader report COURSE ASSIGNMENT``: how a class did, from the gradebook and the batch's records.

The work is :mod:`grader.course.class_report.write_report`'s; this module reads the options.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from grader import extras
from grader.commands import common
from grader.views import terminal


@common.usage_errors
def main(*, directory: Path, assignment: str, out: Path | None = None, fmt: str = "html") -> int:
    missing = extras.require("instructor", "grader report")
    if missing:
        raise common.UsageError(missing)
    from grader.course import CourseError
    from grader.course.class_report import write_report

    if fmt not in write_report.FORMATS:
        raise common.UsageError(f"--format must be one of {', '.join(write_report.FORMATS)}, not {fmt!r}")
    root = Path(directory).expanduser().resolve()
    if not root.is_dir():
        raise common.UsageError(f"{root} does not exist or is not a folder")
    try:
        written = write_report.write_report(root, assignment, registry=common.registry(), fmt=fmt,
                                            out=Path(out).expanduser().resolve() if out is not None else None)
    except CourseError as exc:
        raise common.UsageError(str(exc)) from None
    terminal.console().print(Text(f"Report written: {written}"))
    return 0
