"""The one step that takes points back, once every check has run.

A check's own verdict is reached in the check; what no single check can see is
settled here, for every path alike (``grader check``, the server, the batch):

* **no points for a module that cannot be imported**, even from checks that only read its
  source: they name the import failure instead;
* **no points for no work**: a check that rewards the *absence* of a fault (a ban, a
  parameter budget, inputs left unmodified) names with ``@pytest.mark.requires`` the checks
  proving that the behaviour it guards exists; it keeps its points only if those passed
  on every device, so an untouched stub cannot collect them.

The import rule comes first, so that each check then names the import failure.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.i18n import join_and, t
from grader.report import CheckResult


def settle(results: list[CheckResult], requirements: dict[str, list[str]],
           import_failure: Callable[[], str | None]) -> None:
    """Apply both rules to ``results`` in place; ``import_failure()`` is asked only if some check passed."""
    zero_if_unimportable(results, import_failure)
    take_back_unearned(results, requirements)


def zero_if_unimportable(results: list[CheckResult], import_failure: Callable[[], str | None]) -> None:
    if not any(check.passed for check in results):
        return
    failure = import_failure()
    if failure:
        for check in results:
            if check.passed:
                check.passed, check.points, check.status = False, 0.0, "failed"
                check.message = t("your code: {error}", error=failure)


def take_back_unearned(results: list[CheckResult], requirements: dict[str, list[str]]) -> None:
    """Take the points back from checks whose required checks did not all pass (until nothing changes:
    a requirement may itself be unmet)."""
    by_name = {check.name: check for check in results}

    def passed_everywhere(name: str) -> bool:
        runs = [check for check in results if check.name.split("[")[0] == name]
        return bool(runs) and all(check.passed for check in runs)

    changed = True
    while changed:
        changed = False
        for name, needed in requirements.items():
            result = by_name.get(name)
            unmet = [n for n in needed if not passed_everywhere(n)]
            if result and result.passed and unmet:
                result.passed, result.points, result.status = False, 0.0, "failed"
                result.message = (
                    t("not scored until {check} passes: avoiding a mistake earns points only in code "
                      "that works", check=unmet[0]) if len(unmet) == 1 else
                    t("not scored until {checks} pass: avoiding a mistake earns points only in code "
                      "that works", checks=join_and(unmet)))
                changed = True
