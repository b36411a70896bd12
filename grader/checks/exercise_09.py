"""Hidden checks for exercise 09, data-parallel training with DistributedDataParallel.

The sandboxed worker is a single process, so the checks ask it for ``WORLD_SIZE``
rank processes (``learner.run_ranks``; see ``grader/sandbox/inside/ranks.py``),
each running the rank probe ``ddp_rank`` below: it calls the learner's module
and reports what it observed as plain data. The ranks meet over the sandbox's
own loopback interface: gloo on CPU, nccl with one GPU per rank.

What a rank reports cannot be arranged by ``train_ddp`` alone: the dataset it
is given records every index it serves and whether a process group existed
at the time, the model it is given starts from weights drawn here (different
on every rank, so only DDP's broadcast makes them agree), and its final
weights are read from that model afterwards. The expected weights come from
single-process training in this trusted process on the same global batches.

Starting processes costs seconds (each imports torch), so one run per device
does both phases (setup/cleanup, then training; see ``ddp_rank``) and all the
device checks judge it. The first check to need it (the setup check) starts
it, with inputs drawn from its own rng, so a --seed still reproduces the
whole report, and the run's time shows in that check's duration.
"""

import pytest
import torch
import torch.nn.functional as F

from grader.expect import fail
from grader.i18n import join_and, t
from grader.sandbox.limits import out_of_cpu
from grader.sandbox.probes import shipped
from grader.sandbox.sentences import rank_error

WORLD_SIZE = 2
EPOCHS = 2
FEATURES, HIDDEN, CLASSES = 6, 8, 3
RANK_CPU = 20.0  # CPU seconds per rank (RLIMIT_CPU; a reference rank uses ~3): judges endless loops, whatever the load
RUN_TIMEOUT = 90.0  # wall seconds for all ranks together, a backstop for ranks that wait forever
GRACE = 15.0  # how long the other ranks may go on once one has finished (they run in lockstep)
TOLERANCE = 1e-5

SAMPLER_HINT = t("build the loader with DistributedSampler(dataset, num_replicas=world_size, rank=rank, "
                 "shuffle=True, seed=seed) so each rank reads its own shard")
DDP_HINT = t("wrap the model in DistributedDataParallel: it copies rank 0's weights to every rank and averages the "
             "gradients across ranks inside backward()")


# -- what each rank runs (a rank probe and its helpers; see grader/sandbox/inside/ranks.py) --
def ddp_rank(learner, me, config):
    """One rank: the "setup" phase, then the "train" phase, each with a rendezvous of its own."""
    import os

    import torch.distributed as dist

    phases = {"setup": setup_phase, "train": training_phase}
    for (phase, run_phase), port in zip(phases.items(), me.ports):
        os.environ["MASTER_PORT"] = str(port)
        me.doing = f"the {phase} phase"
        try:
            me.report[phase] = run_phase(learner.ddp, me, config)
        except BaseException as exc:  # noqa: BLE001  (the learner's failure is data)
            me.report[phase] = me.failure(exc)
            if isinstance(exc, SystemExit):  # the learner's code ended this rank: no later phase runs
                for later in phases:
                    me.report.setdefault(later, me.report[phase])
                break
        finally:
            try:
                if dist.is_initialized():  # whatever the learner left behind: not the next phase's problem
                    dist.destroy_process_group()
            except Exception:  # noqa: BLE001
                pass
        me.save()  # a phase that finished counts even if a later one hangs


@shipped
def setup_phase(ddp, me, config):
    """setup(), an all_reduce over the group it joined, then cleanup(): what each left behind."""
    import torch.distributed as dist

    result, device = {}, config["device"]
    me.doing = f"setup({me.rank}, {me.world_size}, device={device!r})"
    ddp.setup(me.rank, me.world_size, device)
    result["initialized"] = dist.is_initialized()
    if result["initialized"]:
        result.update(rank_seen=dist.get_rank(), world_size_seen=dist.get_world_size(),
                      backend=str(dist.get_backend()))
        me.doing = "an all_reduce over the group setup() joined"
        where = torch.device("cuda", me.rank) if device == "cuda" else torch.device("cpu")
        value = torch.tensor([float(me.rank + 1)], device=where)
        dist.all_reduce(value)
        result["sum"] = float(value.item())
    me.doing = "cleanup()"
    ddp.cleanup()
    result["after_cleanup"] = dist.is_initialized()
    return result


