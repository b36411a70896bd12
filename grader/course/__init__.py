"""The kit inside an nbgrader course: notebooks, gradebook, batch grading, feedback.

``grader course build`` derives an nbgrader course (``source/<assignment>/<exercise>.ipynb``)
from the registry, stubs, solutions and hidden checks; ``grader batch`` grades the
submitted notebooks (or plain ``.py`` files) with the kit's sandboxed engine and
records the scores in nbgrader's own gradebook, through nbgrader's API.

Modules:
  ``catalog``      the hidden checks of an exercise (names, points), found by pytest collection
  ``notebooks``    building the source notebooks, reading code back out of submitted ones
  ``build``        writing the course directory
  ``nbgrader_ext`` the one nbgrader preprocessor the course adds (starter code in released notebooks)
  ``incell``       what a test cell calls when nbgrader executes the notebook
  ``engine``       grading one submission in a pool of trusted grader processes
  ``store``        the resumable record of what was graded (one small JSON file per submission)
  ``gradebook``    writing scores into nbgrader's gradebook and autograded notebooks
  ``feedback``     per-student Markdown feedback
  ``batch``        the batch grader itself
"""
