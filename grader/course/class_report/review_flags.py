"""Why a graded submission deserves a human look, read from what its grading recorded.

The sandbox reports what it stopped as one-line messages (grader/sandbox/channel.py,
grader/sandbox/inside/failures.py), and a warm path's zygote what a submission did to it or
left behind (the report's ``review`` lines, grader/sandbox/workers.py); a submitted notebook whose locked test cells
were edited, or whose own cells reach into the kit's grading code, is visible by
comparing it with the gradebook's copy of those cells. Each kind below is one
reason; a submission is flagged once per kind, with the first message found.
Nothing here changes a score: the verdicts were reached outside the sandbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# kind -> (label shown, patterns of the check or error messages that say so)
MESSAGE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "timeout": ("timed out", (r"timed out after",)),
    "crash": ("crashed", (r"the process running your code (was killed|exited)", r"grading process died",
                          r"no more processes", r"called exit\(")),
    "memory": ("memory limit", (r"MemoryError", r"memory limit")),
    "output": ("output flood", (r"the worker sent \d+ bytes",)),
    "tampering": ("tampering", (r"\(tampering\?\)", r"reply .* was rejected")),
    "reference": ("read the reference", (r"solutions/", r"grader/checks", r"No module named '?grader",
                                          r"checks/exercise_")),
}
OUTPUT_TRUNCATED = "[... output truncated:"
LABELS = {kind: label for kind, (label, _) in MESSAGE_KINDS.items()} | {
    "edited-tests": "edited test cells", "grader-code": "reached into the grader",
    "grader-process": "reached into the grader process"}
_COMPILED = {kind: [re.compile(p) for p in patterns] for kind, (_, patterns) in MESSAGE_KINDS.items()}


@dataclass(frozen=True)
class Flag:
    kind: str
    detail: str  # the first message that says so, or what was found
    check: str = ""  # the check whose message it was ("" for the whole submission)

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)


def kind_of(message: str) -> str | None:
    """The kind of sandbox stop a message reports, or None."""
    for kind, patterns in _COMPILED.items():
        if any(p.search(message) for p in patterns):
            return kind
    return None


def report_flags(report: dict) -> list[Flag]:
    """What the grading's JSON report says the sandbox stopped, one flag per kind."""
    found: dict[str, Flag] = {}
    messages = [("", report.get("error") or "")]
    messages += [(t.get("name", ""), t.get("message") or "") for t in report.get("tests", []) if not t.get("passed")]
    for check, message in messages:
        kind = kind_of(message) if message else None
        if kind and kind not in found:
            found[kind] = Flag(kind, message, check)
    if report.get("review"):  # what a warm path's zygote saw (grader.sandbox.workers)
        found["grader-process"] = Flag("grader-process", "; ".join(report["review"]))
    if OUTPUT_TRUNCATED in (report.get("output") or "") and "output" not in found:
        line = next(x for x in report["output"].splitlines() if OUTPUT_TRUNCATED in x)
        found["output"] = Flag("output", line.strip("[] "))
    return list(found.values())


# a line of the learner's code that replaces part of torch (e.g. ``torch.allclose = lambda *a: True``):
# inside the sandbox it fools nothing, but it is an attempt worth a look
_PATCHES_TORCH = re.compile(r"^\s*(?:torch|F|nn)(?:\.\w+)+\s*=(?!=)|setattr\(\s*(?:torch|F|nn)\b", re.MULTILINE)
# a cell (not a solution: that one runs only in the sandbox) that uses the kit's grading code
_USES_GRADER = re.compile(r"^\s*(?:from|import)\s+grader\b|\bexpect_check\b", re.MULTILINE)


def notebook_flags(submitted, released_tests: dict[str, str], grade_ids: set[str]) -> list[Flag]:
    """Flags of a submitted notebook: test cells whose source differs from the released one
    (``released_tests``: grade_id -> source), solution code that replaces part of torch, and
    other cells that use the kit's grading code."""
    edited, patches, reaching = [], [], []
    for cell in submitted.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id in grade_ids:
            if grade_id in released_tests and cell.source.strip() != released_tests[grade_id].strip():
                edited.append(grade_id)
        elif meta.get("solution"):
            patches += [m.group(0).strip() for m in _PATCHES_TORCH.finditer(cell.source)]
        elif cell.cell_type == "code":
            reaching += [_line_at(cell.source, m.start()) for m in _USES_GRADER.finditer(cell.source)]
    flags = []
    if patches:
        flags.append(Flag("tampering", f"the code replaces part of torch: {', '.join(patches[:3])}"))
    if edited:
        flags.append(Flag("edited-tests", f"{len(edited)} locked test cell(s) edited: {', '.join(edited[:3])}"
                                          + (" …" if len(edited) > 3 else "")))
    if reaching:
        flags.append(Flag("grader-code", f"a cell uses the kit's grading code: {reaching[0][:120]}"))
    return flags


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start: end if end >= 0 else len(text)].strip()
