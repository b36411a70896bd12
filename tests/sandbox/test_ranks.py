"""The ranks primitive (``inside/ranks.py``, ``LearnerSession.run_ranks``) through a real sandboxed worker.

Every run starts fresh Python processes that import torch, so each test costs seconds.
"""

from pathlib import Path

import pytest
import torch

from grader.sandbox import isolation
from grader.sandbox.limits import Limits, out_of_cpu
from grader.sandbox.session import LearnerSession
from grader.sandbox.worker_process import WorkerProcess

LEARNER_DIR = Path(__file__).parent / "ranks_learner"
GENEROUS = {"rank_cpu_s": 20.0, "wall_s": 60.0, "grace_s": 30.0}


# -- rank probes: run in each rank's process --------------------------------------------
def all_reduce_rank(learner, me, offset):
    import os

    import torch.distributed as dist

    dist.init_process_group("gloo", rank=me.rank, world_size=me.world_size)
    value = torch.tensor([float(learner.tasks.double(me.rank + offset))])
    dist.all_reduce(value)
    dist.destroy_process_group()
    me.report.update(sum=float(value.item()), pid=os.getpid(), ports=me.ports)


def failing_rank(learner, me, bad_rank):
    me.doing = f"fail_on({me.rank}, {bad_rank})"
    learner.tasks.fail_on(me.rank, bad_rank)
    me.report["survived"] = True


def spinning_rank(learner, me):
    me.report["spinning"] = True
    me.save()
    learner.tasks.spin()


def saves_then_sleeps(learner, me, sleepers):
    me.report["saved"] = me.rank
    me.save()
    if me.rank in sleepers:
        learner.tasks.sleep_forever()
    me.report["finished"] = True


# -- tests --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def learner():
    session = LearnerSession(LEARNER_DIR, ("tasks",), Limits(time_limit=30.0, threads=1))
    yield session
    session.close()


def test_ranks_meet_and_report(learner):
    run = learner.run_ranks(all_reduce_rank, 2, 10, ports=2, **GENEROUS)
    ranks = run["ranks"]
    assert [r["rank"] for r in ranks] == [0, 1] and all(r["done"] for r in ranks), ranks
    assert [r["sum"] for r in ranks] == [2 * 10 + 2 * 11] * 2
    assert ranks[0]["pid"] != ranks[1]["pid"]
    assert ranks[0]["ports"] == ranks[1]["ports"] and len(set(ranks[0]["ports"])) == 2


def test_a_rank_that_raises_reports_its_error_as_data(learner):
    ranks = learner.run_ranks(failing_rank, 2, 1, **GENEROUS)["ranks"]
    assert ranks[0]["done"] and ranks[0]["survived"] and "failed" not in ranks[0]
    assert ranks[1]["done"] and "survived" not in ranks[1]
    assert ranks[1]["failed"] == {"error": "fail_on(1, 1) raised ValueError: rank 1 is the bad one "
                                           "[tasks.py:12 in fail_on]", "peer": False}


def test_an_endless_loop_is_ended_by_the_rank_cpu_limit(learner):
    # the budget counts the rank's whole CPU time, importing torch included (a few seconds)
    ranks = learner.run_ranks(spinning_rank, 2, rank_cpu_s=8.0, wall_s=60.0, grace_s=30.0)["ranks"]
    for r in ranks:
        assert r["spinning"] and not r["done"] and out_of_cpu(r["exit_code"]), r


def test_a_hanging_rank_is_stopped_after_the_grace_period_and_keeps_what_it_saved(learner):
    ranks = learner.run_ranks(saves_then_sleeps, 2, [1], rank_cpu_s=20.0, wall_s=60.0, grace_s=1.0)["ranks"]
    assert ranks[0]["done"] and ranks[0]["finished"]
    assert not ranks[1]["done"] and ranks[1]["saved"] == 1 and "finished" not in ranks[1]
    assert ranks[1]["others_done"] is True and ranks[1]["stopped_after"] < 60


def test_ranks_that_all_hang_are_stopped_at_the_wall_deadline(learner):
    run = learner.run_ranks(saves_then_sleeps, 2, [0, 1], rank_cpu_s=20.0, wall_s=25.0, grace_s=1.0)
    for r in run["ranks"]:
        assert not r["done"] and r["saved"] == r["rank"] and r["others_done"] is False, r
        assert r["stopped_after"] >= 25
    assert run["wall_s"] < 40


def meet_on(workers) -> list[dict]:
    session = LearnerSession(LEARNER_DIR, ("tasks",), Limits(time_limit=30.0, threads=1), workers)
    try:
        return session.run_ranks(all_reduce_rank, 2, 0, **GENEROUS)["ranks"]
    finally:
        session.close()


def test_ranks_meet_under_unshare(monkeypatch):
    """``unshare --net`` leaves the loopback interface down: the worker brings it up."""
    if not isolation._works(["unshare", "--user", "--map-root-user", "--net", "true"]):
        pytest.skip("this kernel does not allow unprivileged namespaces")
    monkeypatch.setattr(isolation, "choose", lambda: isolation.Isolation("unshare"))
    ranks = meet_on(WorkerProcess)
    assert [r.get("sum") for r in ranks] == [2.0, 2.0], ranks


def test_ranks_meet_in_a_worker_forked_by_the_zygote(zygote):
    ranks = meet_on(zygote)
    assert [r.get("sum") for r in ranks] == [2.0, 2.0], ranks
