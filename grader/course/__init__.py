"""The kit inside an nbgrader course: notebooks, batch grading, gradebook, feedback.

``grader course build`` derives an nbgrader course (``source/<assignment>/<exercise>.ipynb``)
from the registry, stubs, solutions and hidden checks; ``grader batch`` grades the
submitted notebooks (or plain ``.py`` files) with the kit's sandboxed engine and
records the scores in nbgrader's own gradebook, through nbgrader's own pipeline.

Modules:
  ``catalog``              the hidden checks of an exercise (names, points), found by pytest collection
  ``notebooks``            building the source notebooks, reading code back out of submitted ones
  ``build``                writing the course directory
  ``nbgrader_ext``         the one nbgrader preprocessor the course adds (starter code in released notebooks)
  ``incell``               what a test cell calls when nbgrader executes the notebook
  ``engine``               grading one submission in a pool of trusted grader processes
  ``grading``              grading many submissions, resumably, in that pool
  ``cluster``              the same gradings as tasks of a Dask cluster (``grader batch --scheduler``)
  ``cluster_worker``       what runs on a Dask worker: its sandboxed zygote, the grading task
  ``store``                the resumable record of what was graded (one small JSON file per submission)
  ``notebook_submissions`` an nbgrader course's submitted notebooks, as submissions to grade
  ``file_submissions``     plain ``.py`` submissions, as submissions to grade
  ``gradebook``            nbgrader's course folder and gradebook, through nbgrader's API
  ``autograde``            nbgrader's autograde preprocessors, the sandbox's verdicts in place of execution
  ``feedback``             per-student Markdown feedback
  ``grades_csv``           the plain mode's grades as a CSV
  ``summary``              the table and totals ``grader batch`` prints
  ``batch``                the batch grader's two modes, step by step
  ``class_data``           what ``grader report`` reads: gradebook scores joined with the batch's records
  ``failure_text``         a check's message with numbers and shapes taken out (one cause, one text)
  ``review_flags``         why a graded submission deserves a human look
  ``class_stats``          the report's numbers: distributions, failing checks, flags, students
  ``report_plots``         its matplotlib figures
  ``report_html``          its self-contained HTML folder (``report_page.html``)
  ``report_export``        its JSON and CSV
  ``class_report``         ``grader report``'s steps, in order
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
