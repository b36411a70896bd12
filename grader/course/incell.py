"""Where courses built before the layout of 0.2 find their test cells' function.

Their notebooks say ``from grader.course.incell import expect_check``; new courses import
:mod:`grader.course.build.incell` directly. Rebuilding a course (``grader course build``)
makes this module unnecessary for it.
"""

from grader.course.build.incell import expect_check, report_for  # noqa: F401
