"""``grader server start|status|stop``: the per-user grader server (see :mod:`grader.server`).

``grader check`` starts one by itself when needed; these are for the curious and for scripts.
"""

from __future__ import annotations

import os
import signal
import time

from grader.server import client, location
from grader.server.fingerprint import identity
from grader.views import terminal

STOP_WAIT_S = 30.0


def status_of() -> dict | None:
    try:
        return client.request({"op": "status", "identity": identity()}, timeout=10)
    except client.Unavailable:
        return None


def start(*, foreground: bool = False) -> int:
    out = terminal.console()
    if foreground:
        from grader.server import daemon

        return daemon.main([])
    running = status_of()
    if running and running["fresh"]:
        out.print(f"grader server already running (pid {running['pid']}), socket {location.socket_path()}")
        return 0
    if running:
        stop()  # from an older kit
    client.start_in_background()
    status = client.wait_until_serving()
    if status is None:
        terminal.error(f"the grader server did not start; see {location.log_path()}")
        return 1
    out.print(f"grader server started (pid {status['pid']}), socket {location.socket_path()}")
    return 0


def status() -> int:
    out = terminal.console()
    running = status_of()
    if running is None:
        out.print(f"no grader server running (socket {location.socket_path()})")
        return 0
    idle = "never" if running["idle_s"] == float("inf") else f"{running['idle_s']:g} s idle"
    now = " (one in progress)" if running.get("grading") else ""
    kit = "this kit" if running["fresh"] else "an older kit (it will exit at the next check)"
    out.print(f"grader server running: pid {running['pid']}, up {time.time() - running['started']:.0f} s, "
              f"{running['gradings']} grading(s){now}, from {kit}, exits after {idle}; "
              f"socket {location.socket_path()}, log {location.log_path()}")
    return 0


def stop() -> int:
    out = terminal.console()
    running = status_of()
    if running is None:
        out.print("no grader server running")
        return 0
    try:
        client.request({"op": "stop"}, timeout=10)
    except client.Unavailable:
        pass
    if not _wait_gone(running["pid"], STOP_WAIT_S):  # it finishes gradings in flight first
        os.kill(running["pid"], signal.SIGKILL)
        _wait_gone(running["pid"], 5)
    out.print(f"grader server stopped (pid {running['pid']})")
    return 0


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
