"""Per-student feedback in Markdown: each check, its points, and why it failed.

Written by ``grader batch`` from the store's records, so a student reads every
exercise's verdicts in one file whichever mode graded them.
"""

from __future__ import annotations

from pathlib import Path

from grader.atomic_write import atomic_write_text
from grader.i18n import N_, gettext_in
from grader.report import score_of


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _points(value: float) -> str:
    return f"{value:g}"


def exercise_section(title: str, report: dict, max_points: float, lang: str = "en") -> list[str]:
    """One exercise's verdicts; a Chinese class (``course build --lang zh``) reads the checks' titles and
    messages in Chinese (the report's ``translated``), and the headings through the catalog."""
    score = score_of(report)
    lines = [f"## {title}: {_points(score)}/{_points(max_points)}", ""]
    translated = {item["name"]: item for item in (report.get("translated") or {}).get("tests", [])}
    if report.get("error"):
        error = (report.get("translated") or {}).get("error") or report["error"]
        lines += [gettext_in(lang, N_("Could not grade: {error}")).format(error=_cell(error)), ""]
    tests = [check for check in report.get("tests", []) if check.get("status") != "skipped"]
    if tests:
        header = [gettext_in(lang, word) for word in (N_("check"), N_("points"), N_("why"))]
        lines += ["| | " + " | ".join(header) + " |", "|---|---|---|---|"]
        for check in tests:
            mark = "✓" if check["passed"] else "✗"
            shown = translated.get(check["name"], {})
            lines.append(f"| {mark} | {_cell(shown.get('title') or check['name'])} | "
                         f"{_points(check['points'])}/{_points(check['max_points'])} "
                         f"| {_cell(shown.get('message') or check.get('message', ''))} |")
        lines.append("")
    if report.get("review"):  # what the grader's zygote saw this submission do (grader.sandbox.workers)
        lines += ["**Flagged for the instructor's review**: while this submission was graded it "
                  + "; ".join(_cell(line) for line in report["review"]) + ".", ""]
    if report.get("seed") is not None:
        lines += [f"<small>seed {report['seed']} · {_cell(report.get('isolation', ''))}</small>", ""]
    return lines


def render(heading: str, sections: list[tuple[str, dict, float]], lang: str = "en") -> str:
    """``sections``: (title, report dict, the exercise's points) per exercise, in course order."""
    total = sum(score_of(report) for _, report, _ in sections)
    possible = sum(points for _, _, points in sections)
    lines = [f"# {heading}", "",
             gettext_in(lang, N_("**Total: {score}/{max_score}**")).format(score=_points(total),
                                                                          max_score=_points(possible)), ""]
    for title, report, points in sections:
        lines += exercise_section(title, report, points, lang)
    return "\n".join(lines).rstrip() + "\n"


def _report(records: dict, item: str) -> dict:
    return records.get(item, {}).get("report", {"error": "not graded yet", "tests": []})


def write_course_feedback(coursedir, assignment: str, plans: dict, store, registry, students: list[str]) -> Path:
    """``batch_feedback/<student>/<assignment>/feedback.md`` per student; returns ``batch_feedback``."""
    root = Path(coursedir.root) / "batch_feedback"
    lang = next((plan.lang for plan in plans.values()), "en")  # one class, one language (course build --lang)
    for student in students:
        records = store.records(student)
        sections = []
        for name, plan in plans.items():
            ex = registry.get(plan.exercise)
            sections.append((f"{ex.id} — {ex.title_in(lang)}", _report(records, name), sum(plan.points.values())))
        heading = gettext_in(lang, N_("{assignment}: feedback for {student}")).format(assignment=assignment,
                                                                                     student=student)
        atomic_write_text(root / student / assignment / "feedback.md", render(heading, sections, lang))
    return root


def write_files_feedback(root: Path, exercises: list, store, students: list[str]) -> Path:
    """``feedback/<student>.md`` per student of a plain batch; returns ``feedback``."""
    folder = root / "feedback"
    for student in students:
        records = store.records(student)
        sections = [(f"{ex.id} — {ex.title}", _report(records, ex.id), float(ex.points)) for ex in exercises]
        atomic_write_text(folder / f"{student}.md", render(f"Feedback for {student}", sections))
    return folder
