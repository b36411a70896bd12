"""The plain mode's grades as a CSV: one row per student, a column per exercise, then the totals.

A spreadsheet is what a class without nbgrader imports grades from; it is
written from the store's records, whole, on every run.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.atomic_write import atomic_write_text
from grader.report import score_of


def write(csv_path: Path, exercises: list, store, students: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", *[ex.id for ex in exercises], "total", "max_total"])
    possible = sum(ex.points for ex in exercises)
    for student in students:
        records = store.records(student)
        scores = [score_of(records[ex.id]["report"]) if ex.id in records else "" for ex in exercises]
        total = sum(s for s in scores if s != "")
        writer.writerow([student, *[f"{s:g}" if s != "" else "" for s in scores], f"{total:g}", f"{possible:g}"])
    atomic_write_text(csv_path, buffer.getvalue())
