"""``grader watch [EXERCISE]``: re-check on every save; without an id, walk the course."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from grader import messages
from grader.checking import CheckRequest
from grader.commands import common
from grader.commands.check import check_and_show
from grader.i18n import t
from grader.progress import Progress
from grader.registry import Exercise, Registry
from grader.sandbox import WarmWorkers
from grader.views import terminal
from grader.workspace import Workspace


def first_unfinished(reg: Registry, ws: Workspace) -> Exercise | None:
    progress = Progress(ws.progress_file)
    return next((ex for ex in reg if progress.get(ex.id).status != "passed"), None)


def wait_for_save(ex: Exercise, ws: Workspace) -> None:
    import watchfiles

    watched = {str(ws.file(ex, name).resolve()) for name in ex.files}
    for changes in watchfiles.watch(ws.exercise_dir(ex), debounce=300, step=100):
        if any(str(Path(path).resolve()) in watched for _, path in changes):
            return


@common.usage_errors
def main(*, exercise: str | None, workspace: Path | None, lang: str | None = None) -> int:
    lang = common.language(lang, workspace)
    reg = common.registry()
    ws = common.workspace(workspace)
    current = common.exercise(exercise, reg) if exercise else first_unfinished(reg, ws)
    out = terminal.console()
    workers = WarmWorkers()  # stays warm between saves: a re-check skips the worker's torch import
    try:
        while current is not None:
            if not ws.exercise_dir(current).is_dir():
                raise common.UsageError(t("{folder} does not exist", folder=str(ws.exercise_dir(current))))
            request = CheckRequest.make(current.id, ws.exercise_dir(current))
            report = check_and_show(current, ws, request, workers=workers, lang=lang)
            if report.passed and exercise is None:
                current = first_unfinished(reg, ws)
                continue
            files = ", ".join(str(ws.file(current, f)) for f in current.files)
            out.print(Text.assemble((messages.text("watch.watching", lang, files=files), "bold"),
                                    " — " + messages.text("watch.how", lang)))
            wait_for_save(current, ws)
        out.print(Text(messages.text("watch.all_passed", lang), style="bold green"))
    except KeyboardInterrupt:
        out.print(messages.text("watch.stopped", lang))
    finally:
        workers.stop()
    return 0
