"""Grading a class's submissions (``grader batch``) in the sandbox, into nbgrader's gradebook or a CSV.

  ``grade_class``          the batch's two modes (an nbgrader course, plain .py files), step by step
  ``notebook_submissions`` an nbgrader course's submitted notebooks, as submissions to grade
  ``file_submissions``     plain ``.py`` submissions, as submissions to grade
  ``grading``              grading many submissions, resumably, and recording each
  ``pool``                 the pool of trusted grader processes that grade one submission each
  ``cluster``              the same gradings as tasks of a Dask cluster (``--scheduler``)
  ``cluster_worker``       what runs on a Dask worker: its sandboxed zygote, the grading task
  ``autograde``            nbgrader's autograde preprocessors, the sandbox's verdicts in place of execution
  ``feedback``             per-student Markdown feedback
  ``grades_csv``           the plain mode's grades as a CSV
  ``console_table``        the table and totals the command prints
"""
