"""``grader list``: every exercise with its status, points and overall progress."""

from __future__ import annotations

from pathlib import Path

from grader.commands import common
from grader.progress import Progress
from grader.views import terminal


@common.usage_errors
def main(*, workspace: Path | None, lang: str | None = None) -> int:
    lang = common.language(lang, workspace)
    reg = common.registry()
    progress = Progress(common.workspace(workspace).progress_file)
    rows, passed = [], 0
    for ex in reg:
        entry = progress.entries.get(ex.id)
        status = entry.status if entry else "not tried"
        score = f"{entry.score:g}/{ex.points}" if entry and entry.status != "not tried" else f"–/{ex.points}"
        passed += status == "passed"
        rows.append((ex, status, score))
    terminal.exercise_table(rows, passed, len(reg), lang=lang)
    return 0
