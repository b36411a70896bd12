"""The class report for spreadsheets and LMS imports: ``--format json`` and ``--format csv``.

JSON is :func:`grader.course.class_report.stats.summarise`'s data as it is. CSV has one
row per student and check, with the gradebook's points, the check's status and
message (raw and normalised), the submission's flags and its grading time.
"""

from __future__ import annotations

import csv
import io
import json

from grader.course.class_report.data import ClassData
from grader.course.class_report.failure_text import normalise

CSV_COLUMNS = ["student", "notebook", "exercise", "check", "grade_id", "status", "points", "max_points",
               "message", "normalised_message", "flags", "notebook_score", "notebook_max_score", "wall_s"]


def to_json(summary: dict) -> str:
    return json.dumps(summary, indent=1, ensure_ascii=False) + "\n"


def to_csv(data: ClassData) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for student in data.students:
        for name, result in student.notebooks.items():
            flags = "; ".join(f.label for f in result.flags)
            for check in result.checks:
                writer.writerow({
                    "student": student.student, "notebook": name, "exercise": data.notebooks[name].exercise,
                    "check": check.check, "grade_id": check.grade_id, "status": check.status,
                    "points": "" if check.points is None else f"{check.points:g}",
                    "max_points": f"{check.max_points:g}", "message": check.message,
                    "normalised_message": normalise(check.message) if check.message else "",
                    "flags": flags, "notebook_score": f"{result.score:g}",
                    "notebook_max_score": f"{result.max_score:g}",
                    "wall_s": "" if result.wall_s is None else f"{result.wall_s:g}"})
    return buffer.getvalue()
