"""Progressive hints: each request reveals the next one, and remembers it."""

from __future__ import annotations

from dataclasses import dataclass

from grader import messages
from grader.progress import Progress
from grader.registry import Exercise


@dataclass(frozen=True)
class Hint:
    number: int
    total: int
    text: str
    lang: str = "en"

    def __str__(self) -> str:
        return messages.text("hint", self.lang, number=self.number, total=self.total, text=self.text)


def reveal_next(exercise: Exercise, progress: Progress, *, repeat_last: bool = True, lang: str = "en") -> Hint | None:
    """The first hint not yet seen; once all are seen, the last one (or None). Text in ``lang``."""
    entry = progress.get(exercise.id)
    hints = exercise.hints_in(lang)
    total = len(hints)
    if entry.hints_seen >= total:
        return Hint(total, total, hints[-1], lang) if repeat_last else None
    entry.hints_seen += 1
    return Hint(entry.hints_seen, total, hints[entry.hints_seen - 1], lang)


def reveal_next_saved(exercise: Exercise, progress_file, *, lang: str = "en") -> Hint | None:
    """``grader hint`` and ``%grader hint``: the next hint, remembered in the workspace's progress
    (a read-only workspace still shows it)."""
    progress = Progress(progress_file)
    hint = reveal_next(exercise, progress, lang=lang)
    try:
        progress.save()
    except OSError:
        pass
    return hint
