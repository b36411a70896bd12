"""``grader hint EXERCISE``: reveal the next hint, one per call."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from grader import messages
from grader.commands import common
from grader.hints import reveal_next_saved
from grader.views import terminal


@common.usage_errors
def main(*, exercise: str, workspace: Path | None, lang: str | None = None) -> int:
    lang = common.language(lang, workspace)
    ex = common.exercise(exercise)
    hint = reveal_next_saved(ex, common.workspace(workspace).progress_file, lang=lang)
    out = terminal.console()
    out.print(Text(str(hint)))
    if hint.number == hint.total:
        out.print(Text(messages.text("hint.last", lang), style="dim"))
    return 0
