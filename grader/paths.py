"""Where the kit's parts live: read from :mod:`grader.kit`, which knows whether the kit is an
installed wheel (everything inside the package) or a checkout (exercises/ and solutions/ at the
repository's top level, beside the package).
"""

from pathlib import Path

from grader import kit

PACKAGE_DIR = kit.PACKAGE_DIR
# The folder holding exercises/ and solutions/: the repository in a checkout, grader/_kit when installed.
KIT_ROOT = kit.DATA_ROOT
EXERCISES_DIR = kit.EXERCISES_DIR
SOLUTIONS_DIR = kit.SOLUTIONS_DIR
# The site's sources: only a checkout has them (maintainer commands; nothing a learner runs needs them).
DOCS_DIR = (kit.CHECKOUT_ROOT or Path("/nonexistent")) / "docs"
REGISTRY_FILE = kit.REGISTRY_FILE
CHECKS_DIR = PACKAGE_DIR / "checks"
# The only kit code mounted into the sandbox (see grader/sandbox/__init__.py).
SANDBOX_INSIDE_DIR = PACKAGE_DIR / "sandbox" / "inside"
