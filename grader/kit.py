"""Where the kit's parts are: inside the installed package, or in a checkout.

The repository keeps ``exercises/`` (the registry and every stub) and ``solutions/`` at its
top level, as the one source. The wheel carries them inside the package, as
``grader/_kit/exercises`` and ``grader/_kit/solutions`` (pyproject.toml maps them), so an
installed kit finds everything through :mod:`importlib.resources`, wherever pip put it.

Two modes, decided once at import:

``installed``  ``grader/_kit/`` exists in the package: a wheel (``pip install pytorch-quiz-kit``).
``checkout``   no ``_kit`` folder: the package is a repository's ``grader/`` (``pip install -e .``,
               or ``PYTHONPATH``); the repository's own ``exercises/`` and ``solutions/`` are the kit.

Chinese stubs sit beside the English ones as ``<module>.zh.py`` (as the site's ``page.zh.md``
beside ``page.md``); :func:`stub_file` picks one for a language and falls back to English.
"""

from __future__ import annotations

import tomllib
from importlib import metadata, resources
from pathlib import Path

DISTRIBUTION = "pytorch-quiz-kit"
BUNDLE = "_kit"  # the package's folder that holds exercises/ and solutions/ in a wheel

PACKAGE_DIR = Path(str(resources.files("grader"))).resolve()


def _bundled() -> Path | None:
    folder = PACKAGE_DIR / BUNDLE
    return folder if (folder / "exercises").is_dir() else None


def _checkout_root() -> Path:
    """The repository whose ``grader/`` this package is (only meaningful in a checkout)."""
    return PACKAGE_DIR.parent


MODE = "installed" if _bundled() else "checkout"
INSTALLED = MODE == "installed"
# The folder that holds exercises/ and solutions/.
DATA_ROOT = _bundled() or _checkout_root()
EXERCISES_DIR = DATA_ROOT / "exercises"
SOLUTIONS_DIR = DATA_ROOT / "solutions"
REGISTRY_FILE = EXERCISES_DIR / "exercises.toml"
# A checkout's repository (docs/, .git); None when installed: a wheel has neither.
CHECKOUT_ROOT = None if INSTALLED else _checkout_root()


def version() -> str:
    """The kit's version, written in one place: pyproject.toml's ``[project] version``.

    Installed, it is read back from the distribution's metadata (:mod:`importlib.metadata`). In a
    checkout, from pyproject.toml itself: an editable install's metadata keeps the version it was
    installed with until the next ``pip install -e .``."""
    if CHECKOUT_ROOT is not None:
        try:
            return tomllib.loads((CHECKOUT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
            pass
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def stub_file(exercise_id: str, name: str, lang: str = "en") -> Path:
    """The kit's stub of ``name`` for ``lang``: ``net.zh.py`` for Chinese where it exists, else ``net.py``."""
    english = EXERCISES_DIR / exercise_id / name
    if lang != "en":
        translated = english.with_name(f"{english.stem}.{lang}{english.suffix}")
        if translated.is_file():
            return translated
    return english


def describe() -> str:
    """One line for ``grader --version`` and ``grader server status``: the version and where the kit is."""
    where = f"installed at {PACKAGE_DIR}" if INSTALLED else f"checkout at {CHECKOUT_ROOT}"
    return f"pytorch-quiz-kit {version()} ({where})"