@shipped
def training_phase(ddp, me, config):
    """train_ddp() on this rank's starting weights and a Recording dataset: what it loaded, and the weights after."""
    import torch.distributed as dist

    model = build_model(*config["sizes"])
    model.load_state_dict(config["inits"][me.rank])
    data = Recording(config["inputs"], config["targets"])
    me.doing = f"train_ddp({me.rank}, {me.world_size}, ...)"
    ddp.train_ddp(me.rank, me.world_size, model, data, epochs=config["epochs"], batch_size=config["batch_size"],
                  lr=config["lr"], seed=config["seed"], device=config["device"])
    return {"destroyed": not dist.is_initialized(), "group_while_loading": data.group or 0,
            "seen": torch.tensor(data.seen, dtype=torch.long),
            "state": {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()}}


@shipped
class Recording(torch.utils.data.Dataset):
    """The data, plus a log of which samples this rank loaded, in order, and the group size while it did."""

    def __init__(self, inputs, targets):
        self.inputs, self.targets, self.seen, self.group = inputs, targets, [], None

    def __len__(self):
        return len(self.inputs)

    def __getitem__(self, index):
        import torch.distributed as dist

        if self.group is None:
            self.group = dist.get_world_size() if dist.is_initialized() else 0
        self.seen.append(int(index))
        return self.inputs[index], self.targets[index]


@shipped
def build_model(features, hidden, classes):
    """The model every rank trains, and the single-process reference trains here."""
    return torch.nn.Sequential(torch.nn.Linear(features, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, classes))


# -- probes: run inside the sandbox -------------------------------------------------
def loader_batches(learner, n, world_size, batch_size, seed):
    class Numbers(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, index):
            return torch.tensor(int(index))

    per_rank = []
    for rank in range(world_size):
        loader = learner.ddp.make_loader(Numbers(), rank, world_size, batch_size, seed)
        per_rank.append([torch.as_tensor(batch).reshape(-1).tolist() for batch in loader])
    return per_rank


# -- helpers (trusted side) ---------------------------------------------------------
def random_weights(rng):
    model = build_model(FEATURES, HIDDEN, CLASSES)
    return {k: torch.randn(v.shape, generator=rng) * 0.5 for k, v in model.state_dict().items()}


def training_config(rng, device):
    batch_size = int(torch.randint(3, 7, (), generator=rng))
    per_rank = int(torch.randint(2 * batch_size, 4 * batch_size + 1, (), generator=rng))
    n = WORLD_SIZE * per_rank
    return {
        "device": device, "sizes": [FEATURES, HIDDEN, CLASSES], "epochs": EPOCHS, "batch_size": batch_size,
        "lr": round(0.05 + 0.25 * float(torch.rand((), generator=rng)), 4),
        "seed": int(torch.randint(0, 10_000, (), generator=rng)),
        "inputs": torch.randn(n, FEATURES, generator=rng),
        "targets": torch.randint(0, CLASSES, (n,), generator=rng),
        "inits": [random_weights(rng) for _ in range(WORLD_SIZE)],
    }


def needs_gpus(device):
    if device == "cuda" and torch.cuda.device_count() < WORLD_SIZE:
        pytest.skip(f"the nccl variant needs {WORLD_SIZE} GPUs (one per rank); this machine has "
                    f"{torch.cuda.device_count()}")


