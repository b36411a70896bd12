"""Where the kit's parts live, found from this package's location.

The kit is used from a checkout (``pip install -e .``): exercises, solutions and
docs sit beside the package, and nothing is copied into site-packages.
"""

from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
EXERCISES_DIR = KIT_ROOT / "exercises"
SOLUTIONS_DIR = KIT_ROOT / "solutions"
DOCS_DIR = KIT_ROOT / "docs"
REGISTRY_FILE = EXERCISES_DIR / "exercises.toml"
CHECKS_DIR = Path(__file__).resolve().parent / "checks"
# The only kit code mounted into the sandbox (see grader/sandbox/__init__.py).
SANDBOX_INSIDE_DIR = Path(__file__).resolve().parent / "sandbox" / "inside"
