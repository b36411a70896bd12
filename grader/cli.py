"""The ``grader`` command line: a table of contents; each command lives in grader/commands/.

Exit status everywhere: 0 success, 1 a check failed, 2 a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Check PyTorch exercises in a sandbox, and grade classes of them.")
dev_app = typer.Typer(no_args_is_help=True, help="Maintainer commands.")
app.add_typer(dev_app, name="dev")

Workspace = Annotated[Optional[Path], typer.Option("--workspace", "-w", help="Folder laid out like exercises/ (default: the kit's own).")]
Exercise = Annotated[str, typer.Argument(help="Exercise id, e.g. exercise-04 (or just 4).")]


@app.command("list")
def list_(workspace: Workspace = None) -> None:
    """Show every exercise with its status and points."""
    from grader.commands import list as command

    raise typer.Exit(command.main(workspace=workspace))


@app.command()
def check(
    exercise: Exercise,
    workspace: Workspace = None,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    seed: Annotated[Optional[int], typer.Option(help="Reproduce a run's random inputs.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print one JSON object instead.")] = False,
    time_limit: Annotated[Optional[float], typer.Option(help="Seconds per call of your code (default: the exercise's).")] = None,
    show_output: Annotated[bool, typer.Option(help="Show what your code printed.")] = False,
    timings: Annotated[bool, typer.Option(help="Add each check's wall time to --json.")] = False,
) -> None:
    """Run the hidden checks on your code, in a sandbox."""
    from grader.commands import check as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace, device=device, seed=seed,
                                    as_json=json_, time_limit=time_limit, show_output=show_output,
                                    timings=timings))


@app.command()
def hint(exercise: Exercise, workspace: Workspace = None) -> None:
    """Show the next hint for an exercise."""
    from grader.commands import hint as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace))


@app.command()
def reset(exercise: Exercise, workspace: Workspace = None,
          yes: Annotated[bool, typer.Option("--yes", "-y", help="Discard changes without asking.")] = False) -> None:
    """Restore an exercise's files to the original stub."""
    from grader.commands import reset as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace, yes=yes))


@app.command()
def watch(exercise: Annotated[Optional[str], typer.Argument(help="Default: the first unfinished exercise.")] = None,
          workspace: Workspace = None) -> None:
    """Re-check an exercise each time you save it."""
    from grader.commands import watch as command

    raise typer.Exit(command.main(exercise=exercise, workspace=workspace))


@dev_app.command("check")
def dev_check(
    exercises: Annotated[Optional[list[str]], typer.Argument(help="Only these exercises (default: all).")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed for every run.")] = None,
) -> None:
    """Prove every solution scores full marks, every stub does not, and the registry matches the files."""
    from grader.commands import dev_check as command

    raise typer.Exit(command.main(exercises=exercises, seed=seed))


def main() -> None:
    app()
