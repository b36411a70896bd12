"""How a class did, as plain data: the numbers every format of ``grader report`` shows.

Everything here is a pure function of a :class:`~grader.course.class_report.data.ClassData`
and returns dicts, lists, strings and numbers, so the JSON output is this data as
it is, and the HTML and its plots are drawn from it.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter

from grader.course.class_report.data import ClassData
from grader.course.class_report.failure_text import normalise

TOP_MESSAGES = 3
MAX_BINS = 20


def distribution(scores: list[float], max_score: float) -> dict:
    """Mean, median, quartiles and histogram of scores out of ``max_score``."""
    summary = {"count": len(scores), "max_score": max_score, "histogram": histogram(scores, max_score)}
    if not scores:
        return summary | {"mean": None, "median": None, "q1": None, "q3": None, "min": None, "max": None}
    ordered = sorted(scores)
    q1, median, q3 = (statistics.quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1
                      else (ordered[0],) * 3)
    return summary | {"mean": round(statistics.fmean(ordered), 3), "median": round(median, 3),
                      "q1": round(q1, 3), "q3": round(q3, 3), "min": ordered[0], "max": ordered[-1]}


def histogram(scores: list[float], max_score: float) -> dict:
    """Bins from 0 to ``max_score``: one per point up to MAX_BINS points, else MAX_BINS equal bins.
    ``edges`` has one more entry than ``counts``; the last bin includes its right edge (full marks)."""
    top = max([max_score, *scores, 0.0])
    width = 1.0 if top <= MAX_BINS else top / MAX_BINS
    bins = max(1, math.ceil(top / width)) if top > 0 else 1
    if top == bins * width:  # a full score gets a bin of its own rather than sharing the last one
        bins += 1 if width == 1.0 else 0
    edges = [round(i * width, 3) for i in range(bins + 1)]
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score // width)))] += 1
    return {"edges": edges, "counts": counts}


def check_failures(data: ClassData) -> list[dict]:
    """Per check: how many graded students failed it, their share, and the most frequent causes."""
    rows = []
    for name, info in data.notebooks.items():
        for index, (grade_id, check, points) in enumerate(info.checks):
            results = [s.notebooks[name].checks[index] for s in data.students]
            graded = [r for r in results if r.status in ("passed", "failed")]
            failed = [r for r in graded if r.status == "failed"]
            causes = Counter(normalise(r.message) for r in failed)
            examples = {}
            for r in failed:
                examples.setdefault(normalise(r.message), r.message)
            rows.append({"notebook": name, "exercise": info.exercise, "check": check, "grade_id": grade_id,
                         "points": points, "graded": len(graded), "failed": len(failed),
                         "share": round(len(failed) / len(graded), 3) if graded else None,
                         "top_messages": [{"message": text, "count": count, "example": examples[text]}
                                          for text, count in _most_common(causes)]})
    return sorted(rows, key=lambda r: (-(r["share"] or 0), r["notebook"], r["check"]))


def _most_common(causes: Counter) -> list[tuple[str, int]]:
    """The TOP_MESSAGES most frequent, ties in alphabetical order (stable across runs)."""
    return sorted(causes.items(), key=lambda item: (-item[1], item[0]))[:TOP_MESSAGES]


def flagged(data: ClassData) -> list[dict]:
    """Every flag of every submission: who, which notebook, why, and where their feedback is."""
    rows = []
    for student in data.students:
        for name, result in student.notebooks.items():
            for flag in result.flags:
                rows.append({"student": student.student, "notebook": name, "kind": flag.kind,
                             "reason": flag.label, "detail": flag.detail, "check": flag.check,
                             "feedback": [str(p) for p in student.feedback]})
    return rows


def students(data: ClassData) -> list[dict]:
    return [{"student": s.student, "score": s.score, "max_score": data.max_score,
             "notebooks": {name: nb.score for name, nb in s.notebooks.items()},
             "wall_s": s.wall_s, "flags": sorted({f.label for nb in s.notebooks.values() for f in nb.flags}),
             "feedback": [str(p) for p in s.feedback]} for s in data.students]


def summarise(data: ClassData) -> dict:
    """The whole report as plain data (what ``--format json`` prints)."""
    return {
        "course": str(data.course), "assignment": data.assignment, "students_count": len(data.students),
        "max_score": data.max_score,
        "graded_by_batch": sum(1 for s in data.students if any(nb.record for nb in s.notebooks.values())),
        "scores": {
            "assignment": distribution([s.score for s in data.students], data.max_score),
            "notebooks": {name: distribution([s.notebooks[name].score for s in data.students], info.max_score)
                          | {"exercise": info.exercise, "title": info.title}
                          for name, info in data.notebooks.items()},
        },
        "checks": check_failures(data),
        "flagged": flagged(data),
        "students": students(data),
    }
