"""``grader server start|status|stop``: the per-user grader server (see :mod:`grader.server`).

``grader check`` starts one by itself when needed; these are for the curious and for scripts. They speak
the workspace's language (found from the current folder), else the locale's.
"""

from __future__ import annotations

import os
import signal
import time

from grader.commands import common
from grader.i18n import t
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
    out, lang = terminal.console(), common.language_or_english()
    if foreground:
        from grader.server import daemon

        return daemon.main([])
    running = status_of()
    if running and running["fresh"]:
        out.print(t("grader server already running (pid {pid}), socket {socket}", pid=running["pid"],
                    socket=str(location.socket_path())).render(lang))
        return 0
    if running:
        stop()  # from an older kit
    client.start_in_background()
    status = client.wait_until_serving()
    if status is None:
        terminal.error(t("the grader server did not start; see {log}", log=str(location.log_path())), lang)
        return 1
    out.print(t("grader server started (pid {pid}), socket {socket}", pid=status["pid"],
                socket=str(location.socket_path())).render(lang))
    return 0


def status() -> int:
    out, lang = terminal.console(), common.language_or_english()
    running = status_of()
    if running is None:
        out.print(t("no grader server running (socket {socket})", socket=str(location.socket_path())).render(lang))
        return 0
    exits = (t("exits after never") if running["idle_s"] == float("inf")
             else t("exits after {seconds:g} s idle", seconds=running["idle_s"]))
    now = t(" (one in progress)") if running.get("grading") else ""
    kit = t("this kit") if running["fresh"] else t("an older kit (it will exit at the next check)")
    out.print(t("grader server running: pid {pid}, up {up:.0f} s, {gradings} grading(s){now}, from {kit}, {exits}; "
                "socket {socket}, log {log}", pid=running["pid"], up=time.time() - running["started"],
                gradings=running["gradings"], now=now, kit=kit, exits=exits, socket=str(location.socket_path()),
                log=str(location.log_path())).render(lang))
    return 0


def stop() -> int:
    out, lang = terminal.console(), common.language_or_english()
    running = status_of()
    if running is None:
        out.print(t("no grader server running").render(lang))
        return 0
    try:
        client.request({"op": "stop"}, timeout=10)
    except client.Unavailable:
        pass
    if not _wait_gone(running["pid"], STOP_WAIT_S):  # it finishes gradings in flight first
        os.kill(running["pid"], signal.SIGKILL)
        _wait_gone(running["pid"], 5)
    out.print(t("grader server stopped (pid {pid})", pid=running["pid"]).render(lang))
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
