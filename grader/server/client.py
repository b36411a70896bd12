"""What ``grader check`` asks of the server: a report, or None, and then it grades locally.

Never worse than without a server: no server yet starts one in the background and this
check runs locally (so the first check is no slower); a server that is unreachable,
crashes, is killed mid-check or comes from an older kit costs one line on stderr, and the
check is graded locally with the same seed, so the report is the same.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from grader import paths
from grader.i18n import t
from grader.server import location, protocol
from grader.server.fingerprint import identity

REPLY_TIMEOUT_S = 900.0  # a grading behind others in the queue; past this, grade locally
START_TIMEOUT_S = 120.0


def disabled() -> bool:
    """``GRADER_NO_SERVER=1`` (the test suite sets it; so may CI or a learner)."""
    return os.environ.get("GRADER_NO_SERVER", "") not in ("", "0")


class Unavailable(Exception):
    """No server answered; ``str()`` says why, in one line. ``start_after``: start one once
    this check is done (not before: a server warming up beside the check would slow it down)."""

    def __init__(self, reason: str, *, start_after: bool = False):
        super().__init__(reason)
        self.start_after = start_after


def request(message: dict, *, timeout: float | None = REPLY_TIMEOUT_S) -> dict:
    """One request, one answer; Unavailable if there is no server or it stops answering."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        try:
            conn.connect(str(location.socket_path()))
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise Unavailable("not running") from exc
        protocol.send(conn, message)
        return protocol.receive(conn)
    except (OSError, protocol.ProtocolError) as exc:
        raise Unavailable(str(exc) or type(exc).__name__) from exc
    finally:
        conn.close()


def start_in_background(after_pid: int | None = None) -> int:
    """Start a server detached from this terminal; its pid. Its output goes to the log file.

    ``after_pid``: the server binds its socket at once but waits for that process (the check
    that starts it) to end before it imports torch, so as not to slow that check down."""
    location.ensure_private_dir()
    fd = os.open(location.log_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with open(fd, "ab") as log:
        after = ["--after", str(after_pid)] if after_pid else []
        # cwd: the folder from which `-m grader` is this very package (a checkout's root, or site-packages)
        process = subprocess.Popen([sys.executable, "-m", "grader.server.daemon", *after],
                                   cwd=paths.PACKAGE_DIR.parent, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True)
    return process.pid


def wait_until_serving(timeout: float = START_TIMEOUT_S) -> dict | None:
    """The server's status once it answers, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return request({"op": "status", "identity": identity()}, timeout=5)
        except Unavailable:
            time.sleep(0.1)
    return None


def grade(check: dict, *, say) -> dict:
    """The server's answer to a check request (``CheckRequest.to_wire()``): ``report``, or
    ``usage_error``; Unavailable otherwise.

    ``say(key, **values)`` shows the one line that tells the learner why this check runs locally.
    """
    message = {"op": "grade", "identity": identity(), "check": check}
    try:
        answer = request(message)
    except Unavailable as exc:
        if str(exc) != "not running":
            say("server.failed", reason=t("it stopped answering ({error})", error=str(exc)))
            raise Unavailable(str(exc), start_after=True) from exc
        say("server.starting")
        raise Unavailable("not running", start_after=True) from exc
    if answer.get("stale"):
        say("server.stale")
        raise Unavailable("stale", start_after=True)
    if "report" in answer or "usage_error" in answer:
        return answer
    say("server.failed", reason=answer.get("error", t("no report")))
    raise Unavailable(answer.get("error", "no report"))


def start_quietly(after_pid: int | None = None) -> None:
    """Start a server after a check; a failure to do so costs nothing but the next check's speed."""
    try:
        start_in_background(after_pid)
    except OSError:
        pass
