"""The nbgrader notebook of an exercise, and the learner's code read back out of one.

One notebook per exercise, derived from the registry entry, the stub, the
reference solution and the hidden checks:

``intro``             read-only Markdown: the title and the stub's goal
``solution_<module>`` one solution cell per file the learner edits. Its first line,
                      ``%%writefile net.py``, saves the cell as a module the learner
                      can import and try; the reference lies between ``### BEGIN
                      SOLUTION`` / ``### END SOLUTION``, and the released notebook
                      shows the stub there instead (see :mod:`grader.course.build.nbgrader_ext`).
                      The checks grade the cell's text (minus that line), read from
                      the notebook by grade_id, in both grading modes
``check_<name>``      one autograder test cell per hidden check, worth that check's
                      points; the call into the kit's engine lies between ``### BEGIN
                      HIDDEN TESTS`` / ``### END HIDDEN TESTS``

The notebook's ``metadata.grader`` records how it grades (exercise, seed, time
limit, device, which cell is which); ``grader batch`` reads it from the
instructor's *source* notebook, never from a submission.
"""

from __future__ import annotations

import ast
import copy
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import kit, paths
from grader.course import NBGRADER_LOG, CourseError
from grader.course.catalog import CheckInfo
from grader.i18n import N_, check_title, t
from grader.registry import Exercise, Registry

MAX_NOTEBOOK_BYTES = 32 << 20  # a larger submitted notebook is not read (a 0, with the reason); a learner's
# .py file has the one limit of every grading path (grader.sandbox.limits.MAX_FILE_BYTES)

SCHEMA_VERSION = 3
PASSED = N_("passed: {check} ({points} points)")  # a check cell's one line, by the test cell and the batch alike
WRITEFILE = re.compile(r"^\s*%%writefile(?:\s+-a)?\s+(\S+)\s*$")


@dataclass
class GradingPlan:
    """How a notebook grades, as recorded in its ``metadata.grader``."""

    exercise: str
    seed: int
    time_limit: float | None
    device: str
    solutions: dict[str, str] = field(default_factory=dict)  # grade_id -> file name
    checks: dict[str, str] = field(default_factory=dict)  # grade_id -> check name
    points: dict[str, float] = field(default_factory=dict)  # grade_id -> points
    lang: str = "en"  # the class's language: messages in test cells and feedback (``course build --lang``)

    def to_metadata(self) -> dict:
        """The plan as plain data; ``lang`` only when not English, so a course built before it kept its meaning
        (and its fingerprint: the batch does not re-grade it)."""
        return {"exercise": self.exercise, "seed": self.seed, "time_limit": self.time_limit,
                "device": self.device, "solutions": self.solutions, "checks": self.checks,
                "points": self.points} | ({"lang": self.lang} if self.lang != "en" else {})

    @classmethod
    def from_metadata(cls, data: dict) -> GradingPlan:
        return cls(exercise=data["exercise"], seed=int(data["seed"]), time_limit=data.get("time_limit"),
                   device=data.get("device", "cpu"), solutions=dict(data["solutions"]),
                   checks=dict(data["checks"]), points={k: float(v) for k, v in data["points"].items()},
                   lang=str(data.get("lang", "en")))


def cell_id(prefix: str, name: str) -> str:
    """An nbgrader grade_id: letters, digits and underscores."""
    return f"{prefix}_{re.sub(r'[^0-9A-Za-z]+', '_', name.split('[')[0]).strip('_')}"


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def goal_text(exercise: Exercise, lang: str = "en") -> str:
    """The stub's module docstring (what the learner must achieve, in ``lang``), minus the CLI reminder."""
    stub = kit.stub_file(exercise.id, exercise.files[0], lang).read_text(encoding="utf-8")
    try:
        doc = ast.get_docstring(ast.parse(stub)) or ""
    except SyntaxError:
        doc = ""
    lines = [line for line in doc.splitlines() if "grader check" not in line]
    if lines and re.match(r"^(exercise|练习)\s*\d+", lines[0], re.IGNORECASE):
        lines = lines[1:]  # the title line; the notebook has its own heading
    return "\n".join(lines).strip()


