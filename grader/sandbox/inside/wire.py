"""Length-prefixed messages between the trusted runner and the sandboxed worker.

This file is imported by both sides (the worker loads it from its own folder),
so it uses nothing but the standard library and torch, imported lazily.

Payloads are written with ``torch.save`` and read with
``torch.load(weights_only=True)``, whose unpickler admits only tensors and
plain containers: nothing the learner's code builds is ever unpickled in the
trusted process, however the worker was tampered with.
"""

import io
import os
import struct

HEADER = struct.Struct("!Q")
MAX_MESSAGE_BYTES = 256 * 1024 * 1024


class WireError(Exception):
    """The peer closed the channel or sent something unreadable."""


def encode(obj) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def decode(data: bytes):
    import torch

    try:
        return torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as exc:  # noqa: BLE001  (a forged or truncated payload is data, not a crash)
        raise WireError(f"unreadable message ({type(exc).__name__}: {exc})") from None


def frame(obj) -> bytes:
    data = encode(obj)
    return HEADER.pack(len(data)) + data


def send(fd: int, obj) -> None:
    data = memoryview(frame(obj))
    while data:
        written = os.write(fd, data)
        data = data[written:]


def read_exactly(fd: int, size: int) -> bytes:
    """Blocking read of ``size`` bytes; the worker's side of the channel."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise WireError("channel closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd: int):
    (size,) = HEADER.unpack(read_exactly(fd, HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {size} bytes exceeds the limit")
    return decode(read_exactly(fd, size))