def rank_failure(run, phase: str) -> str | None:
    """The one line that explains why a phase did not complete on every rank, chosen deterministically."""
    ranks = run.get("ranks") if isinstance(run, dict) else None
    if isinstance(run, dict) and run.get("no_loopback"):
        return t("the grader could not start the ranks: 127.0.0.1 is not usable in this sandbox ({reason}); a "
                 "problem with this machine, not with your code", reason=run["no_loopback"])
    if not isinstance(ranks, list) or len(ranks) != WORLD_SIZE or not all(isinstance(r, dict) for r in ranks):
        return t("the ranks' reports were malformed (tampering?)")
    # Never "whichever rank failed first": that is a matter of timing, and the same submission and
    # seed must give the same report. A rank's own error beats one caused by a peer, then the lower rank.
    # Causes first (a rank's own error, then a rank that died), consequences last (a rank whose
    # collective broke because a peer went away).
    outcomes = [(r, phase_outcome(r, phase)) for r in ranks]
    errors = sorted((outcome.get("peer") is True, r["rank"], outcome["error"]) for r, outcome in outcomes
                    if isinstance(outcome, dict) and "error" in outcome)
    if errors and not errors[0][0]:
        return t("rank {rank}: {error}", rank=errors[0][1], error=rank_error(errors[0][2]))
    unfinished = [r for r, outcome in outcomes if not isinstance(outcome, dict)]
    for r in unfinished:
        if out_of_cpu(r.get("exit_code")):  # SIGXCPU: the rank's RLIMIT_CPU
            return t("rank {rank} used more than {seconds:g} s of CPU time before reporting (an endless loop?)",
                     rank=r["rank"], seconds=RANK_CPU)
        if "exit_code" in r:
            return t("rank {rank} exited with status {code} before reporting (exit() or os._exit() in your "
                     "code, or a crash?)", rank=r["rank"], code=r["exit_code"])
    if errors:
        return t("rank {rank}: {error}", rank=errors[0][1], error=rank_error(errors[0][2]))
    stopped = [r for r in unfinished if "stopped_after" in r]
    if stopped:
        names = join_and(t("rank {rank}", rank=r["rank"]) for r in stopped)
        if not stopped[0]["others_done"]:
            why = t("did not finish within {seconds:g} s", seconds=RUN_TIMEOUT)
        elif len(stopped) == 1:
            why = t("was still running {seconds:g} s after the others had finished", seconds=GRACE)
        else:
            why = t("were still running {seconds:g} s after the others had finished", seconds=GRACE)
        return t("{names} {why}: an endless loop, or a rank waiting in a rendezvous or collective that another rank "
                 "never joined?", names=names, why=why)
    if unfinished:
        return t("rank {rank} sent no report (tampering?)", rank=unfinished[0]['rank'])
    return None


def phase_outcome(rank: dict, phase: str):
    """A rank's result for ``phase``; a rank that failed before any phase (importing ddp.py) failed them all."""
    outcome = rank.get(phase)
    return outcome if isinstance(outcome, dict) else rank.get("failed")


@pytest.fixture(scope="session")
def ddp_runs():
    """Per device, the run the checks share (one grading session, so one learner)."""
    return {}


def shared_run(learner, rng, device, runs):
    """This device's one run of both phases on WORLD_SIZE ranks: (config, report of the probe)."""
    needs_gpus(device)
    if device not in runs:
        config = training_config(rng, device)
        try:
            runs[device] = config, learner.run_ranks(ddp_rank, WORLD_SIZE, config, rank_cpu_s=RANK_CPU,
                                                     wall_s=RUN_TIMEOUT, grace_s=GRACE, ports=2)
        except Exception as exc:  # noqa: BLE001  (e.g. the worker died: every check says so, none starts it again)
            runs[device] = exc
    if isinstance(runs[device], Exception):
        raise runs[device]
    return runs[device]


