"""Where courses built before the layout of 0.2 find the kit's nbgrader preprocessor.

Their ``nbgrader_config.py`` imports ``generate_assignment_preprocessors`` from here; new
courses import :mod:`grader.course.build.nbgrader_ext` directly.
"""

from grader.course.build.nbgrader_ext import ClearSolutionsWithStarter, generate_assignment_preprocessors  # noqa: F401
