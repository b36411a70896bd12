"""The ``grader`` command line: a table of contents; each command lives in grader/commands/.

Exit status everywhere: 0 success, 1 a check failed, 2 a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Check PyTorch exercises in a sandbox, and grade classes of them.")
dev_app = typer.Typer(no_args_is_help=True, help="Maintainer commands.")
app.add_typer(dev_app, name="dev")
course_app = typer.Typer(no_args_is_help=True, help="Instructor commands: an nbgrader course from the kit.")
app.add_typer(course_app, name="course")
server_app = typer.Typer(no_args_is_help=True, help="The grader server that makes `grader check` fast.")
app.add_typer(server_app, name="server")

Workspace = Annotated[Path | None, typer.Option("--workspace", "-w",
                                                help="Folder laid out like exercises/ (default: the workspace "
                                                     "`grader init` made, found from the current folder).")]
Exercise = Annotated[str, typer.Argument(help="Exercise id, e.g. exercise-04 (or just 4).")]
Lang = Annotated[str | None, typer.Option("--lang",
                                          help="en or zh (default: from GRADER_LANG, LC_ALL, LC_MESSAGES or LANG).")]


def _show_version(value: bool) -> None:
    if value:
        from grader import kit

        typer.echo(kit.describe())
        raise typer.Exit(0)


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Print the kit's version and where it is.")] = False,
             ) -> None:
    """Check PyTorch exercises in a sandbox, and grade classes of them."""


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(
        help="The folder to write (default: ./pytorch-exercises); it must not exist yet, or be empty.")] = None,
    lang: Lang = None,
) -> None:
    """Write a workspace with every exercise's stub, in English or Chinese (--lang zh)."""
    from grader.commands import init as command

    raise typer.Exit(command.main(directory=directory, lang=lang))


@app.command("list")
def list_(workspace: Workspace = None, lang: Lang = None) -> None:
    """Show every exercise with its status and points."""
    from grader.commands import list as command

    raise typer.Exit(command.main(workspace=workspace, lang=lang))


@app.command()
def check(
    exercise: Exercise,
    workspace: Workspace = None,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    seed: Annotated[int | None, typer.Option(help="Reproduce a run's random inputs.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print one JSON object instead.")] = False,
    time_limit: Annotated[
        float | None, typer.Option(help="Seconds per call of your code (default: the exercise's).")] = None,
    show_output: Annotated[bool, typer.Option(help="Show what your code printed.")] = False,
    timings: Annotated[bool, typer.Option(help="Add each check's wall time to --json.")] = False,
    lang: Lang = None,
    no_server: Annotated[bool, typer.Option(
        "--no-server", help="Grade here, not through the grader server (also: GRADER_NO_SERVER=1).")] = False,
) -> None:
    """Run the hidden checks on your code, in a sandbox."""
    from grader.commands import check as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace, device=device, seed=seed,
                                    as_json=json_, time_limit=time_limit, show_output=show_output,
                                    timings=timings, lang=lang, no_server=no_server))


@app.command()
def hint(exercise: Exercise, workspace: Workspace = None, lang: Lang = None) -> None:
    """Show the next hint for an exercise."""
    from grader.commands import hint as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace, lang=lang))


@app.command()
def reset(exercise: Exercise, workspace: Workspace = None,
          yes: Annotated[bool, typer.Option("--yes", "-y", help="Discard changes without asking.")] = False) -> None:
    """Restore an exercise's files to the original stub."""
    from grader.commands import reset as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace, yes=yes))


@app.command()
def watch(exercise: Annotated[str | None, typer.Argument(help="Default: the first unfinished exercise.")] = None,
          workspace: Workspace = None, lang: Lang = None) -> None:
    """Re-check an exercise each time you save it."""
    from grader.commands import watch as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace, lang=lang))


@server_app.command("start")
def server_start(foreground: Annotated[bool, typer.Option(help="Serve in this terminal (for debugging).")] = False,
                 ) -> None:
    """Start the grader server (`grader check` also starts it when needed)."""
    from grader.commands import server as command

    raise typer.Exit(command.start(foreground=foreground))


@server_app.command("status")
def server_status() -> None:
    """Say whether the grader server runs, since when, and from which kit."""
    from grader.commands import server as command

    raise typer.Exit(command.status())


