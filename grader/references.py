"""Import reference solutions into the trusted process, which alone may see them."""

from __future__ import annotations

import functools
import importlib.util
import types

from grader import paths


@functools.cache
def load_reference(exercise_id: str, module: str) -> types.ModuleType:
    path = paths.SOLUTIONS_DIR / exercise_id / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"reference_{exercise_id.replace('-', '_')}_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def reference_namespace(exercise_id: str, modules) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{m: load_reference(exercise_id, m) for m in modules})
