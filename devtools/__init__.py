"""Maintainers' tooling: what ``grader dev check``, the site's hooks and the tests use to keep
the repository consistent. It reads the repository (docs/, exercises/), so it lives beside
the package, not in it: an installed kit has no use for it.

  ``fences``     the one reading of Markdown's fenced code blocks (here and in site_hooks/)
  ``editions``   the English and Chinese pages carry the same code, quizzes, figures and maths
  ``outputs``    the ``# ->`` output comments of the pages' code are what the code prints
  ``kit_files``  the kit's files agree with the registry
"""
