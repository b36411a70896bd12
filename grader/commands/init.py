"""``grader init [DIR] [--lang en|zh]``: a learner's workspace, written from the installed kit.

DIR (default ``./pytorch-exercises``) gets every exercise's stub, in the chosen language
(``net.zh.py`` is written as ``net.py`` for Chinese; an exercise without a Chinese stub
keeps its English one), a README with the next commands, the marker that the other commands
find the workspace by (:mod:`grader.marker`) and an empty progress file.

Nothing is ever overwritten: an existing workspace, a non-empty folder or a file in the way
is a one-line error (exit 2) and nothing is written. The workspace is assembled in a hidden
folder beside DIR and renamed into place in one step, so a failure half-way leaves nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from rich.text import Text

from grader import kit, language, marker, messages
from grader.commands import common
from grader.i18n import reason, t
from grader.progress import Progress
from grader.registry import Registry
from grader.views import terminal

DEFAULT_DIR = "pytorch-exercises"


@common.usage_errors
def main(*, directory: Path | None = None, lang: str | None = None) -> int:
    try:  # the locale's language, not that of a workspace the learner happens to stand in
        lang = common.speaking(language.resolve(lang))
    except language.LanguageError as exc:
        raise common.UsageError(reason(exc)) from None
    target = Path(directory or DEFAULT_DIR).expanduser().absolute()
    refusal = _refusal(target)
    if refusal:
        raise common.UsageError(refusal)
    reg = common.registry()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise common.UsageError(t("cannot write in {folder}: {error}", folder=str(target.parent),
                                  error=exc.strerror or str(exc))) from None
    try:
        _write(staging, reg, lang)
        os.rename(staging, target)  # replaces an empty folder; refused (OSError) if one appeared meanwhile
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise common.UsageError(t("cannot write the workspace into {folder}: {error}", folder=str(target),
                                  error=exc.strerror or str(exc))) from None
    out = terminal.console()
    out.print(Text(messages.text("init.done", lang, count=len(reg), root=str(target)), style="bold green"))
    out.print(messages.text("init.next", lang, root=_shown(target)))
    return 0


def _refusal(target: Path) -> str | None:
    """Why ``target`` may not become a workspace, or None."""
    if (target / marker.MARKER).is_file():
        found = marker.read(target)
        return t("{folder} is already a grader workspace (kit {version}, {lang}); "
                 "nothing was changed (use `grader reset EXERCISE` to restore one exercise)",
                 folder=str(target), version=found.kit_version, lang=found.lang)
    if target.exists() and not target.is_dir():
        return t("{folder} exists and is not a folder; nothing was written", folder=str(target))
    if target.is_dir():
        try:
            if any(target.iterdir()):
                return t("{folder} is not empty; choose a new or empty folder (nothing was written)",
                         folder=str(target))
        except OSError as exc:
            return t("cannot read {folder}: {error}", folder=str(target), error=exc.strerror or str(exc))
    return None


def _write(root: Path, reg: Registry, lang: str) -> None:
    lines = []
    for ex in reg:
        folder = root / ex.id
        folder.mkdir()
        for name in ex.files:
            stub = kit.stub_file(ex.id, name, lang)
            (folder / name).write_text(stub.read_text(encoding="utf-8"), encoding="utf-8")
        lines.append(messages.text("init.exercise", lang, id=ex.id, title=ex.title_in(lang), files=", ".join(ex.files)))
    version = kit.version()
    (root / "README.md").write_text(
        messages.text("init.readme", lang, version=version, exercises="\n".join(lines)), encoding="utf-8")
    (root / marker.MARKER).write_text(marker.text(lang=lang, kit_version=version), encoding="utf-8")
    Progress(root / ".grader-progress.json").save()
    os.chmod(root, 0o777 & ~_umask())  # mkdtemp made it 0700; a workspace is an ordinary folder


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _shown(target: Path) -> str:
    """The folder as the learner would type it: relative to the current folder when inside it."""
    try:
        return str(target.relative_to(Path.cwd()))
    except ValueError:
        return str(target)