def training(learner, rng, device, runs):
    """The "train" phase's per-rank reports, or a failed check saying why there are none."""
    config, run = shared_run(learner, rng, device, runs)
    problem = rank_failure(run, "train")
    if problem:
        fail(problem, t("run your ddp.py with python (it starts 2 CPU ranks) to see the whole traceback"))
    return config, [dict(r["train"], rank=r["rank"]) for r in run["ranks"]]


def epochs_of(config, ranks):
    """Each rank's loaded indices split by epoch, after checking there is something to split."""
    n, split = len(config["inputs"]), []
    for r in ranks:
        seen = r.get("seen")
        if not isinstance(seen, torch.Tensor) or seen.dim() != 1 or seen.dtype != torch.long:
            fail(t("rank {rank} sent a malformed record of what it loaded (tampering?)", rank=r['rank']))
        if seen.numel() == 0:
            fail(t("rank {rank} never loaded a sample from the dataset it was given", rank=r['rank']),
                 t("iterate over make_loader(dataset, ...) and keep num_workers=0"))
        if bool(((seen < 0) | (seen >= n)).any()):
            fail(t("rank {rank} asked for a sample index outside 0..{last}", rank=r["rank"], last=n - 1))
        if seen.numel() % config["epochs"]:
            fail(t("rank {rank} loaded {numel} samples in {epochs} epochs, not the same number in each",
                   rank=r['rank'], numel=seen.numel(),
                   epochs=config['epochs']), t("loop `for epoch in range(epochs)` over the whole loader"))
        split.append(seen.reshape(config["epochs"], -1).tolist())
    return split


def global_batches(config, ranks, only_rank=None):
    """Step by step, the samples of all ranks together (or of one): what one process would train on."""
    per_epoch = epochs_of(config, ranks)
    lengths = {len(e[0]) for e in per_epoch}
    if len(lengths) != 1:
        counts = ", ".join(t("rank {rank}: {count}", rank=r['rank'], count=len(e[0])) for r, e in zip(ranks, per_epoch))
        fail(t("the ranks loaded different numbers of samples per epoch ({counts}), so they cannot have taken the "
               "same steps", counts=counts), SAMPLER_HINT)
    size, length, batches = config["batch_size"], lengths.pop(), []
    for epoch in range(config["epochs"]):
        for start in range(0, length, size):
            batches.append([i for rank, rank_epochs in enumerate(per_epoch) if only_rank in (None, rank)
                            for i in rank_epochs[epoch][start:start + size]])
    return batches


def single_process_training(config, batches, scale=1.0):
    """One process, SGD on the mean loss of each global batch; ``scale`` multiplies the gradients."""
    model = build_model(FEATURES, HIDDEN, CLASSES)
    model.load_state_dict(config["inits"][0])
    inputs, targets, lr = config["inputs"], config["targets"], config["lr"] * scale
    for batch in batches:
        index = torch.tensor(batch)
        model.zero_grad()
        F.cross_entropy(model(inputs[index]), targets[index]).backward()
        with torch.no_grad():  # what torch.optim.SGD does on CPU, without its seconds-long import
            for p in model.parameters():
                p.add_(p.grad, alpha=-lr)
    return {k: v.detach() for k, v in model.state_dict().items()}


