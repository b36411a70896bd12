"""Several processes from one probe: the ranks of a torch.distributed job, inside the sandbox.

The worker is a single process, so a check that needs ``world_size`` processes
(exercise 09's DDP ranks) asks the worker for them (``{"op": "ranks", ...}``):
:func:`run` starts this file as a program once per rank, supervises the ranks
and returns what each reported, as plain data. Each rank,
``python -I -B ranks.py WORKDIR RANK`` (:func:`main`), imports the learner's
modules as the worker does, runs the *rank probe* ``probe(learner, me, *args)``
(shipped like any probe, with its module's helpers; ``me`` is a :class:`Rank`)
and leaves ``me.report`` in WORKDIR for the worker to read with
``torch.load(weights_only=True)``.

The ranks meet over the sandbox's own loopback interface (bubblewrap's private
network namespace has ``lo`` up and nothing else; under ``unshare --net`` it is
brought up here): gloo on CPU, nccl with one GPU per rank. ``MASTER_ADDR`` is set;
``me.ports`` are free ports for as many rendezvous as the probe asked for.

For each rank, :func:`run` returns the keys the probe put in ``me.report`` and:
  rank           its number
  done           True once the probe has returned (or raised, see ``failed``)
  failed         {"error", "peer"} when importing the learner's modules or the probe itself raised
  stopped_after  for a rank killed while still running: seconds after the start, and
  others_done    whether another rank had ended by then (the grace period ran out) or not (the wall deadline)
  exit_code      for a rank that ended without finishing its report (SIGXCPU: past its CPU budget)
or ``{"no_loopback": why}`` for the whole run when the ranks could not meet.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

if __package__:  # imported by the worker, or on the trusted side (tests)
    from . import failures
else:  # run as a rank (or imported by the worker run as a program): this folder is on sys.path
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import failures

CONFIG = "config.pt"
PEER_SIGNS = ("Connection closed by peer", "Connection reset by peer", "Broken pipe")
POLL_S = 0.05


# -- in the worker: start the ranks and collect their reports ----------------------------
def run(request: dict, learner_dir: str, modules: list[str]) -> dict:
    """Run ``request["name"]`` on ``request["world_size"]`` ranks; their reports (see above)."""
    import torch

    problem = loopback_problem()
    if problem:
        return {"no_loopback": problem}
    resolve_localhost()
    world_size = int(request["world_size"])
    work = tempfile.mkdtemp(prefix="grader-ranks-")
    processes: list[subprocess.Popen] = []
    try:
        config = {"name": request["name"], "source": request["source"], "args": list(request["args"]),
                  "world_size": world_size, "rank_cpu_s": float(request["rank_cpu_s"]),
                  "ports": free_ports(int(request["ports"])), "learner_dir": learner_dir, "modules": list(modules)}
        torch.save(config, os.path.join(work, CONFIG))
        start = time.monotonic()
        for rank in range(world_size):
            processes.append(start_rank(work, rank, config["ports"]))
        stopped, others_done = supervise(processes, start, float(request["wall_s"]), float(request["grace_s"]))
        ranks = [collect(work, rank, process, stopped, others_done) for rank, process in enumerate(processes)]
        return {"ranks": ranks, "wall_s": round(time.monotonic() - start, 2)}
    finally:
        for process in processes:  # only if something above failed half-way
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


def loopback_problem() -> str | None:
    """Bring the loopback interface up if it is down; why 127.0.0.1 is unusable, or None.

    bubblewrap brings ``lo`` up in its network namespace; ``unshare --net`` (the
    weaker fallback) leaves it down, and as root of our own namespace we may bring it up.
    """
    import fcntl
    import struct

    siocgifflags, siocsifflags, iff_up, ifreq = 0x8913, 0x8914, 1, struct.Struct("16sH14s")  # see netdevice(7)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:
            flags = ifreq.unpack(fcntl.ioctl(control, siocgifflags, ifreq.pack(b"lo", 0, b"")))[1]
            if not flags & iff_up:
                fcntl.ioctl(control, siocsifflags, ifreq.pack(b"lo", flags | iff_up, b""))
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            socket.create_connection(server.getsockname(), timeout=5).close()
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def resolve_localhost() -> None:
    """Tutorials use MASTER_ADDR="localhost"; bubblewrap's private /etc has no hosts file to resolve it."""
    try:
        socket.getaddrinfo("localhost", None)
    except OSError:
        if not os.path.exists("/etc/hosts"):
            try:
                with open("/etc/hosts", "w", encoding="ascii") as hosts:
                    hosts.write("127.0.0.1 localhost\n::1 localhost\n")
            except OSError:
                pass


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on this sandbox's loopback (held together while chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for held in sockets:
            held.bind(("127.0.0.1", 0))
        return [held.getsockname()[1] for held in sockets]
    finally:
        for held in sockets:
            held.close()


def start_rank(work: str, rank: int, ports: list[int]) -> subprocess.Popen:
    env = dict(os.environ, MASTER_ADDR="127.0.0.1", GLOO_SOCKET_IFNAME="lo", NCCL_SOCKET_IFNAME="lo",
               TORCH_CPP_LOG_LEVEL="ERROR", OMP_NUM_THREADS="1")
    if ports:
        env["MASTER_PORT"] = str(ports[0])
    for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):  # the learner's code is given its rank, not told by torchrun
        env.pop(key, None)
    return subprocess.Popen([sys.executable, "-I", "-B", os.path.abspath(__file__), work, str(rank)],
                            env=env, cwd=work, stdin=subprocess.DEVNULL)