def _module_text(path) -> str:
    return path.read_text(encoding="utf-8").rstrip("\n")


def _check_line(check: CheckInfo, lang: str) -> str:
    """A check as the notebook lists it: its title (its display title in Chinese) and its points."""
    if lang == "en":
        return f"{check.title} ({check.points:g} point{'s' if check.points != 1 else ''})"
    points = t("{points} point", points=f"{check.points:g}") if check.points == 1 else \
        t("{points} points", points=f"{check.points:g}")
    return f"{check_title(check.name, lang)} ({points.render(lang)})"


def build_notebook(exercise: Exercise, checks: tuple[CheckInfo, ...], *, seed: int,
                   time_limit: float | None, device: str = "cpu", lang: str = "en") -> nbformat.NotebookNode:
    """The instructor's (source) notebook for one exercise, its text and starter code in ``lang``."""
    plan = GradingPlan(exercise.id, seed, time_limit, device, lang=lang)
    files = ", ".join(f"`{f}`" for f in exercise.files)
    number = exercise.id.split("-")[-1]
    how = (t("Fix the code in the cell below ({files}). ", files=files) if len(exercise.files) == 1
           else t("Fix the code in the cells below ({files}). ", files=files))
    heading = t("Exercise {number}", number=number).render(lang)
    intro = "\n".join([
        f"# {heading} — {exercise.title_in(lang)}",
        "",
        goal_text(exercise, lang),
        "",
        "## " + t("How this notebook is graded").render(lang),
        "",
        how.render(lang) + t(
            "Running a cell saves it as a module (its first line, `%%writefile`), so you can `import` it and try it "
            "in a new cell. When you submit, hidden checks run this code in a sandbox with random inputs; they are "
            "worth {points} points in all.", points=exercise.points).render(lang),
    ])
    cells = [new_markdown_cell(intro, metadata={"nbgrader": _nbgrader("intro", locked=True)})]

    for name in exercise.files:
        grade_id = cell_id("solution", name.removesuffix(".py"))
        plan.solutions[grade_id] = name
        solution = _module_text(paths.SOLUTIONS_DIR / exercise.id / name)
        starter = _module_text(kit.stub_file(exercise.id, name, lang))
        source = f"%%writefile {name}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION"
        cells.append(new_code_cell(source, metadata={
            "nbgrader": _nbgrader(grade_id, solution=True),
            "grader": {"starter": starter},
        }))

    listing = "\n".join(f"- {_check_line(c, lang)}" for c in checks)
    checks_heading = t("Checks").render(lang)
    checks_note = t("Each cell below is one hidden check; the autograder fills it in.").render(lang)
    cells.append(new_markdown_cell(
        f"## {checks_heading}\n\n{checks_note}\n\n" + listing,
        metadata={"nbgrader": _nbgrader("checks_intro", locked=True)}))

    call_args = (f"notebook={exercise.id + '.ipynb'!r}, solutions={plan.solutions!r}, seed={seed}, "
                 f"time_limit={time_limit!r}, device={device!r}" + (f", lang={lang!r}" if lang != "en" else ""))
    for check in checks:
        grade_id = cell_id("check", check.name)
        if grade_id in plan.checks:
            grade_id = f"{grade_id}_{len(plan.checks)}"
        plan.checks[grade_id] = check.name
        plan.points[grade_id] = check.points
        source = "\n".join([
            f"# Hidden check: {check.doc} ({check.points:g} point{'s' if check.points != 1 else ''}).",
            "### BEGIN HIDDEN TESTS",
            "from grader.course.build.incell import expect_check",
            f"expect_check({exercise.id!r}, {check.name!r}, {call_args})",
            "### END HIDDEN TESTS",
        ])
        cells.append(new_code_cell(source, metadata={
            "nbgrader": _nbgrader(grade_id, grade=True, locked=True, points=check.points)}))

    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["grader"] = plan.to_metadata()
    return nb


# -- reading code back out of a (submitted, untrusted) notebook ------------------------
class UnreadableNotebook(ValueError):
    """The submission is not a notebook nbformat can read."""