def largest_gap(state, expected):
    """(largest absolute difference, parameter name) between two state dicts."""
    if not isinstance(state, dict) or not isinstance(expected, dict) or set(state) != set(expected):
        return float("inf"), t("the parameter names")
    gaps = []
    for k, v in expected.items():
        got = state[k]
        if not isinstance(got, torch.Tensor) or got.shape != v.shape or not got.is_floating_point():
            return float("inf"), k
        gaps.append((float((got.double() - v.double()).abs().nan_to_num(float("inf")).max()), k))
    return max(gaps)


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(2)
def test_loader_gives_each_rank_its_own_shard(learner, rng):
    for world_size in (2, 3):
        batch_size = int(torch.randint(2, 6, (), generator=rng))
        n = world_size * int(torch.randint(batch_size + 1, 3 * batch_size, (), generator=rng))
        seed = int(torch.randint(0, 10_000, (), generator=rng))
        per_rank = learner.run(loader_batches, n, world_size, batch_size, seed)
        shards = [[i for batch in batches for i in batch] for batches in per_rank]
        what = t("make_loader(dataset of {n}, rank, world_size={world_size}, batch_size={batch_size})", n=n,
                 world_size=world_size, batch_size=batch_size)
        for rank, batches in enumerate(per_rank):
            if any(len(b) > batch_size for b in batches) or any(len(b) < batch_size for b in batches[:-1]):
                fail(t("{what} on rank {rank} gave batches of sizes {sizes}", what=what, rank=rank,
                       sizes=[len(b) for b in batches]),
                     t("batch_size is per rank: pass it to the DataLoader as it is"))
        for a in range(world_size):
            for b in range(a + 1, world_size):
                both = set(shards[a]) & set(shards[b])
                if both:
                    fail(t("{what}: ranks {a} and {b} both loaded {count} of the same {n} samples: duplicated data, "
                           "each rank would train on samples another rank also trains on", what=what,
                           a=a, b=b, count=len(both), n=n), SAMPLER_HINT)
        missing = set(range(n)) - {i for shard in shards for i in shard}
        if missing:
            fail(t("{what}: {count} of the {n} samples reached no rank", what=what, count=len(missing),
                   n=n), SAMPLER_HINT)
        if any(len(shard) != len(set(shard)) for shard in shards):
            fail(t("{what}: a rank loaded the same sample twice in one epoch", what=what), SAMPLER_HINT)


@pytest.mark.points(2)
def test_setup_and_cleanup_manage_the_process_group(learner, rng, device, ddp_runs):
    _, run = shared_run(learner, rng, device, ddp_runs)
    problem = rank_failure(run, "setup")
    if problem:
        fail(problem, t("setup() calls dist.init_process_group(backend, rank=rank, world_size=world_size); cleanup() "
                        "calls dist.destroy_process_group()"))
    backend = "nccl" if device == "cuda" else "gloo"
    for r in (dict(r["setup"], rank=r["rank"]) for r in run["ranks"]):
        rank, call = r["rank"], f"setup({r['rank']}, {WORLD_SIZE}, device={device!r})"
        if not r.get("initialized"):
            fail(t("after {call}, torch.distributed.is_initialized() is False", call=call),
                 t("call dist.init_process_group(...) in setup()"))
        if r.get("rank_seen") != rank or r.get("world_size_seen") != WORLD_SIZE:
            fail(t("after {call}, the group says rank {rank} of {world_size}", call=call, rank=r.get("rank_seen"),
                   world_size=r.get("world_size_seen")),
                 t("pass rank=rank and world_size=world_size to init_process_group"))
        if r.get("backend") != backend:
            fail(t("{call} chose the {chosen!r} backend; {device} tensors need {backend!r}", call=call,
                   chosen=r.get("backend"), device=device, backend=backend),
                 t("gloo for CPU, nccl for GPUs"))
        expected = WORLD_SIZE * (WORLD_SIZE + 1) / 2
        if r.get("sum") != expected:
            fail(t("an all_reduce over the group gave {sum} on rank {rank}, expected {expected:g}", sum=r.get("sum"),
                   rank=rank, expected=expected))
        if r.get("after_cleanup") is not False:
            fail(t("after cleanup() on rank {rank}, the process group is still initialised", rank=rank),
                 t("call dist.destroy_process_group() in cleanup()"))


@pytest.mark.points(2)
def test_ranks_train_on_disjoint_shards(learner, rng, device, ddp_runs):
    config, ranks = training(learner, rng, device, ddp_runs)
    n = len(config["inputs"])
    per_epoch = epochs_of(config, ranks)
    for epoch in range(config["epochs"]):
        shards = [set(e[epoch]) for e in per_epoch]
        both = shards[0] & shards[1]
        if both:
            fail(t("in epoch {epoch}, rank 0 and rank 1 both trained on {count} of the same {n} samples: duplicated "
                   "data (without a DistributedSampler every rank walks the whole dataset)", epoch=epoch,
                   count=len(both), n=n), SAMPLER_HINT)
        missing = set(range(n)) - set.union(*shards)
        if missing:
            fail(t("in epoch {epoch}, {count} of the {n} samples reached no rank", epoch=epoch,
                   count=len(missing), n=n), SAMPLER_HINT)


