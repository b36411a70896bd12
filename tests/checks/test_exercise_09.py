"""Exercise 09's hidden checks: the stub and wrong answers fail, each with the reason it names.

Each grade starts two ranks (two fresh Python processes) inside the sandbox, so
every grade costs several seconds: four here, and the reference and stub graded
once for test_references.py.
"""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-09" / "ddp.py").read_text()

SAMPLER = """    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    # The sampler shuffles; shuffle=True here as well would be an error.
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)"""
BACKWARD = "                loss.backward()  # DDP averages the gradients across ranks here\n"
WRAP = 'ddp_model = DistributedDataParallel(model, device_ids=[rank] if device == "cuda" else None)'
SET_EPOCH = "loader.sampler.set_epoch(epoch)"
DESTROY = "    dist.destroy_process_group()"


def passed(checks, *names):
    return all(checks[n].passed for n in names)


def test_untouched_stub_fails_with_todo_reasons(graded):
    checks = graded("exercise-09", "stub").by_check()
    assert "duplicated data" in checks["loader_gives_each_rank_its_own_shard"].message
    assert "setup(0, 2, device='cpu') raised NotImplementedError: TODO" in \
        checks["setup_and_cleanup_manage_the_process_group"].message
    assert "train_ddp(0, 2, ...) raised NotImplementedError" in checks["matches_single_process_training"].message


def test_loader_without_distributed_sampler_is_duplicated_data(grade_files):
    no_sampler = replaced(REFERENCE, (SAMPLER, "    return DataLoader(dataset, batch_size=batch_size, shuffle=True)"),
                          (SET_EPOCH, "pass"))
    checks = grade_files("exercise-09", {"ddp.py": no_sampler}).by_check()
    for name in ("loader_gives_each_rank_its_own_shard", "ranks_train_on_disjoint_shards"):
        assert not checks[name].passed
        assert "duplicated data" in checks[name].message and "DistributedSampler" in checks[name].message
    # each step still averaged both ranks' (duplicated) batches: nothing else is wrong
    assert passed(checks, "setup_and_cleanup_manage_the_process_group", "every_epoch_is_reshuffled",
                  "ranks_end_with_identical_weights", "matches_single_process_training",
                  "process_group_lives_exactly_as_long_as_training")


def test_gradients_summed_on_top_of_ddp_are_caught(grade_files):
    summed = replaced(REFERENCE, (BACKWARD, BACKWARD + "                for p in ddp_model.parameters():\n"
                                                     "                    dist.all_reduce(p.grad)\n"))
    checks = grade_files("exercise-09", {"ddp.py": summed}).by_check()
    message = checks["matches_single_process_training"].message
    assert not checks["matches_single_process_training"].passed
    assert "2 times too large" in message and "summed across the ranks, not averaged" in message
    assert passed(checks, "ranks_train_on_disjoint_shards", "ranks_end_with_identical_weights",
                  "process_group_lives_exactly_as_long_as_training")


def test_forgotten_cleanup_and_set_epoch_are_caught(grade_files):
    careless = replaced(REFERENCE, (DESTROY, "    pass"), (SET_EPOCH, "pass"))
    checks = grade_files("exercise-09", {"ddp.py": careless}).by_check()
    assert "after cleanup() on rank 0, the process group is still initialised" in \
        checks["setup_and_cleanup_manage_the_process_group"].message
    assert "still alive after train_ddp returned" in \
        checks["process_group_lives_exactly_as_long_as_training"].message
    assert "set_epoch" in checks["every_epoch_is_reshuffled"].message
    assert passed(checks, "ranks_train_on_disjoint_shards", "ranks_end_with_identical_weights",
                  "matches_single_process_training")


def test_training_without_ddp_drifts_apart(grade_files):
    no_ddp = replaced(REFERENCE, (WRAP, "ddp_model = model"))
    checks = grade_files("exercise-09", {"ddp.py": no_ddp}).by_check()
    assert "drifted apart" in checks["ranks_end_with_identical_weights"].message
    assert "never averaged across the ranks" in checks["matches_single_process_training"].message
    assert passed(checks, "ranks_train_on_disjoint_shards", "setup_and_cleanup_manage_the_process_group")


def run_with_errors(*errors):
    """A probe report in which rank r failed its setup phase with errors[r] = (message, from_peer)."""
    return {"ranks": [{"rank": r, "setup": {"error": message, "peer": peer}}
                      for r, (message, peer) in enumerate(errors)]}


def test_rank_failure_names_the_same_rank_whatever_the_order_of_failure():
    from grader.checks.exercise_09 import rank_failure

    both = run_with_errors(("setup(0, 2) raised NotImplementedError: TODO", False),
                           ("setup(1, 2) raised NotImplementedError: TODO", False))
    assert rank_failure(both, "setup") == "rank 0: setup(0, 2) raised NotImplementedError: TODO"
    both["ranks"].reverse()  # the order in which the reports arrived does not matter
    assert rank_failure(both, "setup") == "rank 0: setup(0, 2) raised NotImplementedError: TODO"


def test_rank_failure_names_the_cause_before_the_peer_it_broke():
    from grader.checks.exercise_09 import rank_failure

    run = run_with_errors(("all_reduce raised DistBackendError: Connection closed by peer", True),
                          ("train_ddp(1, 2, ...) raised ValueError: bad batch", False))
    assert rank_failure(run, "setup") == "rank 1: train_ddp(1, 2, ...) raised ValueError: bad batch"


def test_rank_failure_counts_a_rank_that_could_not_import_against_every_phase():
    from grader.checks.exercise_09 import rank_failure

    failed = {"error": "importing ddp.py raised ImportError: no [ddp.py:3 in <module>]", "peer": False}
    run = {"ranks": [{"rank": 0, "setup": {"initialized": True}, "done": True},
                     {"rank": 1, "failed": failed, "done": True}]}
    for phase in ("setup", "train"):
        assert rank_failure(run, phase) == f"rank 1: {failed['error']}"