def read_notebook(data: bytes) -> nbformat.NotebookNode:
    """A submitted notebook, reduced to what grading relies on.

    Every cell is a dict with a ``cell_type``, a string ``source`` and a dict
    ``metadata``; nbgrader metadata is brought up to date as ``nbgrader update``
    would, and metadata that is not a dict, has a grade_id that is not a string,
    or that nbgrader's own validator rejects is dropped (so such a cell counts as
    an ordinary one, and nbgrader's pipeline can read the notebook).
    """
    from nbgrader.nbgraderformat import MetadataValidator

    validator = MetadataValidator()
    validator.log = NBGRADER_LOG
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat's warnings about ids and schema: not the grader's concern
            nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        cells = nb.get("cells")
        if not isinstance(cells, list):
            raise TypeError("its cells are not a list")
        kept = []
        for cell in cells:
            if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
                continue
            source = cell.get("source", "")
            cell["source"] = "".join(source) if isinstance(source, list) else str(source)
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = nbformat.NotebookNode()
            meta = cell["metadata"].get("nbgrader")
            if meta is not None and not _valid_nbgrader_metadata(cell, validator):
                cell["metadata"].pop("nbgrader", None)
            kept.append(cell)
        nb["cells"] = kept
        return nb
    except Exception as exc:  # noqa: BLE001  (any malformed submission is data)
        raise UnreadableNotebook(f"the notebook could not be read: {type(exc).__name__}: "
                                 f"{(str(exc).splitlines() or [''])[0][:200]}") from None


def _valid_nbgrader_metadata(cell, validator) -> bool:
    if not isinstance(cell["metadata"]["nbgrader"], dict) or not isinstance(
            cell["metadata"]["nbgrader"].get("grade_id"), str):
        return False
    try:
        validator.upgrade_cell_metadata(cell)
        validator.validate_cell(cell)
    except Exception:  # noqa: BLE001  (whatever nbgrader rejects, the grader does not trust)
        return False
    return True


def module_source(cell_source: str) -> str:
    """A solution cell's text as the module ``%%writefile`` would save.

    The ``%%writefile`` line is dropped; a cell without it is taken as it is.
    """
    lines = cell_source.split("\n")
    if lines and WRITEFILE.match(lines[0]):
        lines = lines[1:]
    text = "\n".join(lines)
    return text if text.endswith("\n") else text + "\n"


def extract_solutions(nb: nbformat.NotebookNode, plan: GradingPlan) -> dict[str, str | None]:
    """{file name: module source or None when its cell is missing}, matched by grade_id.

    The cell read is the one nbgrader grades: a cell flagged as a solution and,
    of several with one grade_id, the one nbgrader's own ``DeduplicateIds``
    keeps (the last). A cell carrying a grade_id without nbgrader's flags is an
    ordinary cell, to nbgrader and here.
    """
    from nbgrader.preprocessors import DeduplicateIds
    from nbgrader.utils import is_solution

    deduplicated, _ = DeduplicateIds(log=NBGRADER_LOG).preprocess(copy.deepcopy(nb), {})
    found: dict[str, str | None] = {name: None for name in plan.solutions.values()}
    for cell in deduplicated.cells:
        name = plan.solutions.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if name and is_solution(cell):
            found[name] = module_source(cell.source)
    return found


def assignment_plans(coursedir, assignment: str, registry: Registry) -> dict[str, GradingPlan]:
    """{notebook name: GradingPlan} from the instructor's source notebooks of ``assignment``."""
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    found = {}
    for path in sorted(source.glob("*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get("grader")
        if meta:
            plan = GradingPlan.from_metadata(meta)
            try:
                registry.get(plan.exercise)  # an exercise the kit does not know is an error, not a 0
            except LookupError as exc:
                raise CourseError(f"the course names an exercise this kit lacks: {exc.args[0]}") from None
            found[path.stem] = plan
    if not found:
        raise CourseError(f"no notebook in {source} was made by `grader course build` "
                          f"(none has grader metadata)")
    return found