@pytest.mark.points(1)
def test_every_epoch_is_reshuffled(learner, rng, device, ddp_runs):
    config, ranks = training(learner, rng, device, ddp_runs)
    per_epoch = epochs_of(config, ranks)
    if all(all(e == epochs[0] for e in epochs[1:]) for epochs in per_epoch):
        fail(t("all {epochs} epochs visited the samples in exactly the same order on every rank",
               epochs=config['epochs']),
             t("call loader.sampler.set_epoch(epoch) at the start of each epoch (with shuffle=True)"))


@pytest.mark.points(2)
def test_ranks_end_with_identical_weights(learner, rng, device, ddp_runs):
    _, ranks = training(learner, rng, device, ddp_runs)
    reference = ranks[0].get("state")
    for r in ranks[1:]:
        gap, name = largest_gap(r.get("state"), reference)
        if gap > 1e-6:
            fail(t("after training, rank {rank}'s {name} differs from rank 0's by up to {gap:.3g}: the ranks' models "
                   "drifted apart (each rank started from different weights)", rank=r['rank'], name=name,
                   gap=gap), DDP_HINT)


@pytest.mark.points(2)
def test_matches_single_process_training(learner, rng, device, ddp_runs):
    config, ranks = training(learner, rng, device, ddp_runs)
    batches = global_batches(config, ranks)
    expected = single_process_training(config, batches)
    state = ranks[0].get("state")
    gap, name = largest_gap(state, expected)
    if gap <= TOLERANCE:
        return
    what = t("rank 0's {name} is off by up to {gap:.3g} from single-process training on the same global batches",
             name=name, gap=gap)
    if largest_gap(state, single_process_training(config, batches, scale=WORLD_SIZE))[0] <= TOLERANCE:
        fail(t("{what}; it matches updates {world_size} times too large: the gradients were summed across the ranks, "
               "not averaged", what=what, world_size=WORLD_SIZE),
             t("DDP already averages gradients in backward(); drop the extra all_reduce, or divide by world_size"))
    if largest_gap(state, single_process_training(config, global_batches(config, ranks, only_rank=0)))[0] <= TOLERANCE:
        fail(t("{what}; it matches training on rank 0's own batches alone: the gradients were never averaged across "
               "the ranks", what=what), DDP_HINT)
    if largest_gap(state, config["inits"][0])[0] == 0.0:
        fail(t("{what}; its weights never changed", what=what),
             t("train the model you were given in place (DDP wraps it without copying)"))
    fail(what, t("use plain SGD(lr) on F.cross_entropy of each batch, one optimizer step per batch, and let DDP "
                 "average the gradients"))


@pytest.mark.points(1)
def test_process_group_lives_exactly_as_long_as_training(learner, rng, device, ddp_runs):
    _, ranks = training(learner, rng, device, ddp_runs)
    for r in ranks:
        if r.get("group_while_loading") != WORLD_SIZE:
            got = r.get("group_while_loading")
            fail(t("while rank {rank} loaded its data, no process group existed", rank=r["rank"]) if not got else
                 t("while rank {rank} loaded its data, the process group had {got} ranks, not {world_size}",
                   rank=r["rank"], got=got, world_size=WORLD_SIZE),
                t("call setup(rank, world_size, device) at the start of train_ddp"))
        if r.get("destroyed") is not True:
            fail(t("the process group on rank {rank} was still alive after train_ddp returned", rank=r['rank']),
                 t("call cleanup() (dist.destroy_process_group()) at the end, in a finally: block"))
