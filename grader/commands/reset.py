"""``grader reset EXERCISE``: put the original stub back, asking before discarding work."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from grader.commands import common
from grader.i18n import t
from grader.views import terminal
from grader.workspace import pristine_stub


@common.usage_errors
def main(*, exercise: str, workspace: Path | None, yes: bool = False) -> int:
    lang = common.language(None, workspace)  # the workspace's, else the locale's (reset has no --lang)
    ex = common.exercise(exercise)
    ws = common.workspace(workspace)
    originals = {name: pristine_stub(ex, name, ws) for name in ex.files}
    changed = [name for name, text in originals.items()
               if ws.file(ex, name).exists() and ws.file(ex, name).read_text(encoding="utf-8") != text]
    out = terminal.console()
    if changed and not yes:
        if not sys.stdin.isatty():
            raise common.UsageError(t("{files} has changes; pass --yes to discard them", files=", ".join(changed)))
        if not typer.confirm(t("Discard your changes to {files}?", files=", ".join(changed)).render(lang),
                             default=False):
            out.print(t("Nothing changed.").render(lang))
            return 1
    for name, text in originals.items():
        target = ws.file(ex, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    out.print(t("{id} is back to its original stub ({files}).", id=ex.id, files=", ".join(ex.files)).render(lang))
    return 0
