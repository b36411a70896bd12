"""The file that makes a folder a learner's workspace: ``.grader-workspace.toml``.

``grader init`` writes it at the workspace's root; every learner command finds the workspace
by walking up from the current folder to the first folder that holds one (as git finds
``.git``), so ``grader check exercise-04`` works from the workspace or any folder inside it.
It records the kit's version that wrote the stubs and the workspace's language, which is the
language of its stubs and the default language of the commands run inside it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.language import LANGUAGES

MARKER = ".grader-workspace.toml"


@dataclass(frozen=True)
class Marker:
    root: Path
    lang: str  # "en" or "zh"
    kit_version: str


def find(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the current folder) that holds the marker."""
    try:
        here = Path(start or Path.cwd()).resolve()
    except OSError:  # the current folder was removed
        return None
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def read(root: Path) -> Marker | None:
    """The marker of the workspace at ``root``; None if it has none. A damaged marker still marks the
    workspace (its root is what matters); its fields fall back to English and an unknown version."""
    path = Path(root) / MARKER
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")).get("workspace", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    lang = data.get("lang") if data.get("lang") in LANGUAGES else "en"
    return Marker(Path(root), lang, str(data.get("kit_version", "unknown")))


def text(*, lang: str, kit_version: str) -> str:
    return (
        "# Written by `grader init`: this folder is a grader workspace. The grader finds it from here\n"
        "# and every folder inside; `lang` is the language of its stubs and of the grader's messages.\n"
        "[workspace]\n"
        f'lang = "{lang}"\n'
        f'kit_version = "{kit_version}"\n'
    )
