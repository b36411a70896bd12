"""Which kit a server was started from: a server whose kit has changed never grades.

The kit's fingerprint hashes what a grading depends on: the package's code (the checks
included), the registry and the reference solutions. The environment that reaches the
sandbox or picks its level is part of a server's identity too, as is the Python running it.
Hashing ~100 small files costs a few milliseconds per check.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from grader import kit, paths

# Variables that change a grading: the isolation level, what the sandbox sees, the devices.
IDENTITY_ENV = ("GRADER_ISOLATION", "CUDA_VISIBLE_DEVICES", "LANG", "TZ")


def kit_files() -> list[Path]:
    package = paths.PACKAGE_DIR
    files = [p for p in package.rglob("*.py")
             if not {"__pycache__", kit.BUNDLE} & set(p.relative_to(package).parts)]
    files += [paths.CHECKS_DIR / "pytest.ini", paths.REGISTRY_FILE]
    # the solutions' code only: a check with --workspace solutions writes its progress file there
    files += [p for p in paths.SOLUTIONS_DIR.rglob("*.py") if "__pycache__" not in p.parts]
    return sorted(p for p in files if p.is_file())


def _label(path: Path) -> str:
    """The file's name within the kit, the same in a checkout and an installed wheel."""
    for root, name in ((paths.SOLUTIONS_DIR, "solutions"), (paths.REGISTRY_FILE.parent, "exercises"),
                       (paths.PACKAGE_DIR, "grader")):
        if path.is_relative_to(root):
            return f"{name}/{path.relative_to(root)}"
    return str(path)


def kit_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(kit_files(), key=_label):  # in the same order wherever the kit lies
        digest.update(_label(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def identity() -> dict:
    """What a client and its server must agree on before the server may grade."""
    return {"kit": kit_fingerprint(), "python": sys.executable,
            "env": {name: os.environ.get(name, "") for name in IDENTITY_ENV}}
