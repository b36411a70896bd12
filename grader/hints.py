"""Progressive hints: each request reveals the next one, and remembers it."""

from __future__ import annotations

from dataclasses import dataclass

from grader.progress import Progress
from grader.registry import Exercise


@dataclass(frozen=True)
class Hint:
    number: int
    total: int
    text: str

    def __str__(self) -> str:
        return f"Hint {self.number}/{self.total}: {self.text}"


def reveal_next(exercise: Exercise, progress: Progress, *, repeat_last: bool = True) -> Hint | None:
    """The first hint not yet seen; once all are seen, the last one (or None)."""
    entry = progress.get(exercise.id)
    total = len(exercise.hints)
    if entry.hints_seen >= total:
        return Hint(total, total, exercise.hints[-1]) if repeat_last else None
    entry.hints_seen += 1
    return Hint(entry.hints_seen, total, exercise.hints[entry.hints_seen - 1])
