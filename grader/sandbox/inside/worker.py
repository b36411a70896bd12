"""The sandboxed worker: imports the learner's modules and runs probes on them.

Started by :mod:`grader.sandbox.worker_process` inside the isolation layer as
``python -I worker.py CONFIG_JSON`` (or forked by ``zygote.py``). It sees only
this folder, the Python installation and the learner's exercise folder. Everything it sends back is
plain data (tensors, numbers, strings, lists, dicts); the trusted process
decides what that data means.

Protocol, on the two file descriptors named in the config:
  -> {"kind": "booted"}                       torch imported, limits applied
  -> {"kind": "imported", "error": str|None}  the learner's modules imported
  <- {"op": "run", "name", "source", "args", "cpu_s"}  run a probe
  <- {"op": "ranks", "name", "source", "args", "world_size", "rank_cpu_s", "wall_s", "grace_s",
      "ports", "cpu_s"}  run a rank probe on several processes (see ranks.py)
  -> {"ok": True, "value", "cpu_s"} | {"ok": False, "error", "where", "type", "cpu_s"}

A probe's source is run in a scope that holds ``torch``, ``probekit`` (this
folder's toolkit for probes) and ``shipped`` (a no-op here: on the trusted side
it marks the helpers that travel with a module's probes).

Time is limited in CPU seconds (RLIMIT_CPU, renewed before the import and before
each probe): a loaded machine slows the learner's code down but does not use up
its budget, so the verdict does not depend on what else the machine is doing.
Past the budget the kernel ends the worker with SIGXCPU. The trusted side keeps
a generous wall-clock limit as a backstop (for code that sleeps or waits).
"""

import json
import math
import os
import resource
import sys
import types

sys.dont_write_bytecode = True  # -I ignores PYTHONDONTWRITEBYTECODE; never litter the learner's folder
if __package__:  # imported on the trusted side (tests, the zygote's own import below)
    from . import failures, probekit, ranks, wire
else:  # run as a program: this folder is all the sandbox may see of the grader
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import failures
    import probekit
    import ranks
    import wire


def apply_limits(memory_mb: int, max_tasks: int | None = None, max_file_mb: int = 256) -> None:
    """Cap memory (RLIMIT_DATA counts heap and private mappings), file size and, in a user
    namespace of the sandbox's own, the number of processes and threads.

    RLIMIT_AS is not used: CUDA reserves huge virtual ranges it never touches.
    """
    if max_tasks:
        resource.setrlimit(resource.RLIMIT_NPROC, (max_tasks, max_tasks))
    data = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (data, data))
    size = max_file_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # no POSIX message queues: unlike everything else a process can leave in the sandbox, they cannot be
    # listed without mounting mqueue, so a zygote's audit could not see one left for the next submission
    resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))


def cpu_seconds(*, children: bool = False) -> float:
    """CPU time this process has used so far (all its threads; with ``children``, also the
    processes it started and waited for, such as exercise 09's ranks)."""
    used = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) if children else (resource.RUSAGE_SELF,):
        usage = resource.getrusage(who)
        used += usage.ru_utime + usage.ru_stime
    return used


def limit_cpu(seconds: float) -> None:
    """Allow ``seconds`` more CPU time from now."""
    spent = cpu_seconds()
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(math.ceil(spent + max(seconds, 0.0)))
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def import_learner(learner_dir: str, modules: list[str]) -> types.SimpleNamespace:
    import importlib.util

    sys.path.insert(0, learner_dir)
    namespace = types.SimpleNamespace()
    for name in modules:
        path = os.path.join(learner_dir, name + ".py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        setattr(namespace, name, module)
    return namespace


def load_probe(name: str, source: str):
    """The probe ``name`` defined by ``source`` (its module's shipped helpers, then the probe)
    in a scope of its own that holds ``torch``, ``probekit`` and a no-op ``shipped``."""
    import torch

    scope = {"__name__": "grader_probe", "torch": torch, "probekit": probekit, "shipped": lambda helper: helper}
    exec(compile(source, f"<probe {name}>", "exec"), scope)
    return scope[name]


def plain(value, depth: int = 0):
    """Reduce a probe's result to what the trusted side's loader accepts."""
    import torch

    if depth > 20:
        raise TypeError("result nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu").clone().as_subclass(torch.Tensor)
    if isinstance(value, (torch.dtype, torch.device)):
        return str(value)
    if isinstance(value, torch.Size):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        items = [plain(v, depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    raise TypeError(f"a {type(value).__name__} cannot be sent back to the grader")


def serve(config: dict) -> None:
    """A standalone worker: limits, torch, then the learner (see run_learner)."""
    apply_limits(config["memory_mb"], config.get("max_tasks"))
    unbuffer_output()
    import torch  # noqa: F401  (imported before the learner's code can interfere)

    wire.send(config["reply_fd"], {"kind": "booted"})
    run_learner(config["request_fd"], config["reply_fd"], config["learner_dir"], config["modules"],
                config.get("threads", 1), config["time_limit"])


def unbuffer_output() -> None:
    for stream in (sys.stdout, sys.stderr):  # -I ignores PYTHONUNBUFFERED; the worker may be killed
        stream.reconfigure(line_buffering=True)


def run_learner(requests: int, replies: int, learner_dir: str, modules: list[str], threads: int,
                time_limit: float) -> None:
    """Import the learner's modules, report how that went, then serve probes until EOF."""
    import torch

    torch.set_num_threads(max(1, int(threads)))
    limit_cpu(float(time_limit))
    owner = os.getpid()
    try:
        learner = import_learner(learner_dir, modules)
        error = None
    except BaseException as exc:  # noqa: BLE001  (the learner's failure is data)
        learner, (message, where) = None, failures.describe(exc, learner_dir)
        error = f"{message} [{where}]" if where else message
    if os.getpid() != owner:  # a process the learner's code forked: it must never answer
        os._exit(0)
    wire.send(replies, {"kind": "imported", "error": error})

    probekit.LEARNER_DIR = learner_dir
    probes: dict = {}
    while True:
        try:
            request = wire.receive(requests)
        except wire.WireError:
            return
        name = request["name"]
        limit_cpu(float(request["cpu_s"]))
        started = cpu_seconds(children=True)
        try:
            if request.get("op") == "ranks":
                value = ranks.run(request, learner_dir, modules)
            else:
                if name not in probes:
                    probes[name] = load_probe(name, request["source"])
                value = probes[name](learner, *request["args"])
            reply = {"ok": True, "value": plain(value)}
        except BaseException as exc:  # noqa: BLE001
            message, where = failures.describe(exc, learner_dir)
            reply = {"ok": False, "error": message, "where": where, "type": type(exc).__name__}
        if os.getpid() != owner:  # a process the learner's code forked: it must never answer
            os._exit(0)
        reply["cpu_s"] = round(cpu_seconds(children=True) - started, 3)
        try:
            wire.send(replies, reply)
        except (TypeError, ValueError, RuntimeError) as exc:
            wire.send(replies, {"ok": False, "error": f"result could not be sent: {exc}", "where": ""})


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]))
