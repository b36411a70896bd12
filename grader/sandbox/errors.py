"""What the learner's code can do wrong, as the trusted side reports it."""

from __future__ import annotations

from grader.i18n import t
from grader.sandbox.sentences import location, recognised


class LearnerError(Exception):
    """The learner's code failed; ``str()`` is the one-line reason, ``message`` the same as a
    :class:`grader.i18n.Message` where it was made as one."""

    @property
    def message(self) -> str:
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


class LearnerRaised(LearnerError):
    """A probe raised: ``error`` is ``"Type: message"``, ``where`` the learner's file and line."""

    def __init__(self, error: str, where: str = "", exc_type: str = ""):
        error, where = recognised(error), location(where)  # the sandbox's own sentences become translatable
        super().__init__(t("{error} [{where}]", error=error, where=where) if where else error)
        self.error, self.where, self.exc_type = error, where, exc_type


class LearnerTimeout(LearnerError):
    pass


class LearnerCrashed(LearnerError):
    pass


class LearnerImportFailed(LearnerError):
    pass
