"""A worker in a sandbox of its own (``inside/worker.py`` started afresh): ``grader check``'s default.

``WorkerProcess(learner_dir, modules, limits)`` is also the default worker
factory (see :data:`grader.sandbox.session.WorkerFactory`). Start it early: its
torch import overlaps the trusted side's.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader.sandbox import isolation
from grader.sandbox.channel import Channel
from grader.sandbox.launch import launch
from grader.sandbox.limits import Limits


class WorkerProcess(Channel):
    def __init__(self, learner_dir: Path, modules: tuple[str, ...], limits: Limits):
        super().__init__(modules, limits, isolation.choose())
        req_read, reply_write, out_write = self._open_pipes()
        config = dict(limits.worker_config(), request_fd=req_read, reply_fd=reply_write, modules=list(modules))
        try:
            self._launched = launch(self.isolation, "worker.py", config, learner_dir=learner_dir,
                                    pass_fds=(req_read, reply_write), output=out_write)
        finally:
            for fd in (req_read, reply_write, out_write):
                os.close(fd)

    def alive(self) -> bool:
        return self._launched.process.poll() is None

    def kill(self) -> None:
        self._launched.kill()

    def exit_code(self) -> int:
        return self._launched.process.wait()

    def close(self) -> None:
        super().close()
        self._launched.close()
