"""The class report (``grader report``): what a graded class did, for its instructor.

It reads what the batch left (nbgrader's gradebook, the records in ``.grader-batch/``)
through the course core, never through the batch's own modules.

  ``write_report`` the command's steps, in order
  ``data``         the gradebook's scores joined with the batch's records of each grading
  ``review_flags`` why a graded submission deserves a human look
  ``failure_text`` a check's message with numbers and shapes taken out (one cause, one text)
  ``stats``        the numbers: distributions, failing checks, flags, students
  ``plots``        its matplotlib figures
  ``page``         its self-contained HTML folder (``report_page.html``)
  ``export``       its JSON and CSV
"""
