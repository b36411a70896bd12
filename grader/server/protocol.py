"""Messages between ``grader check`` and the server: a 4-byte length, then UTF-8 JSON.

JSON only (never pickle): a message is data, whoever sent it.
"""

from __future__ import annotations

import json
import socket
import struct

MAX_MESSAGE_BYTES = 64 << 20
HEADER = struct.Struct(">I")


class ProtocolError(ConnectionError):
    """The other end closed the connection, or sent something that is not a message."""


def send(conn: socket.socket, message: dict) -> None:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    conn.sendall(HEADER.pack(len(body)) + body)


def receive(conn: socket.socket) -> dict:
    (size,) = HEADER.unpack(_exactly(conn, HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {size} bytes refused")
    try:
        message = json.loads(_exactly(conn, size).decode("utf-8"))
    except ValueError as exc:
        raise ProtocolError(f"not a message: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("not a message: expected a JSON object")
    return message


def _exactly(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
