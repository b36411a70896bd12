"""The kit's optional parts (pyproject.toml's extras), and the one line that says one is missing.

A learner's install (``pip install pytorch-quiz-kit``) has what ``init``, ``list``, ``check``,
``hint``, ``watch``, ``reset``, the grader server and the Jupyter magics need. The instructor's
commands need the ``instructor`` extra, ``grader batch --scheduler`` the ``cluster`` one. A
command that needs a missing extra says so in one line and exits 2, never with a traceback.
"""

from __future__ import annotations

import importlib.util

from grader import kit
from grader.i18n import t

# The modules each extra brings, as the kit imports them.
EXTRAS: dict[str, tuple[str, ...]] = {
    "instructor": ("nbgrader", "nbformat", "jinja2", "matplotlib"),
    "cluster": ("distributed", "dask"),
    "docs": ("mkdocs", "material", "jupytext"),
}
# Modules that only come with an extra's packages (their own dependencies included).
_BROUGHT_BY = {
    **{module: extra for extra, modules in EXTRAS.items() for module in modules},
    "traitlets": "instructor", "sqlalchemy": "instructor", "alembic": "instructor", "nbconvert": "instructor",
    "nbclient": "instructor", "jupyter_client": "instructor", "markupsafe": "instructor",
}


def install_command(extra: str) -> str:
    return f"pip install '{kit.DISTRIBUTION}[{extra}]'"


def needs(extra: str, command: str) -> str:
    return t("{command} needs the {extra} extra: {install}", command=command, extra=extra,
             install=install_command(extra))


def missing(extra: str) -> list[str]:
    """The extra's modules that cannot be imported here."""
    return [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]


def require(extra: str, command: str) -> str | None:
    """None if ``extra`` is installed, else the one line to show before exiting with status 2."""
    return needs(extra, command) if missing(extra) else None


def extra_for(error: ModuleNotFoundError) -> str | None:
    """The extra that would have brought the module an import could not find, if any."""
    top = (error.name or "").split(".")[0]
    return _BROUGHT_BY.get(top)
