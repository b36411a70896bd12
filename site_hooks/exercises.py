"""MkDocs hook: the site's exercise material is derived from the registry, never copied.

* ``on_config`` appends one nav entry per registry exercise (registry order) to the
  "Exercises" section, so adding an exercise never means editing mkdocs.yml, and gives
  the i18n plugin each entry's Chinese title (``title_zh``) as a nav translation.
* ``on_files`` warns (``--strict``: fails) when a registry exercise has no page.
* ``on_page_markdown`` expands two markers:

  ``<!-- hints: exercise-NN -->``
      the exercise's progressive hints as collapsed ``??? tip "Hint k"`` admonitions;
      an unknown id stops the build with an error naming the page.
  ``<!-- exercise-table -->``
      a table of every exercise: id, title, points, modules to edit.

Hints are written once, in exercises/exercises.toml, and read here with
``grader.registry.load_registry``; the CLI's ``grader hint`` reads the same entries.

Chinese edition (mkdocs-static-i18n, ``page.zh.md`` beside ``page.md``): on a Chinese page
the hints come from the exercise's ``hints_zh`` with titles "提示 k（共 n 条）", and the
table is in Chinese with ``title_zh``. An exercise without those fields falls back to
English. A page is Chinese when its source is a ``.zh.md`` file (``page_language``).
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

KIT_ROOT = Path(__file__).resolve().parent.parent
if str(KIT_ROOT) not in sys.path:  # the hook runs without the kit being installed, too
    sys.path.insert(0, str(KIT_ROOT))

from devtools import fences  # noqa: E402
from grader.registry import Registry, RegistryError, UnknownExercise, load_registry  # noqa: E402

log = logging.getLogger("mkdocs.hooks.exercises")

HINTS_MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*hints:\s*(?P<id>\S+?)\s*-->[ \t]*$", re.MULTILINE)
TABLE_MARKER = re.compile(r"^[ \t]*<!--\s*exercise-table\s*-->[ \t]*$", re.MULTILINE)
EXERCISES_SECTION = "Exercises"
I18N_PLUGIN = "i18n"
ZH = "zh"
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]])")

_registry: Registry | None = None


def registry() -> Registry:
    """The registry, read once per build (``mkdocs serve`` rereads it on every rebuild)."""
    global _registry
    if _registry is None:
        try:
            _registry = load_registry()
        except RegistryError as exc:
            raise PluginError(f"exercises hook: {exc}") from None
    return _registry


def on_config(config):
    global _registry
    _registry = None  # serve: pick up registry edits on each rebuild
    nav = config.get("nav") or []
    for item in nav:
        if isinstance(item, dict) and EXERCISES_SECTION in item:
            section = item[EXERCISES_SECTION]
            listed = {_target(entry) for entry in section}
            for ex in registry():
                if ex.docs not in listed:
                    section.append({nav_title(ex): ex.docs})
            add_nav_translations(config)
            return config
    raise PluginError(f"exercises hook: mkdocs.yml's nav has no '{EXERCISES_SECTION}' section to fill")


def nav_title(ex, language: str = "en") -> str:
    return f"{ex.id[-2:]} · {title(ex, language)}"


def title(ex, language: str = "en") -> str:
    """The exercise's title in ``language``; English where no translation exists."""
    if language == ZH:
        return getattr(ex, "title_zh", None) or ex.title
    return ex.title


def hints(ex, language: str = "en") -> tuple[str, ...]:
    """The exercise's hints in ``language``; English where no translation exists."""
    if language == ZH:
        return tuple(getattr(ex, "hints_zh", None) or ()) or tuple(ex.hints)
    return tuple(ex.hints)


def page_language(page) -> str:
    """``zh`` for a page built from a ``.zh.md`` source, else ``en``.

    The i18n plugin records the source's language on the File (``file.locale``); an
    English page shown in the Chinese edition (no translation yet) stays English.
    """
    file = getattr(page, "file", None)
    locale = getattr(file, "locale", None)
    if isinstance(locale, str):
        return ZH if locale == ZH else "en"
    src = getattr(file, "src_uri", "") or ""
    return ZH if src.endswith(f".{ZH}.md") else "en"


