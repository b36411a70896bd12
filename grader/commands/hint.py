"""``grader hint EXERCISE``: reveal the next hint, one per call."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from grader import messages, render
from grader.commands import common
from grader.hints import reveal_next
from grader.progress import Progress


@common.usage_errors
def main(*, exercise: str, workspace: Path | None, lang: str | None = None) -> int:
    lang = common.language(lang, workspace)
    ex = common.exercise(exercise)
    progress = Progress(common.workspace(workspace).progress_file)
    hint = reveal_next(ex, progress, lang=lang)
    try:
        progress.save()
    except OSError:
        pass
    out = render.console()
    out.print(Text(str(hint)))
    if hint.number == hint.total:
        out.print(Text(messages.text("hint.last", lang), style="dim"))
    return 0
