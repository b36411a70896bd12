"""What a grading report says to the learner, decided once for every way of showing it.

The terminal (:mod:`grader.views.terminal`) and the notebook (:mod:`grader.views.notebook`)
draw the same :class:`ReportView`: the same verdict, score text, rows and hint, in the
learner's language. Only ``--json`` bypasses it (the report's own contract, in English).
"""

from __future__ import annotations

from dataclasses import dataclass

from grader import messages
from grader.hints import Hint
from grader.i18n import localized
from grader.registry import Exercise
from grader.report import Report

MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "skipped": ("–", "yellow")}


def points(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class CheckRow:
    status: str  # passed | failed | skipped
    mark: str
    colour: str
    name: str
    points: str  # "3/3"; empty for a skipped check
    message: str


@dataclass(frozen=True)
class ReportView:
    exercise_id: str
    title: str
    run: str  # seed, devices, isolation
    rows: list[CheckRow]
    error: str | None  # "could not grade: ...", when grading itself could not run
    score: str  # "Score 3/10 — 4 check(s) failed"
    passed: bool
    output: str  # what the learner's code printed
    hint: str | None
    rerun: str | None  # how to repeat this run, when it failed

    @classmethod
    def of(cls, report: Report, exercise: Exercise, hint: Hint | None, lang: str = "en") -> ReportView:
        """The view of ``report`` in ``lang``: its checks' display titles and messages translated
        (:func:`grader.i18n.localized`; English shows the test ids and messages as they are)."""
        report = localized(report, lang)
        run = messages.text("report.run", lang, seed=report.seed, device=report.device,
                            isolation=messages.isolation(report.isolation, lang))
        rows = [CheckRow(t.status, *MARKS[t.status], t.name,
                         "" if t.status == "skipped" else f"{points(t.points)}/{points(t.max_points)}", t.message)
                for t in report.tests]
        verdict = (messages.text("report.all_passed", lang) if report.passed
                   else messages.text("report.failed", lang, count=len(report.failures)))
        score = messages.text("report.score", lang, score=points(report.score), max_score=points(report.max_score),
                              verdict=verdict)
        error = messages.text("report.could_not_grade", lang, error=report.error) if report.error else None
        rerun = None if report.passed else messages.text(
            "report.rerun", lang, command=f"grader check {exercise.id} --seed {report.seed}")
        return cls(exercise.id, exercise.title_in(lang), run, rows, error, score, report.passed, report.output,
                   str(hint) if hint else None, rerun)
