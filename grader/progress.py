"""Learner progress: one small JSON file in the workspace.

It records each exercise's last result and how many hints were shown.
Deleting it loses nothing but the status column and the hint count.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.atomic_write import atomic_write_text
from grader.i18n import t


@dataclass
class ExerciseProgress:
    status: str = "not tried"  # passed | failed | not tried
    score: float = 0.0
    max_score: float = 0.0
    hints_seen: int = 0
    seed: int | None = None


class Progress:
    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, ExerciseProgress] = {}
        self.warning: str | None = None
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            fields = set(ExerciseProgress.__dataclass_fields__)
            self.entries = {k: ExerciseProgress(**{f: v for f, v in e.items() if f in fields})
                            for k, e in raw.get("exercises", {}).items()}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            backup = self.path.with_suffix(".json.bak")
            self.path.replace(backup)  # keep the unreadable file, never discard it
            self.warning = t("progress file was unreadable ({error}); kept it as {backup}", error=str(exc),
                             backup=backup.name)
            self.entries = {}

    def get(self, exercise_id: str) -> ExerciseProgress:
        return self.entries.setdefault(exercise_id, ExerciseProgress())

    def record(self, exercise_id: str, *, passed: bool, score: float, max_score: float, seed: int) -> None:
        entry = self.get(exercise_id)
        entry.status = "passed" if passed else "failed"
        entry.score, entry.max_score, entry.seed = score, max_score, seed

    def save(self) -> None:
        """Write atomically: a crash mid-write never leaves a half file."""
        data = {"version": 1, "exercises": {k: asdict(v) for k, v in self.entries.items()}}
        atomic_write_text(self.path, json.dumps(data, indent=2))
