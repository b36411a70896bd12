"""The learner's exception as one line and a place: how every program in here reports failure."""

import errno
import os
import traceback

MAX_MESSAGE_CHARS = 400


def describe(exc: BaseException, learner_dir: str) -> tuple[str, str]:
    """One line for the exception, and where in the learner's files it arose ("file:line in f")."""
    if isinstance(exc, SystemExit):
        message = f"called exit({exc.code!r}); code under test must not exit the process"
    elif isinstance(exc, SyntaxError):
        message = f"SyntaxError: {exc.msg} ({os.path.basename(exc.filename or '?')}, line {exc.lineno})"
    elif isinstance(exc, MemoryError):
        message = "MemoryError: the sandbox's memory limit was reached"
    elif isinstance(exc, BlockingIOError) and exc.errno == errno.EAGAIN:
        message = ("BlockingIOError: no more processes: the sandbox's limit on processes and threads "
                   "was reached (a fork bomb?)")
    else:
        try:
            text = str(exc).strip().splitlines()
        except BaseException:  # noqa: BLE001  (an exception whose str() fails)
            text = []
        message = f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    where = ""
    folder = os.path.abspath(learner_dir) + os.sep
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        # a probe's pseudo-file ("<probe f>") is no file of the learner's, whatever the working folder
        if os.path.isabs(frame.filename) and frame.filename.startswith(folder):
            where = f"{os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}"
            break
    return message, where
