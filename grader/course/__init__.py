"""The kit inside an nbgrader course: three jobs over a small shared core.

``grader course build`` derives an nbgrader course (``source/<assignment>/<exercise>.ipynb``)
from the registry, stubs, solutions and hidden checks; ``grader batch`` grades the
submitted notebooks (or plain ``.py`` files) with the kit's sandboxed engine and
records the scores in nbgrader's own gradebook, through nbgrader's own pipeline;
``grader report`` reads what the batch recorded and writes a class report.

The jobs, one sub-package each; none imports another's modules (build and batch meet
only in the notebooks' metadata, batch and report only in the gradebook and the store):
  ``build/``         writing the course, and what its notebooks call when nbgrader runs them
  ``batch/``         grading the submissions, in a pool of processes or on a Dask cluster
  ``class_report/``  the class report

The core every job uses:
  ``catalog``        the hidden checks of an exercise (names, points), found by pytest collection
  ``notebooks``      the course's notebooks: building them, reading code and grading plans back out
  ``gradebook``      nbgrader's course folder and gradebook, through nbgrader's API
  ``store``          the resumable record of what was graded (one small JSON file per submission)

``incell`` and ``nbgrader_ext`` here only forward to ``build/``: courses built before
the split import them by these names.
"""

import logging

# The logger handed to the nbgrader classes the kit runs: their warnings about a
# student's edits would garble the batch's progress bar, and in a notebook's
# kernel anything on stderr fails the cell.
NBGRADER_LOG = logging.getLogger("grader.course.nbgrader")
NBGRADER_LOG.addHandler(logging.NullHandler())
NBGRADER_LOG.propagate = False


class CourseError(ValueError):
    """The course folder, its gradebook or the submissions folder is not usable; the message says what to do."""
