"""``grader hint EXERCISE``: reveal the next hint, one per call."""

from __future__ import annotations

from pathlib import Path

from grader import render
from grader.commands import common
from grader.hints import reveal_next
from grader.progress import Progress


@common.usage_errors
def main(*, exercise: str, workspace: Path | None) -> int:
    ex = common.exercise(exercise)
    progress = Progress(common.workspace(workspace).progress_file)
    hint = reveal_next(ex, progress)
    try:
        progress.save()
    except OSError:
        pass
    out = render.console()
    out.print(str(hint))
    if hint.number == hint.total:
        out.print("[dim]That was the last hint; the exercise page in the docs explains the topic in full.[/dim]")
    return 0
