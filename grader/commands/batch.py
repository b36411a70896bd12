"""``grader batch DIR [ASSIGNMENT]``: grade a class's submissions with the sandboxed engine.

With ASSIGNMENT, DIR is an nbgrader course (made by ``grader course build``):
scores go into its gradebook through nbgrader's API. Without, DIR holds
``submissions/<student>/exercise-NN/<module>.py`` and the grades go to a CSV.
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text

from grader import render
from grader.commands import common
from grader.runner import fresh_seed


@common.usage_errors
def main(*, directory: Path, assignment: str | None = None, jobs: int | None = None,
         time_limit: float | None = None, seed: int | None = None, exercises: list[str] | None = None,
         csv: Path | None = None, force: bool = False, progress: bool = True) -> int:
    from grader.course import batch

    if jobs is not None and jobs < 1:
        raise common.UsageError("--jobs must be at least 1")
    if time_limit is not None and time_limit <= 0:
        raise common.UsageError("--time-limit must be positive")
    root = Path(directory).expanduser().resolve()
    if not root.is_dir():
        raise common.UsageError(f"{root} does not exist or is not a folder")
    jobs = jobs or batch.default_jobs()
    if assignment is not None:
        if seed is not None or exercises or csv is not None:
            raise common.UsageError("--seed, --exercise and --csv are for plain .py submissions; "
                                    "an nbgrader course takes them from its notebooks")
        return _nbgrader(root, assignment, jobs=jobs, time_limit=time_limit, force=force, progress=progress)
    return _files(root, jobs=jobs, time_limit=time_limit, seed=seed, exercises=exercises, csv_path=csv,
                  force=force, progress=progress)


def _nbgrader(root: Path, assignment: str, *, jobs: int, time_limit: float | None, force: bool,
              progress: bool) -> int:
    from grader.course import batch
    from grader.course.gradebook import CourseError, Gradebook, load_coursedir
    from grader.course.store import Store

    reg = common.registry()
    out = render.console()
    try:
        coursedir = load_coursedir(root)
        plans = batch.nbgrader_plans(coursedir, assignment, reg)
    except CourseError as exc:
        raise common.UsageError(str(exc)) from None
    except LookupError as exc:
        raise common.UsageError(f"the course names an exercise this kit lacks: {exc.args[0]}") from None
    gradebook = Gradebook(coursedir)
    try:
        if not gradebook.has_assignment(assignment, list(plans)):
            out.print(Text(f"{assignment} is not in the gradebook yet: running nbgrader's generate_assignment",
                           style="yellow"))
            gradebook.close()
            _generate_assignment(coursedir, assignment)
            gradebook = Gradebook(coursedir)
            if not gradebook.has_assignment(assignment, list(plans)):
                raise common.UsageError(f"nbgrader generate_assignment {assignment} did not record its notebooks; "
                                        "run it yourself to see why")
        stale = gradebook.mismatches(assignment, plans)
        if stale:
            raise common.UsageError(f"the gradebook does not have {', '.join(stale[:3])}"
                                    f"{' ...' if len(stale) > 3 else ''}: the course was rebuilt since "
                                    f"`nbgrader generate_assignment {assignment}`; run it again (with --force)")
        submissions = batch.nbgrader_submissions(coursedir, assignment, plans, reg, time_limit=time_limit)
        if not submissions:
            out.print(f"No submissions of {assignment} under {coursedir.submitted_directory}/.")
            return 0
        store = Store(root / ".grader-batch" / assignment)
        sink = batch.NbgraderSink(coursedir, gradebook, assignment)
        summary = batch.run(submissions, store, sink, jobs=jobs, force=force, progress=progress,
                            console=render.console(stderr=True))
    finally:
        gradebook.close()
    students = sorted({s.student for s in submissions})
    feedback = batch.write_nbgrader_feedback(coursedir, assignment, plans, store, reg, students)
    _show(out, store, students, list(plans), summary, jobs)
    out.print(Text(f"Scores are in {coursedir.db_url} (nbgrader export reads them); "
                   f"feedback in {feedback}/<student>/{assignment}/feedback.md", style="dim"))
    return 0


def _generate_assignment(coursedir, assignment: str) -> None:
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(coursedir=coursedir, config=coursedir.config)
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        lines = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise common.UsageError(f"nbgrader generate_assignment {assignment} failed: {lines[-1] if lines else '?'}")


def _files(root: Path, *, jobs: int, time_limit: float | None, seed: int | None, exercises: list[str] | None,
           csv_path: Path | None, force: bool, progress: bool) -> int:
    from grader.course import batch
    from grader.course.store import Store

    submissions_dir = root / "submissions"
    if not submissions_dir.is_dir():
        raise common.UsageError(f"{root} has no submissions/ folder (expected submissions/<student>/exercise-NN/"
                                "<module>.py); for an nbgrader course, name the assignment too")
    reg = common.registry()
    chosen = [common.exercise(name, reg) for name in exercises] if exercises else None
    store = Store(root / ".grader-batch" / "files")
    settings = store.settings({"seed": fresh_seed(), "time_limit": None})
    chosen_now = {"seed": seed if seed is not None else settings["seed"],
                  "time_limit": time_limit if time_limit is not None else settings.get("time_limit")}
    if chosen_now != settings:  # an explicit option changes what later runs use too
        settings = store.save_settings(chosen_now)
    out = render.console()
    submissions, graded_exercises, warnings = batch.files_submissions(
        submissions_dir, reg, chosen, seed=int(settings["seed"]), time_limit=settings["time_limit"])
    for line in warnings:
        out.print(Text(f"warning: {line}", style="yellow"))
    summary = batch.run(submissions, store, batch.FilesSink(), jobs=jobs, force=force, progress=progress,
                        console=render.console(stderr=True))
    students = sorted({s.student for s in submissions})
    csv_path = (csv_path or root / "grades.csv").resolve()
    batch.write_files_outputs(root, csv_path, graded_exercises, store, students)
    _show(out, store, students, [ex.id for ex in graded_exercises], summary, jobs)
    out.print(Text(f"Grades in {csv_path}; feedback in {root / 'feedback'}/<student>.md (seed {settings['seed']})",
                   style="dim"))
    return 0


def _show(out, store, students: list[str], items: list[str], summary, jobs: int) -> None:
    from grader.course.batch import score_of

    table = Table(title="grader batch (points per exercise)", title_justify="left")
    table.add_column("student")
    for item in items:
        table.add_column(item.removeprefix("exercise-"), justify="right")
    table.add_column("total", justify="right", style="bold")
    for student in students:
        records = store.records(student)
        cells, total, possible = [], 0.0, 0.0
        for item in items:
            record = records.get(item)
            if record is None:
                cells.append(Text("–", style="dim"))
                continue
            score, most = score_of(record["report"]), float(record.get("max_score") or 0)
            total, possible = total + score, possible + most
            cells.append(f"{score:g}")
        table.add_row(student, *cells, f"{total:g}/{possible:g}")
    out.print(table)
    line = (f"graded {summary.graded}, already recorded {summary.kept}"
            + (f" ({summary.restored} written back to the gradebook)" if summary.restored else "")
            + (f", {summary.crashed} whose grading process died (scored 0)" if summary.crashed else "")
            + f" in {summary.wall_s:.1f} s with {jobs} job(s)")
    if summary.grading_s:
        line += f"; {sum(summary.grading_s) / len(summary.grading_s):.1f} s per submission in its grader"
    out.print(Text(line, style="bold"))