def supervise(processes: list[subprocess.Popen], start: float, wall_s: float,
              grace_s: float) -> tuple[dict[int, float], bool]:
    """Wait for every rank; kill those still running past the wall deadline or, once one rank
    has ended, past the grace period (ranks run in lockstep, so the others should end soon).

    Returns {rank: seconds after the start when it was killed}, and whether a rank had ended by then.
    """
    first_done = None
    while any(p.poll() is None for p in processes):
        now = time.monotonic()
        if first_done is None and any(p.poll() is not None for p in processes):
            first_done = now
        if now - start > wall_s or (first_done is not None and now - first_done > grace_s):
            stopped = {}
            for rank, process in enumerate(processes):
                if process.poll() is None:
                    process.kill()
                    process.wait()
                    stopped[rank] = round(now - start, 1)
            return stopped, first_done is not None
        time.sleep(POLL_S)
    return {}, first_done is not None


def collect(work: str, rank: int, process: subprocess.Popen, stopped: dict[int, float], others_done: bool) -> dict:
    """One rank's entry of :func:`run`'s result: what it saved, and how it ended if it did not finish."""
    import torch

    path = report_path(work, rank)
    try:
        saved = torch.load(path, weights_only=True) if os.path.exists(path) else {}
    except Exception:  # noqa: BLE001  (a file the learner's code overwrote: no report)
        saved = {}
    saved = saved if isinstance(saved, dict) else {}
    entry = dict(saved["report"]) if isinstance(saved.get("report"), dict) else {}
    entry.update(rank=rank, done=saved.get("done") is True)
    if isinstance(saved.get("failed"), dict):
        entry["failed"] = saved["failed"]
    if not entry["done"]:  # the steps it saved still count
        if rank in stopped:
            entry.update(stopped_after=stopped[rank], others_done=others_done)
        else:
            entry["exit_code"] = process.returncode
    return entry


def report_path(work: str, rank: int) -> str:
    return os.path.join(work, f"rank{rank}.pt")


# -- in each rank ---------------------------------------------------------------------------
def from_peer(exc: BaseException) -> bool:
    """Did this rank fail because another rank went away (a broken collective or rendezvous)?

    Such an error is a consequence, not a cause: a check names a rank's own error first.
    """
    import torch.distributed as dist

    if isinstance(exc, getattr(dist, "DistError", ())):
        return True
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001  (an exception whose str() fails)
        return False
    return any(sign in text for sign in PEER_SIGNS)


class Rank:
    """What a rank probe gets as ``me``: who it is, and where its results go."""

    def __init__(self, rank: int, world_size: int, ports: list[int], work: str, learner_dir: str):
        self.rank, self.world_size, self.ports = rank, world_size, list(ports)
        self.report: dict = {}  # plain data (tensors, numbers, strings, lists, dicts) for the check
        self.doing = ""  # what the probe is calling, for failure(): "setup(0, 2, device='cpu')"
        self.failed: dict | None = None
        self._work, self._learner_dir, self._owner = work, learner_dir, os.getpid()

    def save(self, done: bool = False) -> None:
        """Persist the report so far: what a rank finished still counts if a later step hangs."""
        import torch

        if os.getpid() != self._owner:  # a process the learner's code forked: it must never report
            return
        path = report_path(self._work, self.rank)
        torch.save({"report": self.report, "done": done, "failed": self.failed}, path + ".tmp")
        os.replace(path + ".tmp", path)

    def failure(self, exc: BaseException) -> dict:
        """``exc`` as data: ``{"error": "<doing> raised Type: message [file:line in f]", "peer": bool}``."""
        message, where = failures.describe(exc, self._learner_dir)
        error = f"{self.doing} raised {message}" + (f" [{where}]" if where else "")
        return {"error": error, "peer": from_peer(exc)}


def cap_cpu(seconds: float) -> None:
    """Allow this rank ``seconds`` of CPU time in all, its start included: RLIMIT_CPU, so a busy
    machine slows a rank down without using up its budget (past it, the kernel sends SIGXCPU)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(seconds) if hard == resource.RLIM_INFINITY else min(int(seconds), hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def main(work: str, rank: int) -> None:
    """One rank: limits, the learner's modules, the probe, the report; never returns."""
    import torch
    import worker  # run as a program only, so this folder is on sys.path (the worker imports this module)

    config = torch.load(os.path.join(work, CONFIG), weights_only=True)
    torch.set_num_threads(1)
    cap_cpu(config["rank_cpu_s"])
    learner_dir, modules = config["learner_dir"], config["modules"]
    me = Rank(rank, config["world_size"], config["ports"], work, learner_dir)
    try:
        me.doing = "importing " + ", ".join(f"{name}.py" for name in modules)
        learner = worker.import_learner(learner_dir, modules)
        worker.probekit.LEARNER_DIR = learner_dir
        me.doing = config["name"]
        probe = worker.load_probe(config["name"], config["source"])
        probe(learner, me, *config["args"])
    except BaseException as exc:  # noqa: BLE001  (the learner's failure is data)
        me.failed = me.failure(exc)
    me.save(done=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip interpreter teardown: a peer stuck in a collective must not hold this rank


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