@server_app.command("stop")
def server_stop() -> None:
    """Stop the grader server (it finishes the gradings in flight first)."""
    from grader.commands import server as command

    raise typer.Exit(command.stop())


@dev_app.command("check")
def dev_check(
    exercises: Annotated[list[str] | None, typer.Argument(help="Only these exercises (default: all).")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for every run.")] = None,
) -> None:
    """Prove every solution scores full marks, every stub does not, and the registry matches the files."""
    from grader.commands import dev_check as command

    raise typer.Exit(command.main(exercises=exercises, seed=seed))


@course_app.command("build")
def course_build(
    directory: Annotated[Path, typer.Argument(help="The nbgrader course folder to write (created if missing).")],
    assignment: Annotated[str, typer.Option("--assignment", "-a", help="The assignment's name.")] = "pytorch-exercises",
    exercises: Annotated[
        list[str] | None, typer.Option("--exercise", "-e", help="Only these exercises (repeat; default: all).")] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the hidden checks' random inputs (default: a fresh one).")] = None,
    time_limit: Annotated[
        float | None, typer.Option(help="Seconds per call of student code (default: each exercise's).")] = None,
    course_id: Annotated[str, typer.Option(help="nbgrader's course id.")] = "pytorch-kit",
    device: Annotated[str, typer.Option(
        help="cpu, or cuda: the checks' CUDA variants run too (grader batch --scheduler sends them to GPU workers).")
    ] = "cpu",
    lang: Annotated[str, typer.Option(
        "--lang", help="The class's language, en or zh: notebooks, starter code, check messages and feedback.")
    ] = "en",
) -> None:
    """Write nbgrader_config.py and source/<assignment>/<exercise>.ipynb, generated from the kit."""
    from grader.commands import course_build as command

    raise typer.Exit(command.main(directory=directory, assignment=assignment, exercises=exercises, seed=seed,
                                    time_limit=time_limit, course_id=course_id, device=device, lang=lang))


@app.command()
def batch(
    directory: Annotated[Path, typer.Argument(help="An nbgrader course folder, or a folder holding submissions/.")],
    assignment: Annotated[
        str | None, typer.Argument(help="The nbgrader assignment; omit for plain .py submissions.")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Submissions graded at once (default: the number of cores).")] = None,
    time_limit: Annotated[float | None, typer.Option(
        help="Seconds per call of student code (default: the course's; plain mode: kept from the first run).")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Plain .py mode: seed of the random inputs (default: kept from the first run).")] = None,
    exercises: Annotated[
        list[str] | None, typer.Option("--exercise", "-e", help="Plain .py mode: only these exercises.")] = None,
    csv: Annotated[
        Path | None, typer.Option(help="Plain .py mode: where to write the grades (default: DIR/grades.csv).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-grade everything, even what is already recorded.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    scheduler: Annotated[str | None, typer.Option(
        help="Grade on a Dask cluster: a scheduler's address (tcp://HOST:PORT, tls://HOST:PORT), "
             "or local:N for N worker processes on this machine.")] = None,
) -> None:
    """Grade every submission in the sandbox, in parallel, into nbgrader's gradebook (or a CSV)."""
    from grader.commands import batch as command

    raise typer.Exit(command.main(directory=directory, assignment=assignment, jobs=jobs, time_limit=time_limit,
                                    seed=seed, exercises=exercises, csv=csv, force=force, progress=progress,
                                    scheduler=scheduler))


@app.command()
def report(
    directory: Annotated[Path, typer.Argument(help="The nbgrader course folder.")],
    assignment: Annotated[str, typer.Argument(help="The assignment, as graded by `grader batch`.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder to write into (default: COURSE/reports/ASSIGNMENT).")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="html (a folder that opens from disk), json, or csv (a row per student and check).")]
    = "html",
) -> None:
    """A class report: score distributions, the most failed checks and why, flagged submissions, students."""
    from grader.commands import report as command

    raise typer.Exit(command.main(directory=directory, assignment=assignment, out=out, fmt=fmt))


def main() -> None:
    try:
        app()
    except ModuleNotFoundError as exc:  # a module only an extra brings: one line, never a traceback
        from grader import extras
        from grader.commands import common
        from grader.i18n import t
        from grader.views import terminal

        extra = extras.extra_for(exc)
        if extra is None:
            raise
        terminal.error(extras.needs(extra, t("this command ({module} is missing)", module=exc.name)),
                       common.language_or_english())
        raise SystemExit(2) from None
