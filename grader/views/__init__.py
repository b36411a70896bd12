"""How a learner sees a grading report: one view model, rendered for the terminal and for notebooks.

  ``model``     what a report says, in the learner's language: headings, rows, score line, hint
  ``terminal``  that, coloured for the terminal (rich); also ``grader list``'s table and one-line errors
  ``notebook``  that, as HTML with a plain-text form (``%grader check``)
"""
