"""What the learner's code can do wrong, as the trusted side reports it."""

from __future__ import annotations


class LearnerError(Exception):
    """The learner's code failed; ``str()`` is the one-line reason."""


class LearnerRaised(LearnerError):
    """A probe raised: ``error`` is ``"Type: message"``, ``where`` the learner's file and line."""

    def __init__(self, error: str, where: str = "", exc_type: str = ""):
        super().__init__(f"{error} [{where}]" if where else error)
        self.error, self.where, self.exc_type = error, where, exc_type


class LearnerTimeout(LearnerError):
    pass


class LearnerCrashed(LearnerError):
    pass


class LearnerImportFailed(LearnerError):
    pass
