"""The one nbgrader extension the course uses: released notebooks start from the stub.

Stock nbgrader replaces every ``### BEGIN SOLUTION`` region with one fixed
snippet (``# YOUR CODE HERE / raise NotImplementedError()``). The kit's
exercises are "fix this code" exercises, so the released cell must show the
exercise's stub instead. :class:`ClearSolutionsWithStarter` does that for cells
whose metadata carries ``grader.starter`` and behaves exactly like nbgrader's
``ClearSolutions`` otherwise. The course's ``nbgrader_config.py`` swaps it in;
without the kit installed, nbgrader's default snippet is used and nothing else changes.
"""

from __future__ import annotations

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions


class ClearSolutionsWithStarter(ClearSolutions):
    """``ClearSolutions``, with a per-cell replacement taken from ``metadata.grader.starter``."""

    def _replace_solution_region(self, cell, language):
        starter = cell.metadata.get("grader", {}).get("starter")
        if starter is None or cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        default = self.code_stub
        self.code_stub = {**default, language: starter}
        try:
            replaced = super()._replace_solution_region(cell, language)
        finally:
            self.code_stub = default
        cell.metadata.pop("grader", None)  # the released notebook needs no trace of it
        return replaced


def generate_assignment_preprocessors() -> list:
    """nbgrader's own ``GenerateAssignment`` pipeline with ``ClearSolutions`` swapped."""
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    return [ClearSolutionsWithStarter if p is ClearSolutions else p for p in default]
