"""Per-student feedback in Markdown: each check, its points, and why it failed.

Written by ``grader batch`` from the store's records, so a student reads every
exercise's verdicts in one file whichever mode graded them.
"""

from __future__ import annotations

from pathlib import Path

from grader.atomic_write import atomic_write_text
from grader.report import score_of


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _points(value: float) -> str:
    return f"{value:g}"


def exercise_section(title: str, report: dict, max_points: float) -> list[str]:
    score = score_of(report)
    lines = [f"## {title}: {_points(score)}/{_points(max_points)}", ""]
    if report.get("error"):
        lines += [f"Could not grade: {_cell(report['error'])}", ""]
    tests = [t for t in report.get("tests", []) if t.get("status") != "skipped"]
    if tests:
        lines += ["| | check | points | why |", "|---|---|---|---|"]
        for t in tests:
            mark = "✓" if t["passed"] else "✗"
            lines.append(f"| {mark} | {_cell(t['name'])} | {_points(t['points'])}/{_points(t['max_points'])} "
                         f"| {_cell(t.get('message', ''))} |")
        lines.append("")
    if report.get("review"):  # what the grader's zygote saw this submission do (grader.sandbox.workers)
        lines += ["**Flagged for the instructor's review**: while this submission was graded it "
                  + "; ".join(_cell(line) for line in report["review"]) + ".", ""]
    if report.get("seed") is not None:
        lines += [f"<small>seed {report['seed']} · {_cell(report.get('isolation', ''))}</small>", ""]
    return lines


def render(heading: str, sections: list[tuple[str, dict, float]]) -> str:
    """``sections``: (title, report dict, the exercise's points) per exercise, in course order."""
    total = sum(score_of(report) for _, report, _ in sections)
    possible = sum(points for _, _, points in sections)
    lines = [f"# {heading}", "", f"**Total: {_points(total)}/{_points(possible)}**", ""]
    for title, report, points in sections:
        lines += exercise_section(title, report, points)
    return "\n".join(lines).rstrip() + "\n"


def _report(records: dict, item: str) -> dict:
    return records.get(item, {}).get("report", {"error": "not graded yet", "tests": []})


def write_course_feedback(coursedir, assignment: str, plans: dict, store, registry, students: list[str]) -> Path:
    """``batch_feedback/<student>/<assignment>/feedback.md`` per student; returns ``batch_feedback``."""
    root = Path(coursedir.root) / "batch_feedback"
    for student in students:
        records = store.records(student)
        sections = []
        for name, plan in plans.items():
            ex = registry.get(plan.exercise)
            sections.append((f"{ex.id} — {ex.title}", _report(records, name), sum(plan.points.values())))
        atomic_write_text(root / student / assignment / "feedback.md",
                          render(f"{assignment}: feedback for {student}", sections))
    return root


def write_files_feedback(root: Path, exercises: list, store, students: list[str]) -> Path:
    """``feedback/<student>.md`` per student of a plain batch; returns ``feedback``."""
    folder = root / "feedback"
    for student in students:
        records = store.records(student)
        sections = [(f"{ex.id} — {ex.title}", _report(records, ex.id), float(ex.points)) for ex in exercises]
        atomic_write_text(folder / f"{student}.md", render(f"Feedback for {student}", sections))
    return folder
