"""What a grading run produced, as plain records with a stable JSON shape.

The JSON shape is a contract (DESIGN.md): ``exercise``, ``score``,
``max_score``, ``passed``, ``seed``, ``device``, ``isolation`` and ``tests``,
each test with ``name``, ``passed``, ``points`` and ``message``.

A report's score is computed here and nowhere else: :attr:`Report.score` for a
report in hand, :func:`score_of` for one read back from its JSON (a batch's records).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from grader.i18n import Message


def total(points: Iterable[float]) -> float:
    """Points added up and rounded to 3 decimals, so that 0.1 + 0.2 reads 0.3 in every report."""
    return round(sum(points), 3)


def score_of(report: dict) -> float:
    """The score of a report in its JSON form (``Report.to_dict``)."""
    return total(float(t.get("points", 0)) for t in report.get("tests", []))


@dataclass
class CheckResult:
    # ``message`` is a str; a grader.i18n.Message (a str: its English text) where the check made one,
    # so that a view can show it in the learner's language (grader.i18n.localized)
    name: str
    passed: bool
    points: float
    max_points: float
    message: str
    status: str = "passed"  # passed | failed | skipped
    duration_s: float | None = None
    cpu_s: float | None = None  # CPU seconds the learner's code used in this check (what time limits count)


@dataclass
class Report:
    exercise: str
    seed: int
    device: str
    isolation: str
    tests: list[CheckResult] = field(default_factory=list)
    output: str = ""
    error: str | None = None  # set when grading itself could not run
    # what a warm path's zygote saw this submission do to it or leave behind (grader.sandbox.workers), for the
    # instructor; never part of the verdict, and only in the JSON when there is something to say
    review: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return total(t.points for t in self.tests)

    @property
    def max_score(self) -> float:
        return total(t.max_points for t in self.tests if t.status != "skipped")

    @property
    def passed(self) -> bool:
        ran = [t for t in self.tests if t.status != "skipped"]
        return self.error is None and bool(ran) and all(t.passed for t in ran)

    def by_check(self) -> dict[str, CheckResult]:
        """Results keyed by check name without the device suffix (the primary device's)."""
        results: dict[str, CheckResult] = {}
        for t in self.tests:
            results.setdefault(t.name.split("[")[0], t)
        return results

    @property
    def failures(self) -> list[CheckResult]:
        return [t for t in self.tests if t.status == "failed"]

    def to_dict(self, *, timings: bool = False, localizable: bool = False, translated: str | None = None) -> dict:
        """The report as plain data. ``timings`` adds each check's durations; ``localizable`` (the grader
        server's answer has it) adds each message's template and values (``message_i18n``, ``error_i18n``:
        see :class:`grader.i18n.Message`), so that a report graded elsewhere can be shown in another
        language. ``--json`` has neither. ``translated`` (a language other than English: ``grader check
        --json --lang zh``) adds ``translated``: each check's title and message, and the error, in that
        language, beside the English ones that stay the contract."""
        tests = []
        for t in self.tests:
            item = asdict(t)
            if not timings:
                item.pop("duration_s")
                item.pop("cpu_s")
            if localizable and isinstance(t.message, Message):
                item["message_i18n"] = t.message.to_dict()
            tests.append(item)
        extra = {"error_i18n": self.error.to_dict()} if localizable and isinstance(self.error, Message) else {}
        return {
            "exercise": self.exercise,
            "score": self.score,
            "max_score": self.max_score,
            "passed": self.passed,
            "seed": self.seed,
            "device": self.device,
            "isolation": self.isolation,
            "error": self.error,
            "tests": tests,
            "output": self.output,
        } | ({"review": list(self.review)} if self.review else {}) | extra | self._translated(translated)

    def _translated(self, lang: str | None) -> dict:
        if lang is None or lang == "en":
            return {}
        from grader.i18n import check_title, render

        return {"translated": {
            "lang": lang, "error": None if self.error is None else render(self.error, lang),
            "tests": [{"name": t.name, "title": check_title(t.name, lang), "message": render(t.message, lang)}
                      for t in self.tests]}}

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        """The report back from its dict (``to_dict(timings=True)``, e.g. the grader server's answer)."""
        fields = set(CheckResult.__dataclass_fields__)
        tests = [CheckResult(**{k: v for k, v in t.items() if k in fields}) for t in data["tests"]]
        for test, item in zip(tests, data["tests"]):
            if isinstance(item.get("message_i18n"), dict):
                test.message = Message.from_dict(item["message_i18n"])
        error = data.get("error")
        if isinstance(data.get("error_i18n"), dict):
            error = Message.from_dict(data["error_i18n"])
        return cls(data["exercise"], data["seed"], data["device"], data["isolation"], tests,
                   data.get("output", ""), error, list(data.get("review", [])))

    def to_json(self, *, timings: bool = False, localizable: bool = False, translated: str | None = None) -> str:
        return json.dumps(self.to_dict(timings=timings, localizable=localizable, translated=translated), indent=2,
                          ensure_ascii=False)
