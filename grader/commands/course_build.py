"""``grader course build DIR``: an nbgrader course generated from the kit."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text

from grader import extras
from grader.commands import common
from grader.runner import fresh_seed
from grader.views import terminal

ASSIGNMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@common.usage_errors
def main(*, directory: Path, assignment: str = "pytorch-exercises", exercises: list[str] | None = None,
         seed: int | None = None, time_limit: float | None = None, course_id: str = "pytorch-kit",
         device: str = "cpu", lang: str = "en") -> int:
    missing = extras.require("instructor", "grader course build")
    if missing:
        raise common.UsageError(missing)
    if not ASSIGNMENT_NAME.match(assignment):
        raise common.UsageError(f"assignment name {assignment!r}: use letters, digits, '-', '_' or '.'")
    if time_limit is not None and time_limit <= 0:
        raise common.UsageError("--time-limit must be positive")
    if device not in ("cpu", "cuda"):
        raise common.UsageError(f"--device {device}: cpu or cuda")
    lang = common.language(lang)
    if Path(directory).exists() and not Path(directory).is_dir():
        raise common.UsageError(f"{directory} exists and is not a folder")
    reg = common.registry()
    chosen = [common.exercise(name, reg) for name in exercises] if exercises else list(reg)
    chosen = sorted(set(chosen), key=lambda ex: ex.order)
    seed = fresh_seed() if seed is None else seed

    from grader.course.build.course_folder import build_course

    try:
        built = build_course(Path(directory), assignment, chosen, seed=seed, time_limit=time_limit,
                             course_id=course_id, device=device, lang=lang)
    except RuntimeError as exc:  # checks that cannot be collected, or points that disagree
        terminal.error(str(exc))
        return 1
    out = terminal.console()
    for path in built.notebooks:
        out.print(Text(f"wrote {path.relative_to(built.root)}", style="dim"))
    out.print(Text(f"Course in {built.root}: assignment {assignment!r}, {len(chosen)} exercise(s), "
                   f"seed {seed}.", style="bold green"))
    out.print(f"Next: cd {built.root} && nbgrader generate_assignment {assignment}")
    return 0
