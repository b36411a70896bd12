"""The batch grader: every submission, in parallel, through the sandboxed engine.

Two sources of submissions, one pipeline:

``nbgrader``  ``COURSE/submitted/<student>/<assignment>/<exercise>.ipynb``: the code is
              read out of the solution cells (matched by grade_id, as nbgrader does),
              graded, and the scores written into nbgrader's gradebook, with an
              autograded notebook for formgrader and ``nbgrader generate_feedback``.
``files``     ``ROOT/submissions/<student>/exercise-NN/<module>.py``: graded, and
              the grades written to a CSV.

Both are resumable: a submission whose content and grading settings match its
record in the :class:`~grader.course.store.Store` is not graded again, and
records are written only after the grades they describe are safely stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from collections import Counter
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from grader.course import catalog, engine
from grader.course.feedback import render as render_feedback
from grader.course.store import Store, atomic_write_text
from grader.registry import Exercise, Registry

MAX_ATTEMPTS = 2  # a submission whose grading process dies twice scores 0
MAX_NOTEBOOK_BYTES = 32 << 20  # larger submitted notebooks are not read (a 0, with the reason)


def sha256(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@dataclass
class Submission:
    student: str
    item: str  # the notebook's name (nbgrader) or the exercise id (files)
    exercise: Exercise
    task: engine.GradeTask
    submission_sha: str
    settings_sha: str
    ready: dict | None = None  # a report that needs no grading (nothing submitted, unreadable)
    context: dict = field(default_factory=dict)


@dataclass
class Summary:
    graded: int = 0
    kept: int = 0  # already recorded, unchanged
    restored: int = 0  # already graded, but the gradebook had lost it: written again
    crashed: int = 0  # the grading process itself died
    wall_s: float = 0.0
    grading_s: list[float] = field(default_factory=list)


# -- the shared pipeline ------------------------------------------------------------------
def run(submissions: list[Submission], store: Store, sink, *, jobs: int, force: bool = False,
        progress: bool = True, console=None) -> Summary:
    """Grade what is missing or changed; ``sink.record`` stores each result, then the store marks it done."""
    started = time.perf_counter()
    summary = Summary()
    todo: list[Submission] = []
    for sub in submissions:
        record = None if force else store.load(sub.student, sub.item)
        if (record and record.get("submission_sha") == sub.submission_sha
                and record.get("settings_sha") == sub.settings_sha):
            summary.kept += 1
            if sink.ensure(sub, record["report"]):
                summary.restored += 1
            continue
        if sub.ready is not None:
            _finish(sub, sub.ready, store, sink)
            summary.graded += 1
            continue
        todo.append(sub)

    if todo:
        _grade_all(todo, store, sink, jobs=jobs, progress=progress, console=console, summary=summary)
    summary.wall_s = time.perf_counter() - started
    return summary


def _finish(sub: Submission, report: dict, store: Store, sink) -> None:
    sink.record(sub, report)  # first the grades, durably ...
    store.save(sub.student, sub.item, {  # ... then the mark that says they are there
        "student": sub.student, "item": sub.item, "exercise": sub.exercise.id, "max_score": sub.exercise.points,
        "submission_sha": sub.submission_sha, "settings_sha": sub.settings_sha,
        "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "report": report,
    })


def _grade_all(todo: list[Submission], store: Store, sink, *, jobs: int, progress: bool, console,
               summary: Summary) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    bar = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.description}"),
                   console=console, disable=not progress, transient=False)
    attempts: Counter = Counter()
    pending = list(todo)
    with bar:
        task_id = bar.add_task("", total=len(todo))
        while pending:
            pool = engine.make_pool(max(1, min(jobs, len(pending))), max(1, default_jobs() // max(1, jobs)))
            futures = {pool.submit(engine.grade_task, _with_threads(sub, jobs)): sub for sub in pending}
            pending = []
            try:
                for future in as_completed(futures):
                    sub = futures[future]
                    try:
                        report = future.result()
                    except (BrokenProcessPool, OSError, RuntimeError) as exc:
                        attempts[id(sub)] += 1
                        if attempts[id(sub)] < MAX_ATTEMPTS:
                            pending.append(sub)
                            continue
                        summary.crashed += 1
                        report = engine.error_report(sub.task, f"the grading process died ({type(exc).__name__})")
                    summary.grading_s.append(float(report.get("wall_s", 0.0)))
                    _finish(sub, report, store, sink)
                    summary.graded += 1
                    bar.update(task_id, advance=1, description=f"{sub.student}/{sub.item}")
            finally:
                pool.shutdown(wait=True, cancel_futures=True)


def score_of(report: dict) -> float:
    return round(sum(float(t.get("points", 0)) for t in report.get("tests", [])), 3)


# -- nbgrader courses ---------------------------------------------------------------------
class NbgraderSink:
    """Writes each result into nbgrader's gradebook and its autograded notebook."""

    def __init__(self, coursedir, gradebook, assignment: str):
        self.coursedir, self.gradebook, self.assignment = coursedir, gradebook, assignment

    def _scores(self, sub: Submission, report: dict) -> dict[str, float]:
        from grader.course.gradebook import scores_for

        return scores_for(sub.context["plan"], report)

    def record(self, sub: Submission, report: dict) -> None:
        from grader.course.gradebook import autograded_notebook, no_response, write_autograded

        plan, nb = sub.context["plan"], sub.context.get("notebook")
        cells = self.gradebook.source_cells(self.assignment, sub.item)
        self.gradebook.record(self.assignment, sub.student, sub.item, self._scores(sub, report),
                              no_response(plan, nb, cells), sub.context.get("timestamp"))
        if nb is not None:
            try:
                graded = autograded_notebook(nb, plan, report, cells)
                write_autograded(self.coursedir, self.assignment, sub.student, sub.item, graded,
                                 sub.context["folder"])
            except Exception:  # noqa: BLE001  (a notebook too odd to rewrite still has its grades)
                pass

    def ensure(self, sub: Submission, report: dict) -> bool:
        wanted = self._scores(sub, report)
        if self.gradebook.recorded(self.assignment, sub.student, sub.item, wanted) == wanted:
            return False
        self.record(sub, report)
        return True


