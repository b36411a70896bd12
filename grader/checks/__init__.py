"""Hidden checks, one pytest module per exercise; run only by grader.runner."""
