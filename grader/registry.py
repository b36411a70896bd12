"""The exercise registry: ``exercises/exercises.toml`` read into plain records.

Every command asks this module which exercises exist; nothing else lists them.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader import paths
from grader.i18n import t

DEFAULT_TIME_LIMIT = 10.0  # CPU seconds per call: the floor of every exercise's limit
DEFAULT_MEMORY_LIMIT_MB = 4096
_ID = re.compile(r"^exercise-(\d{2})$")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry and key."""


class UnknownExercise(LookupError):
    """A command named an exercise the registry does not declare."""


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    files: tuple[str, ...]
    points: int
    docs: str
    hints: tuple[str, ...]
    time_limit: float = DEFAULT_TIME_LIMIT
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB
    order: int = 0
    title_zh: str | None = None  # Chinese title and hints; absent ones fall back to English
    hints_zh: tuple[str, ...] | None = None

    def title_in(self, lang: str) -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def hints_in(self, lang: str) -> tuple[str, ...]:
        return self.hints_zh if lang == "zh" and self.hints_zh else self.hints

    @property
    def number(self) -> int:
        return int(_ID.match(self.id).group(1))

    @property
    def checks_module(self) -> str:
        """Name of the hidden-check module in ``grader/checks``."""
        return self.id.replace("-", "_")

    @property
    def module_names(self) -> tuple[str, ...]:
        return tuple(Path(f).stem for f in self.files)


class Registry:
    def __init__(self, exercises: list[Exercise]):
        self.exercises = exercises
        self._by_id = {e.id: e for e in exercises}

    def __iter__(self):
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, name: str) -> Exercise:
        """Look up by id; ``4``, ``04`` and ``exercise-4`` are accepted too."""
        key = _normalise(name)
        if key in self._by_id:
            return self._by_id[key]
        close = difflib.get_close_matches(name, list(self._by_id), n=1)
        if close:
            raise UnknownExercise(t("unknown exercise {name!r}; did you mean {close}?", name=name, close=close[0]))
        raise UnknownExercise(t("unknown exercise {name!r}; `grader list` shows them all", name=name))

    def after(self, exercise: Exercise) -> Exercise | None:
        i = self.exercises.index(exercise)
        return self.exercises[i + 1] if i + 1 < len(self.exercises) else None


def _normalise(name: str) -> str:
    m = re.fullmatch(r"(?:exercise-?)?0*(\d{1,2})", name.strip().lower())
    return f"exercise-{int(m.group(1)):02d}" if m else name


def load_registry(path: Path | None = None) -> Registry:
    path = path or paths.REGISTRY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"cannot read the registry {path}: {exc}") from None
    entries = data.get("exercise", [])
    exercises = [_parse(entry, order) for order, entry in enumerate(entries, start=1)]
    seen: set[str] = set()
    for ex in exercises:
        if ex.id in seen:
            raise RegistryError(f"{path}: exercise {ex.id} is declared twice")
        seen.add(ex.id)
    return Registry(exercises)


def _parse(entry: dict, order: int) -> Exercise:
    where = f"exercise #{order} ({entry.get('id', 'no id')})"
    required = {"id": str, "title": str, "files": list, "points": int, "docs": str, "hints": list}
    for key, kind in required.items():
        if not isinstance(entry.get(key), kind):
            raise RegistryError(f"{where}: '{key}' must be a {kind.__name__}")
    if not _ID.match(entry["id"]):
        raise RegistryError(f"{where}: id must look like exercise-NN")
    optional = {"time_limit", "memory_limit", "title_zh", "hints_zh"}
    unknown = set(entry) - set(required) - optional
    if unknown:
        raise RegistryError(f"{where}: unknown keys {sorted(unknown)}")
    if len(entry["hints"]) < 2:
        raise RegistryError(f"{where}: give at least two progressive hints")
    if "title_zh" in entry and not isinstance(entry["title_zh"], str):
        raise RegistryError(f"{where}: 'title_zh' must be a str")
    hints_zh = entry.get("hints_zh")
    if hints_zh is not None:
        if not isinstance(hints_zh, list) or not all(isinstance(h, str) for h in hints_zh):
            raise RegistryError(f"{where}: 'hints_zh' must be a list of str")
        if len(hints_zh) != len(entry["hints"]):
            raise RegistryError(f"{where}: 'hints_zh' has {len(hints_zh)} hints but 'hints' has "
                                f"{len(entry['hints'])}; translate each hint once, in order")
    return Exercise(
        id=entry["id"],
        title=entry["title"],
        files=tuple(entry["files"]),
        points=entry["points"],
        docs=entry["docs"],
        hints=tuple(entry["hints"]),
        time_limit=float(entry.get("time_limit", DEFAULT_TIME_LIMIT)),
        memory_limit_mb=int(entry.get("memory_limit", DEFAULT_MEMORY_LIMIT_MB)),
        order=order,
        title_zh=entry.get("title_zh"),
        hints_zh=tuple(hints_zh) if hints_zh is not None else None,
    )


CHINESE_STUB_SUFFIX = ".zh.py"


def chinese_stub_name(name: str) -> str:
    """``net.py`` -> ``net.zh.py``: the stub's Chinese edition, beside it in exercises/ (the same code,
    Chinese docstrings and comments; tests/test_chinese_stubs.py). Solutions have none."""
    return name.removesuffix(".py") + CHINESE_STUB_SUFFIX
