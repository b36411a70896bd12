"""Writing an nbgrader course from the kit (``grader course build``), and what its notebooks call.

  ``course_folder``   the course directory: nbgrader_config.py and source/<assignment>/<exercise>.ipynb
  ``config_template`` the nbgrader_config.py it writes
  ``nbgrader_ext``    the one nbgrader preprocessor the course adds (starter code in released notebooks)
  ``incell``          what a test cell calls when nbgrader executes the notebook
"""
