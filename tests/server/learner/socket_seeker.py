"""Prepended to a learner's net.py by tests/server: looks for the grader server's socket
from inside the sandbox, and tries to talk to it. The test puts the real path in SOCKET."""

import os
import socket

SOCKET = "__SOCKET__"


def _seek() -> None:
    found = []
    roots = ("/tmp", "/run", "/var/run", os.path.dirname(SOCKET), os.environ.get("XDG_RUNTIME_DIR", ""))
    for root in roots:
        if root and os.path.isdir(root):
            for folder, _, files in os.walk(root):
                found += [os.path.join(folder, f) for f in files if f.endswith(".sock")]
    try:
        with open("/proc/net/unix") as table:
            listed = SOCKET in table.read()
    except OSError:
        listed = False
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(SOCKET)
        outcome = "CONNECTED"
    except OSError as exc:
        outcome = f"failed ({type(exc).__name__})"
    print(f"SEEKER found={found} listed={listed} connect={outcome}")


_seek()
