"""One module per `grader` command, each with a keyword-only ``main(*, ...) -> int``."""