def add_nav_translations(config) -> None:
    """Chinese nav titles for the appended exercise entries, for the i18n plugin."""
    plugins = config.get("plugins") or {}
    plugin = plugins.get(I18N_PLUGIN) if hasattr(plugins, "get") else None
    if plugin is None:
        return
    for language in plugin.config.languages:
        if language.locale != ZH:
            continue
        translations = dict(language.nav_translations or {})
        for ex in registry():
            translations.setdefault(nav_title(ex), nav_title(ex, ZH))
        language["nav_translations"] = translations


def _target(entry) -> str:
    if isinstance(entry, dict):
        return next(iter(entry.values()))
    return entry


def on_files(files, config):  # noqa: ARG001
    for ex in registry():
        if files.get_file_from_path(ex.docs) is None:
            log.warning(f"exercise {ex.id} ({ex.title}) has no page: docs/{ex.docs} is missing")
    return files


def escape_markdown(text: str) -> str:
    """Hints are plain text: keep ``64*7*7`` from turning into italics.

    Backtick spans are left alone so a hint may still quote code.
    """
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(part)
        else:
            out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(part, quote=False)))
    return "".join(out)


HINT_TITLE = {"en": "Hint {k} of {n}", ZH: "提示 {k}（共 {n} 条）"}


def hints_markdown(exercise_id: str, indent: str = "", language: str = "en") -> str:
    """Collapsed admonitions, one per hint, in the order `grader hint` reveals them."""
    ex = registry().get(exercise_id)
    texts = hints(ex, language)
    heading = HINT_TITLE[ZH if language == ZH and texts != tuple(ex.hints) else "en"]
    blocks = []
    for number, text in enumerate(texts, start=1):
        label = heading.format(k=number, n=len(texts))
        blocks.append(f'{indent}??? tip "{label}"\n\n{indent}    {escape_markdown(text)}\n')
    return "\n".join(blocks)


TABLE_HEADER = {"en": "| Exercise | Title | Points | You edit |", ZH: "| 练习 | 标题 | 分值 | 要修改的文件 |"}


def exercise_table(src_uri: str, language: str = "en") -> str:
    """Markdown table of every registry exercise, linked relative to the page at ``src_uri``.

    Links name the English source (``exercise-NN.md``); on a Chinese page the i18n plugin
    resolves them to the Chinese pages, as it does for every link.
    """
    rows = [TABLE_HEADER[ZH if language == ZH else "en"], "| --- | --- | ---: | --- |"]
    here = posixpath.dirname(src_uri)
    for ex in registry():
        page = posixpath.relpath(ex.docs, here or ".")
        files = ", ".join(f"`exercises/{ex.id}/{name}`" for name in ex.files)
        rows.append(f"| [{ex.id}]({page}) | {escape_markdown(title(ex, language))} | {ex.points} | {files} |")
    return "\n".join(rows) + "\n"


def outside_fences(markdown: str, transform) -> str:
    """Apply ``transform`` to the text outside fenced code blocks only.

    A page that *shows* a marker (the maintainer guide does) keeps it verbatim.
    """
    out, chunk, opener = [], [], None
    for line in markdown.splitlines(keepends=True):
        if opener is None and fences.opening(line):
            out.append(transform("".join(chunk)))
            chunk, opener = [line], fences.opening(line)
        elif opener is not None:
            chunk.append(line)
            if fences.closes(line, opener):
                out.append("".join(chunk))
                chunk, opener = [], None
        else:
            chunk.append(line)
    out.append("".join(chunk) if opener is not None else transform("".join(chunk)))
    return "".join(out)


def on_page_markdown(markdown, page, config, files):  # noqa: ARG001
    language = page_language(page)

    def expand_hints(match: re.Match) -> str:
        wanted = match.group("id")
        try:
            return hints_markdown(wanted, match.group("indent"), language)
        except UnknownExercise as exc:
            raise PluginError(f"{page.file.src_path}: <!-- hints: {wanted} --> names no exercise: {exc}") from None

    def expand(text: str) -> str:
        text = HINTS_MARKER.sub(expand_hints, text)
        return TABLE_MARKER.sub(lambda _m: exercise_table(page.file.src_uri, language), text)

    return outside_fences(markdown, expand)
