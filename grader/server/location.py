"""Where the server's socket lives, and who may reach it.

``$GRADER_RUNTIME_DIR`` (tests use a private one), else ``$XDG_RUNTIME_DIR/grader``, else
``/tmp/grader-<uid>``. The folder is the owner's alone (0700, refused if someone else owns
it: a folder squatted in /tmp must not receive our socket), the socket is 0600, and the
server checks each caller's uid with SO_PEERCRED as well.
"""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import struct
import sys
from pathlib import Path

from grader import paths


class RuntimeDirError(OSError):
    """The runtime folder exists but is not safely ours."""


def runtime_dir() -> Path:
    explicit = os.environ.get("GRADER_RUNTIME_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg):
        return Path(xdg) / "grader"
    return Path(f"/tmp/grader-{os.getuid()}")


def ensure_private_dir() -> Path:
    """The runtime folder, created 0700; refused unless it is ours and no one else may enter it."""
    folder = runtime_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise RuntimeDirError(f"{folder} is not a folder of this user's")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, 0o700)
    return folder


def _name() -> str:
    """One server per kit and Python: the package's folder (a checkout's grader/, or the one pip installed
    in a venv's site-packages) and the interpreter; two kits never share (or thrash) one server."""
    key = f"{paths.PACKAGE_DIR}\0{sys.executable}".encode()
    return "server-" + hashlib.sha256(key).hexdigest()[:12]


def socket_path() -> Path:
    return runtime_dir() / f"{_name()}.sock"


def lock_path() -> Path:
    """Held (flock) by the running server for its whole life; holds its pid."""
    return runtime_dir() / f"{_name()}.lock"


def log_path() -> Path:
    return runtime_dir() / f"{_name()}.log"


def peer_uid(conn: socket.socket) -> int:
    """The uid of the process at the other end of a Unix socket (SO_PEERCRED: pid, uid, gid)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def is_owner(conn: socket.socket) -> bool:
    return peer_uid(conn) == os.getuid()
