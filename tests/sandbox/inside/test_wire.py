"""The wire between the trusted process and the sandbox: plain data crosses, nothing else does."""

import os
import pickle

import pytest
import torch

from grader.sandbox.inside import wire


@pytest.fixture
def pipe():
    read, write = os.pipe()
    yield read, write
    for fd in (read, write):
        try:
            os.close(fd)
        except OSError:
            pass


class Payload:
    """What a tampered worker might send: unpickling it would run ``os.system``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_plain_data_arrives_intact(pipe):
    message = {"ok": True, "value": [torch.arange(6.0).reshape(2, 3), (1, 2.5, "x", None, b"raw")],
               "nested": {"shape": (3, 4), "flag": False}, "cpu_s": 0.25}
    wire.send(pipe[1], message)
    received = wire.receive(pipe[0])
    assert torch.equal(received["value"][0], message["value"][0])
    assert received["value"][1] == message["value"][1] and received["nested"] == message["nested"]
    assert received["cpu_s"] == 0.25


def test_a_forged_payload_is_refused_and_runs_nothing(pipe, tmp_path):
    marker = tmp_path / "pwned"
    forged = pickle.dumps(Payload(marker), protocol=2)
    for data in (forged, wire.encode({"value": Payload(marker)})):  # raw pickle, or inside torch.save's archive
        os.write(pipe[1], wire.HEADER.pack(len(data)) + data)
        with pytest.raises(wire.WireError, match="unreadable message"):
            wire.receive(pipe[0])
    assert not marker.exists()
    pickle.loads(forged)  # the same bytes, unpickled as plain pickle would, do run the command
    assert marker.exists()


def test_a_truncated_or_garbled_payload_is_an_error_not_a_crash():
    data = wire.encode({"ok": True, "value": torch.ones(3)})
    for broken in (data[: len(data) // 2], b"\x00" * 64):
        with pytest.raises(wire.WireError, match="unreadable message"):
            wire.decode(broken)


def test_a_message_over_the_limit_is_refused_before_it_is_read(pipe):
    os.write(pipe[1], wire.HEADER.pack(wire.MAX_MESSAGE_BYTES + 1))
    with pytest.raises(wire.WireError, match="exceeds the limit"):
        wire.receive(pipe[0])


def test_a_closed_channel_is_reported_even_mid_message(pipe):
    os.write(pipe[1], wire.HEADER.pack(100) + b"only part")
    os.close(pipe[1])
    with pytest.raises(wire.WireError, match="channel closed"):
        wire.receive(pipe[0])