def nbgrader_plans(coursedir, assignment: str, registry: Registry) -> dict[str, Any]:
    """{notebook name: GradingPlan} from the instructor's source notebooks."""
    import nbformat

    from grader.course.gradebook import CourseError
    from grader.course.notebooks import GradingPlan

    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    plans = {}
    for path in sorted(source.glob("*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get("grader")
        if meta:
            plan = GradingPlan.from_metadata(meta)
            registry.get(plan.exercise)  # an exercise the kit does not know is an error, not a 0
            plans[path.stem] = plan
    if not plans:
        raise CourseError(f"no notebook in {source} was made by `grader course build` "
                          f"(none has grader metadata)")
    return plans


def nbgrader_submissions(coursedir, assignment: str, plans: dict, registry: Registry, *,
                         time_limit: float | None) -> list[Submission]:
    from grader.course.gradebook import submitted_students
    from grader.course.notebooks import UnreadableNotebook, extract_solutions, read_notebook

    found = []
    settings = {}
    for name, plan in plans.items():
        ex = registry.get(plan.exercise)
        limit = time_limit or plan.time_limit
        settings[name] = sha256(catalog.fingerprint(ex), json.dumps(plan.to_metadata(), sort_keys=True), repr(limit))
    for student, folder in submitted_students(coursedir, assignment).items():
        stamp_path = folder / "timestamp.txt"
        stamp = stamp_path.read_bytes() if stamp_path.is_file() else b""
        try:
            timestamp = coursedir.get_existing_timestamp(str(folder))
        except Exception:  # noqa: BLE001  (a malformed timestamp is ignored, as a missing one)
            timestamp = None
        for name, plan in plans.items():
            ex = registry.get(plan.exercise)
            limit = time_limit or plan.time_limit
            path = folder / f"{name}.ipynb"
            context: dict = {"plan": plan, "folder": folder, "timestamp": timestamp}
            ready = None
            files = {f: None for f in ex.files}
            if not path.is_file():
                sha = "missing"
                ready = engine.error_report(_task(ex, files, plan.seed, limit, plan.device),
                                            f"{name}.ipynb was not submitted")
            elif path.stat().st_size > MAX_NOTEBOOK_BYTES:
                sha = f"size:{path.stat().st_size}:{path.stat().st_mtime_ns}"
                ready = engine.error_report(_task(ex, files, plan.seed, limit, plan.device),
                                            f"{name}.ipynb is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB; not read")
            else:
                data = path.read_bytes()
                sha = sha256(data, stamp)
                try:
                    nb = read_notebook(data)
                    context["notebook"] = nb
                    files.update(extract_solutions(nb, plan))
                except UnreadableNotebook as exc:
                    ready = engine.error_report(_task(ex, files, plan.seed, limit, plan.device), str(exc))
            task = _task(ex, files, plan.seed, limit, plan.device)
            found.append(Submission(student, name, ex, task, sha, settings[name], ready, context))
    return found


def _task(ex: Exercise, files: dict, seed: int, time_limit, device: str) -> engine.GradeTask:
    return engine.GradeTask(ex.id, tuple(sorted(files.items())), seed, time_limit, device)


def _with_threads(sub: Submission, jobs: int) -> engine.GradeTask:
    import dataclasses

    return dataclasses.replace(sub.task, threads=max(1, default_jobs() // max(1, jobs)))


def write_nbgrader_feedback(coursedir, assignment: str, plans: dict, store: Store, registry: Registry,
                            students: list[str]) -> Path:
    root = Path(coursedir.root) / "batch_feedback"
    for student in students:
        records = store.records(student)
        sections = []
        for name, plan in plans.items():
            ex = registry.get(plan.exercise)
            report = records.get(name, {}).get("report", {"error": "not graded yet", "tests": []})
            sections.append((f"{ex.id} — {ex.title}", report, sum(plan.points.values())))
        text = render_feedback(f"{assignment}: feedback for {student}", sections)
        atomic_write_text(root / student / assignment / "feedback.md", text)
    return root


# -- plain .py submissions -----------------------------------------------------------------
class FilesSink:
    """Plain submissions: the store is the record; the CSV and feedback are written from it."""

    def record(self, sub: Submission, report: dict) -> None:
        pass

    def ensure(self, sub: Submission, report: dict) -> bool:
        return False


def files_submissions(root: Path, registry: Registry, chosen: list[Exercise] | None, *, seed: int,
                      time_limit: float | None, device: str = "cpu") -> tuple[list[Submission], list[Exercise], list[str]]:
    """(submissions, exercises graded, warnings) for ``root/<student>/exercise-NN/<files>``."""
    warnings: list[str] = []
    students = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    seen: set[str] = set()
    for student in students:
        for folder in student.iterdir():
            if folder.is_dir() and not folder.name.startswith("."):
                try:
                    seen.add(registry.get(folder.name).id)
                except LookupError:
                    warnings.append(f"{student.name}/{folder.name}: not an exercise of the kit, ignored")
    exercises = chosen or [ex for ex in registry if ex.id in seen]
    found = []
    for ex in exercises:
        settings = sha256(catalog.fingerprint(ex), str(seed), repr(time_limit), device)
        for student in students:
            folder = student / ex.id
            files: dict[str, str | None] = {}
            too_large = []
            for name in ex.files:
                path = folder / name
                if path.is_file() and path.stat().st_size > MAX_NOTEBOOK_BYTES:
                    too_large.append(name)
                    files[name] = f"# {path.stat().st_size} bytes, {path.stat().st_mtime_ns}: not read\n"
                else:
                    files[name] = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
            task = _task(ex, files, seed, time_limit, device)
            sha = sha256(json.dumps(sorted(files.items())))
            ready = None
            if all(text is None for text in files.values()):
                ready = engine.error_report(task, f"nothing submitted for {ex.id}")
            elif too_large:
                ready = engine.error_report(task, f"{', '.join(too_large)} larger than "
                                                  f"{MAX_NOTEBOOK_BYTES >> 20} MiB; not read")
            found.append(Submission(student.name, ex.id, ex, task, sha, settings, ready))
    return found, exercises, warnings


def write_files_outputs(root: Path, csv_path: Path, exercises: list[Exercise], store: Store,
                        students: list[str]) -> None:
    """One CSV row per student (a column per exercise, then the total) and a Markdown file each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", *[ex.id for ex in exercises], "total", "max_total"])
    possible = sum(ex.points for ex in exercises)
    for student in students:
        records = store.records(student)
        scores = [score_of(records[ex.id]["report"]) if ex.id in records else "" for ex in exercises]
        total = sum(s for s in scores if s != "")
        writer.writerow([student, *[f"{s:g}" if s != "" else "" for s in scores], f"{total:g}", f"{possible:g}"])
        sections = [(f"{ex.id} — {ex.title}", records.get(ex.id, {}).get("report", {"error": "not graded yet", "tests": []}),
                     float(ex.points)) for ex in exercises]
        atomic_write_text(root / "feedback" / f"{student}.md", render_feedback(f"Feedback for {student}", sections))
    atomic_write_text(csv_path, buffer.getvalue())
