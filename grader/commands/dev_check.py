"""``grader dev check``: the course is consistent, every solution passes, every stub and every
module that cannot be imported scores exactly 0 (no points for no work), and every Chinese stub
is graded exactly as its English stub."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.table import Table
from rich.text import Text

from grader import paths
from grader.commands import common
from grader.registry import chinese_stub_name
from grader.runner import fresh_seed, grade
from grader.views import terminal
from grader.workspace import pristine_stub

UNIMPORTABLE = "raise SystemExit  # a module that cannot be imported must score 0\n"


@common.usage_errors
def main(*, exercises: list[str] | None = None, seed: int | None = None) -> int:
    try:  # the maintainers' tools read the repository: they are not part of an installed kit
        from devtools import editions, kit_files
    except ImportError:
        raise common.UsageError("grader dev check runs in a checkout of the kit's repository "
                                "(its devtools/ folder is not installed with the package)") from None
    reg = common.registry()
    chosen = [common.exercise(name, reg) for name in exercises] if exercises else list(reg)
    seed = fresh_seed() if seed is None else seed
    out = terminal.console()
    problems = kit_files.problems(reg, {ex.id for ex in chosen} if exercises else None)
    problems += editions.sync_problems(registry=reg)  # the two editions of the site keep in step
    table = Table(title=f"grader dev check (seed {seed})", title_justify="left")
    for column in ("exercise", "solution", "stub", "unimportable", "zh stub", "verdict"):
        table.add_column(column)
    if problems:  # grading inconsistent files would only add noise
        for line in problems:
            out.print(Text(f"✗ {line}", style="red"))
        out.print(Text(f"{len(problems)} problem(s) between the registry, the files and the two editions",
                       style="bold red"))
        return 1
    compared = 0  # Chinese stubs graded beside their English ones
    for ex in chosen:
        solution = grade(ex, paths.SOLUTIONS_DIR / ex.id, seed=seed)
        # the stub as shipped, even if exercises/ was edited
        stub = grade_files(ex, {name: pristine_stub(ex, name) for name in ex.files}, seed)
        broken = grade_files(ex, {name: UNIMPORTABLE for name in ex.files}, seed)
        chinese, unlike = chinese_stub_problems(ex, stub, seed)
        compared += len(ex.files)
        wrong = list(unlike)
        if not solution.passed or solution.score != ex.points or solution.max_score != ex.points:
            failed = "; ".join(f"{t.name}: {t.message}" for t in solution.failures) or solution.error or ""
            wrong.append(f"solution scores {solution.score:g}/{solution.max_score:g}, "
                         f"registry says {ex.points} {failed}")
        if stub.score != 0:
            wrong.append(f"the untouched stub scores {stub.score:g}, not 0")
        if broken.score != 0:
            wrong.append(f"a module that cannot be imported scores {broken.score:g}, not 0")
        problems += [f"{ex.id}: {w}" for w in wrong]
        verdict = Text("; ".join(wrong), style="red") if wrong else Text("ok", style="green")
        table.add_row(ex.id, f"{solution.score:g}/{solution.max_score:g}", f"{stub.score:g}/{stub.max_score:g}",
                      f"{broken.score:g}/{broken.max_score:g}", f"{chinese.score:g}/{chinese.max_score:g}", verdict)
    out.print(table)
    if problems:
        out.print(Text(f"{len(problems)} problem(s)", style="bold red"))
        return 1
    out.print(Text(f"All {len(chosen)} exercises consistent: solutions full marks, stubs and unimportable "
                   f"modules 0; {compared} Chinese stub{'s' * (compared != 1)} graded exactly as the English.",
                   style="bold green"))
    return 0


def grade_files(exercise, files: dict[str, str], seed: int):
    """Grade the given sources, written to a scratch folder laid out like the exercise's."""
    with tempfile.TemporaryDirectory(prefix="grader-dev-") as tmp:
        for name, source in files.items():
            (Path(tmp) / name).write_text(source, encoding="utf-8")
        return grade(exercise, Path(tmp), seed=seed)


def chinese_stub_problems(exercise, english_stub, seed: int):
    """Grade the exercise's Chinese stubs (``<module>.zh.py``, the kit's committed version) under their
    English file names, as a Chinese learner's files are graded; the report must be the English stub's,
    timings and warm-path notes aside (same code, Chinese words: tests/test_chinese_stubs.py).

    Returns the Chinese stubs' report and the problems, one line each."""
    files = {name: pristine_stub(exercise, chinese_stub_name(name)) for name in exercise.files}
    chinese = grade_files(exercise, files, seed)
    en, zh = (report.to_dict() | {"review": None} for report in (english_stub, chinese))
    if en == zh:
        return chinese, []
    names = ", ".join(chinese_stub_name(name) for name in exercise.files)
    english = {check["name"]: check for check in en["tests"]}
    differs = next((f"{check['name']}: {check['message']!r} where the English stub has "
                    f"{english.get(check['name'], {}).get('message')!r}"
                    for check in zh["tests"] if check != english.get(check["name"])), None)
    differs = differs or next(f"{key}: {zh.get(key)!r} where the English stub has {en[key]!r}"
                              for key in en if en[key] != zh.get(key))
    return chinese, [f"the Chinese stub ({names}) is not graded as the English stub: {differs}"]
